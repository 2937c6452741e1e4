import type { DatabaseConfig } from '../../config/model';

/** Where a `sql` step connects, and how to name it in messages (never with the password). */
export interface Target {
  /** The configured name, or undefined for a URL written in the step. */
  readonly name?: string;
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
  /** `main (app@db.internal:5432/app)` or `app@db.internal:5432/app`. */
  readonly label: string;
}

export type TargetResult = { readonly ok: true; readonly target: Target } | { readonly ok: false; readonly message: string };

const URL_PATTERN = /^postgres(ql)?:\/\//i;

/**
 * `database` is a name under `databases:` in opsctl.yaml or a postgres:// URL; left out, it is the
 * only configured database. `expand` fills in what a configured URL may still hold (loadConfig
 * already resolves `${{ env.X }}`, so the default leaves it as it is).
 */
export function resolveTarget(
  database: string | undefined,
  databases: Readonly<Record<string, DatabaseConfig>>,
  env: Readonly<Record<string, string | undefined>>,
  expand: (text: string) => string = (text) => text,
): TargetResult {
  const names = Object.keys(databases).sort();
  if (database === undefined) {
    const only = names.length === 1 ? names[0] : undefined;
    if (only === undefined) {
      return {
        ok: false,
        message:
          names.length === 0
            ? '`sql` needs `database`: a postgres:// URL, or a name you add under `databases:` in opsctl.yaml'
            : `\`sql\` needs \`database\`: opsctl.yaml names ${names.length} databases (${names.join(', ')})`,
      };
    }
    database = only;
  }
  if (URL_PATTERN.test(database)) return describeUrl(database, undefined, env);
  const entry = databases[database];
  if (!entry) {
    const close = names.filter((name) => name.toLowerCase().startsWith(database.slice(0, 2).toLowerCase()) || name.toLowerCase().includes(database.toLowerCase()));
    const known = names.length ? ` Databases in opsctl.yaml: ${names.join(', ')}.` : ' opsctl.yaml has no `databases:` section.';
    const suggestion = close.length ? ` Did you mean \`${close[0]}\`?` : '';
    return { ok: false, message: `unknown database \`${database}\`: it is neither a name under \`databases:\` nor a postgres:// URL.${suggestion}${known}` };
  }
  let url: string;
  try {
    url = expand(entry.url).trim();
  } catch (error) {
    return { ok: false, message: `the URL of database \`${database}\` in opsctl.yaml could not be filled in: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (url === '') return { ok: false, message: `database \`${database}\` in opsctl.yaml has an empty URL (is the environment variable it reads set?)` };
  if (!URL_PATTERN.test(url)) return { ok: false, message: `database \`${database}\` in opsctl.yaml: the URL must start with postgres:// or postgresql://` };
  return describeUrl(url, database, env);
}

function describeUrl(url: string, name: string | undefined, env: Readonly<Record<string, string | undefined>>): TargetResult {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, message: `${name ? `database \`${name}\`: ` : ''}the URL is not valid (expected postgres://user:password@host:port/database)` };
  }
  const host = decodeURIComponent(parsed.hostname) || parsed.searchParams.get('host') || env.PGHOST || 'localhost';
  const port = Number(parsed.port || parsed.searchParams.get('port') || env.PGPORT || 5432);
  const user = decodeURIComponent(parsed.username) || env.PGUSER || env.USER || 'postgres';
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || env.PGDATABASE || user;
  const where = `${user}@${host}:${port}/${database}`;
  return { ok: true, target: { ...(name ? { name } : {}), url, host, port, user, database, label: name ? `${name} (${where})` : where } };
}

/** A URL safe to print: the password replaced by `***`. */
export function redactUrl(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]*:)[^@]*@/i, '$1***@');
}
