import { didYouMean } from '../runbook/did-you-mean';
import { usageError, type OpsctlError } from '../util/errors';
import type { Config, EnvironmentConfig } from './model';

/** The environment `--env NAME` names, or a usage error that lists the ones opsctl.yaml declares. */
export function environmentNamed(config: Config, name: string): EnvironmentConfig {
  const environment = config.environments[name];
  if (environment) return environment;
  throw unknownEnvironment(config, name);
}

export function unknownEnvironment(config: Config, name: string): OpsctlError {
  const known = Object.keys(config.environments);
  const close = didYouMean(name, known);
  const hint = known.length === 0 ? 'declare it under `environments:` in opsctl.yaml' : `${close !== undefined ? `did you mean \`${close}\`? ` : ''}known environments: ${known.join(', ')}`;
  return usageError(`--env ${name}: there is no environment \`${name}\` in ${config.path ?? 'opsctl.yaml (none found)'}`, hint);
}
