import type { Diagnostic } from '../diagnostics';
import { diagnostic, type Rule } from './types';

/** Step ids are unique across `steps` and `finally`: expressions and the journal key on them. */
export const uniqueIds: Rule = (ctx) => {
  const out: Diagnostic[] = [];
  const first = new Map<string, number>();
  for (const step of [...ctx.runbook.steps, ...ctx.runbook.finally]) {
    const path = ctx.stepPaths.get(step) ?? [];
    const seen = first.get(step.id);
    if (seen !== undefined) {
      out.push(diagnostic('error', 'duplicate-id', `step id \`${step.id}\` is used twice (first on line ${seen})`, ctx.locator.range([...path, 'id']), 'give each step its own id'));
    } else first.set(step.id, step.range.line);
  }
  return out;
};
