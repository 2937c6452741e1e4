import type { Diagnostic } from '../diagnostics';
import { diagnostic, type Rule } from './types';

/** `from: file` needs a path; a secret and a param may not share a name (both would be shown). */
export const secretsCheck: Rule = (ctx) => {
  const out: Diagnostic[] = [];
  const params = new Set(ctx.runbook.params.map((p) => p.name));
  for (const secret of ctx.runbook.secrets) {
    if (secret.from === 'file' && secret.path === '') {
      out.push(diagnostic('error', 'secret-path', `secret \`${secret.name}\` reads a file but has no \`path\``, secret.range, 'e.g. { from: file, path: ~/.config/token }'));
    }
    if (params.has(secret.name)) out.push(diagnostic('warning', 'secret-shadows-param', `secret \`${secret.name}\` has the same name as a param`, secret.range));
  }
  return out;
};
