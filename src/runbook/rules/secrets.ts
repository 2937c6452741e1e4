import { isMap, isScalar } from 'yaml';
import type { Diagnostic } from '../diagnostics';
import type { SecretSpec } from '../model';
import { diagnostic, type Rule } from './types';

/** The one field each source reads besides `from`. */
const USED: Readonly<Record<SecretSpec['from'], string>> = { env: 'name', file: 'path', prompt: 'message' };

/** `from: file` needs a path; a secret and a param may not share a name (both would be shown); a field its source does not read is said. */
export const secretsCheck: Rule = (ctx) => {
  const out: Diagnostic[] = [];
  const params = new Set(ctx.runbook.params.map((p) => p.name));
  for (const secret of ctx.runbook.secrets) {
    if (secret.from === 'file' && secret.path === '') {
      out.push(diagnostic('error', 'secret-path', `secret \`${secret.name}\` reads a file but has no \`path\``, secret.range, 'e.g. { from: file, path: ~/.config/token }'));
    }
    if (params.has(secret.name)) out.push(diagnostic('warning', 'secret-shadows-param', `secret \`${secret.name}\` has the same name as a param`, secret.range));
    // Each source reads one field: another one written beside it would be ignored.
    const node = ctx.locator.node(['secrets', secret.name]);
    const written = isMap(node) ? node.items.map((pair) => (isScalar(pair.key) ? String(pair.key.value) : '')) : [];
    for (const field of written) {
      if (field === 'from' || field === USED[secret.from]) continue;
      out.push(diagnostic('warning', 'ignored-field', `\`${field}\` has no effect on secret \`${secret.name}\`, which comes \`from: ${secret.from}\``, ctx.locator.range(['secrets', secret.name, field], 'key'), `\`from: ${secret.from}\` reads \`${USED[secret.from]}\``));
    }
  }
  return out;
};
