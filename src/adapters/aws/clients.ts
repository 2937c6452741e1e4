import type { EnvironmentConfig } from '../../config/model';

/**
 * How every AWS client is configured. Imported only by implementation modules (which import the
 * SDK themselves), so nothing here pulls the SDK into start-up.
 *
 * Credentials and region come from the SDK's default provider chain, narrowed by the environment's
 * `aws: { region, profile }`. `AWS_ENDPOINT_URL` (and `AWS_ENDPOINT_URL_<SERVICE>`) is honoured
 * by the SDK itself; we pass it explicitly only when the step's environment differs from ours.
 */
export interface AwsScope {
  readonly env: Readonly<Record<string, string>>;
  readonly environment?: EnvironmentConfig;
}

export interface SdkLogger {
  debug(...content: unknown[]): void;
  info(...content: unknown[]): void;
  warn(...content: unknown[]): void;
  error(...content: unknown[]): void;
  trace?(...content: unknown[]): void;
}

/** SDK warnings are kept, not printed: the person at the terminal did not ask for them. */
export const sdkWarnings: string[] = [];

const quietLogger: SdkLogger = {
  debug: () => {},
  info: () => {},
  trace: () => {},
  warn: (...content) => void sdkWarnings.push(content.map(String).join(' ')),
  error: () => {},
};

export interface ClientSettings {
  region?: string;
  profile?: string;
  endpoint?: string;
  logger: SdkLogger;
  /** A silent endpoint must not hang a plan (plans have no step timeout): bound each request. */
  requestHandler: { connectionTimeout: number; requestTimeout: number };
}

const REQUEST_LIMITS = { connectionTimeout: 10_000, requestTimeout: 60_000 };

/** `serviceEnvSuffix` is the SDK's service id in env-var form: ECS, RDS, ROUTE_53. */
export function clientSettings(scope: AwsScope, serviceEnvSuffix: string): ClientSettings {
  const aws = scope.environment?.aws;
  const settings: ClientSettings = { logger: quietLogger, requestHandler: REQUEST_LIMITS };
  const region = aws?.region ?? scope.env.AWS_REGION ?? scope.env.AWS_DEFAULT_REGION;
  if (region) settings.region = region;
  const profile = aws?.profile ?? scope.env.AWS_PROFILE;
  if (profile) settings.profile = profile;
  const endpoint = scope.env[`AWS_ENDPOINT_URL_${serviceEnvSuffix}`] ?? scope.env.AWS_ENDPOINT_URL;
  const native = process.env[`AWS_ENDPOINT_URL_${serviceEnvSuffix}`] ?? process.env.AWS_ENDPOINT_URL;
  if (endpoint && endpoint !== native) settings.endpoint = endpoint;
  return settings;
}

const cache = new Map<string, unknown>();

/**
 * One client per service and settings for the whole process. The constructor is where the SDK
 * warns about the Node.js version through process.emitWarning; that warning is swallowed here.
 */
export function cachedClient<C>(service: string, settings: ClientSettings, make: (settings: ClientSettings) => C): C {
  const key = JSON.stringify([service, settings.region, settings.profile, settings.endpoint]);
  const hit = cache.get(key);
  if (hit) return hit as C;
  const client = withoutSdkWarnings(() => make(settings));
  cache.set(key, client);
  return client;
}

/** Forget cached clients (tests change the environment between cases). */
export function clearClientCache(): void {
  cache.clear();
}

export function withoutSdkWarnings<T>(fn: () => T): T {
  const original = process.emitWarning;
  const filtered = function (this: unknown, warning: string | Error, ...rest: unknown[]) {
    const text = typeof warning === 'string' ? warning : warning.message;
    if (/AWS SDK|NodeVersionSupportWarning|@aws-sdk/.test(text)) {
      sdkWarnings.push(text);
      return;
    }
    (original as (...args: unknown[]) => void).call(process, warning, ...rest);
  };
  process.emitWarning = filtered as typeof process.emitWarning;
  try {
    return fn();
  } finally {
    process.emitWarning = original;
  }
}
