import type { Diagnostic } from '../diagnostics';
import { diagnostic, type Rule } from './types';

/** `regex:` output selectors must compile, now rather than after the step has run. */
export const outputSelectors: Rule = (ctx) => {
  const out: Diagnostic[] = [];
  for (const step of [...ctx.runbook.steps, ...ctx.runbook.finally]) {
    for (const [name, selector] of Object.entries(step.outputs)) {
      if (!selector.startsWith('regex:')) continue;
      try {
        new RegExp(selector.slice('regex:'.length), 'm');
      } catch (error) {
        const path = ctx.stepPaths.get(step) ?? [];
        out.push(diagnostic('error', 'bad-selector', `output \`${name}\` of step \`${step.id}\` has an invalid regular expression: ${(error as Error).message}`, ctx.locator.range([...path, 'outputs', name])));
      }
    }
  }
  return out;
};
