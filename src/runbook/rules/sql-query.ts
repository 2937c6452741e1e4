import { bindQuery } from '../../adapters/sql/bind';
import { scanTemplate } from '../../expr';
import type { Diagnostic } from '../diagnostics';
import { diagnostic, type Rule } from './types';

/**
 * `sql.query` binds each `${{ }}` as a parameter ($n): one written inside quotes, a quoted name,
 * a dollar-quoted body or a comment would be the text `$n`, and a `:"name"` needs an entry in
 * `identifiers:`. Said now rather than when the step runs (QA F7).
 */
export const sqlQueryCheck: Rule = (ctx) => {
  const out: Diagnostic[] = [];
  for (const [step, path] of ctx.stepPaths) {
    if (step.action.kind !== 'sql') continue;
    const input = step.action.input;
    const query = input.query;
    if (typeof query !== 'string') continue;
    const scan = scanTemplate(query);
    if (!scan.ok) continue; // the expressions rule reports it
    let references = 0;
    const text = scan.parts.map((part) => (part.kind === 'text' ? part.text : `\${OPSCTL_B${++references}}`)).join('');
    const identifiers = input.identifiers;
    // An `identifiers:` that is itself an expression is known only at run time.
    if (identifiers !== undefined && (identifiers === null || typeof identifiers !== 'object' || Array.isArray(identifiers))) continue;
    const names = Object.fromEntries(Object.keys((identifiers as Record<string, unknown> | undefined) ?? {}).map((name) => [name, 'x']));
    const bound = bindQuery(text, [], {}, names);
    if (bound.ok) continue;
    out.push(
      diagnostic('error', 'sql-query', `step \`${step.id}\`: ${bound.message}`, ctx.locator.range([...path, 'sql', 'query']), 'values are bound as parameters; table and schema names go in `identifiers:` and are written :"name"'),
    );
  }
  return out;
};
