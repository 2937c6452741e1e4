import type { ActionOutcome, PlanContext } from '../types';
import { errorMessage } from '../../util/errors';
import { abortOutcome } from './outcome';

interface SdkErrorShape {
  readonly name?: string;
  readonly message?: string;
  readonly code?: string;
  readonly $metadata?: { readonly httpStatusCode?: number; readonly requestId?: string };
}

const shape = (error: unknown): SdkErrorShape => (typeof error === 'object' && error !== null ? (error as SdkErrorShape) : {});

const envHint = (ctx: Pick<PlanContext, 'environment'>, field: 'region' | 'profile', example: string) =>
  ctx.environment ? `\`aws: { ${field}: ${example} }\` on environment \`${ctx.environment.name}\` in opsctl.yaml` : `\`aws: { ${field}: ${example} }\` on the environment in opsctl.yaml (with --env NAME)`;

/** Why the SDK could not even start: no credentials, no region, an unknown profile. */
export function setupProblem(error: unknown, ctx: Pick<PlanContext, 'environment' | 'env'>): string | undefined {
  const { name = '', message = errorMessage(error) } = shape(error);
  if (message === 'Region is missing' || /region is missing/i.test(message)) {
    return `No AWS region is set. Set ${envHint(ctx, 'region', 'us-east-1')}, or export AWS_REGION.`;
  }
  if (/profile .* could not be found|could not resolve credentials using profile|Profile .* not found/i.test(message)) {
    return `${message}. Check the profile name in ${envHint(ctx, 'profile', 'NAME')} or AWS_PROFILE, and that ~/.aws/config defines it.`;
  }
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
    const fromConfig = ctx.environment?.aws?.profile;
    const profile = fromConfig ?? ctx.env.AWS_PROFILE;
    if (profile) {
      const where = fromConfig ? `set by \`aws: { profile: ${profile} }\` on environment \`${ctx.environment?.name}\` in opsctl.yaml` : 'set by AWS_PROFILE';
      return `No AWS credentials for profile \`${profile}\` (${where}). Check that ~/.aws/config or ~/.aws/credentials defines it (AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE if elsewhere), or run \`aws sso login --profile ${profile}\`.`;
    }
    return (
      'No AWS credentials found. Export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or set AWS_PROFILE ' +
      `(or ${envHint(ctx, 'profile', 'NAME')}), or run \`aws sso login\`.`
    );
  }
  if (/token .* expired|ExpiredToken|sso session .* expired/i.test(`${name} ${message}`)) {
    return `The AWS session has expired (${message}). Refresh it, e.g. \`aws sso login\`, and run again.`;
  }
  return undefined;
}

const CONNECTION = /ECONNREFUSED|ENOTFOUND|ECONNRESET|ETIMEDOUT|EAI_AGAIN|socket hang up/;

/** Any error from an SDK call, as a failure outcome that says what was being done. */
export function awsFailure(error: unknown, ctx: Pick<PlanContext, 'environment' | 'signal' | 'env'> & { readonly timeoutMs?: number }, doing: string): ActionOutcome {
  if (ctx.signal.aborted) return abortOutcome(ctx.signal, doing, ctx.timeoutMs);
  const problem = setupProblem(error, ctx);
  const { name, message = errorMessage(error), code, $metadata } = shape(error);
  if (problem) return { type: 'failure', reason: 'aws-error', message: `${doing}: ${problem}`, errorKind: name || 'ConfigurationError' };
  const network = CONNECTION.exec(`${code ?? ''} ${message}`);
  if (network) {
    return { type: 'failure', reason: 'connection-error', message: `${doing}: cannot reach the AWS endpoint (${message}). Check the network, AWS_ENDPOINT_URL and the region.`, errorKind: network[0] };
  }
  const status = $metadata?.httpStatusCode ? ` (HTTP ${$metadata.httpStatusCode}${$metadata.requestId ? `, request ${$metadata.requestId}` : ''})` : '';
  const kind = name && name !== 'Error' ? name : 'UnknownError';
  const hint = /AccessDenied|UnauthorizedOperation|NotAuthorized/i.test(kind) ? ' The credentials in use lack this permission; check the IAM policy or the profile.' : '';
  return { type: 'failure', reason: 'aws-error', message: `${doing}: ${kind}: ${message}${status}.${hint}`.replace(/\.\./g, '.'), errorKind: kind };
}
