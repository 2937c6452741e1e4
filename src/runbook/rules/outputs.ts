import { parseJsonPath } from '../../engine/outputs';
import type { Diagnostic } from '../diagnostics';
import { diagnostic, type Rule } from './types';

/**
 * Output selectors must work, now rather than after the step has run (and changed things):
 * `regex:` compiles, `json:` paths parse, and any other word is an output the adapter says it produces.
 */
export const outputSelectors: Rule = (ctx) => {
  const out: Diagnostic[] = [];
  for (const step of [...ctx.runbook.steps, ...ctx.runbook.finally]) {
    const path = ctx.stepPaths.get(step) ?? [];
    const at = (name: string) => ctx.locator.range([...path, 'outputs', name]);
    for (const [name, selector] of Object.entries(step.outputs)) {
      if (selector === 'stdout') continue;
      if (selector.startsWith('regex:')) {
        try {
          new RegExp(selector.slice('regex:'.length), 'm');
        } catch (error) {
          out.push(diagnostic('error', 'bad-selector', `output \`${name}\` of step \`${step.id}\` has an invalid regular expression: ${(error as Error).message}`, at(name)));
        }
        continue;
      }
      if (selector.startsWith('json:')) {
        const parsed = parseJsonPath(selector.slice('json:'.length));
        if (!parsed.ok) out.push(diagnostic('error', 'bad-selector', `output \`${name}\` of step \`${step.id}\`: ${parsed.message}`, at(name), 'e.g. json:$.items[0].id'));
        continue;
      }
      const produced = ctx.registry.get(step.action.kind)?.outputs;
      if (produced === undefined || produced.includes(selector)) continue;
      // A warning: an adapter's list of outputs is what it promises, and it may produce more.
      out.push(
        diagnostic(
          'warning',
          'unknown-selector',
          `output \`${name}\` of step \`${step.id}\`: \`${selector}\` is not a selector (stdout, json:$.path, regex:…) nor an output of \`${step.action.kind}\``,
          at(name),
          produced.length ? `\`${step.action.kind}\` produces: ${produced.join(', ')}` : undefined,
        ),
      );
    }
  }
  return out;
};
