import { createHash } from 'node:crypto';

export const DEFAULT_SCHEMA = 'opsctl';

export type StateUrl = { readonly ok: true; readonly url: string; readonly schema: string } | { readonly ok: false; readonly message: string };

/**
 * `state.url` is a postgres:// URL; an optional `?schema=NAME` picks the schema that holds
 * opsctl's tables (default `opsctl`), so several teams or test runs can share one database.
 */
export function parseStateUrl(text: string): StateUrl {
  if (!/^postgres(ql)?:\/\//i.test(text.trim())) {
    return { ok: false, message: `\`state.url\` must be a postgres:// URL, got ${text.trim() === '' ? 'an empty value (is the environment variable it reads set?)' : `\`${redactPassword(text)}\``}` };
  }
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return { ok: false, message: `\`state.url\` is not a valid URL: \`${redactPassword(text)}\`` };
  }
  const schema = url.searchParams.get('schema') ?? DEFAULT_SCHEMA;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    return { ok: false, message: `\`state.url\`: schema \`${schema}\` must be lower-case letters, digits and _ (at most 63)` };
  }
  url.searchParams.delete('schema');
  return { ok: true, url: url.toString(), schema };
}

export function redactPassword(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]*:)[^@]*@/i, '$1***@');
}

/** The schema name, double-quoted for SQL (already restricted to safe characters). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * The 64-bit advisory lock id of a key, namespaced by schema so two opsctl installations on one
 * server never contend. Computed here (not with hashtext) so it does not depend on the server.
 */
export function advisoryLockId(schema: string, key: string): string {
  const digest = createHash('sha256').update(`opsctl\0${schema}\0${key}`).digest();
  return BigInt.asIntN(64, digest.readBigUInt64BE(0)).toString();
}
