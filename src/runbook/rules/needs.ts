import { didYouMeanHint } from '../did-you-mean';
import type { Diagnostic } from '../diagnostics';
import { diagnostic, type Rule } from './types';

/** Every `needs` entry names a main step other than itself; `finally` steps ignore `needs`. */
export const needsExist: Rule = (ctx) => {
  const out: Diagnostic[] = [];
  const main = new Set(ctx.runbook.steps.map((s) => s.id));
  const finallyIds = new Set(ctx.runbook.finally.map((s) => s.id));
  for (const step of ctx.runbook.steps) {
    if (!ctx.explicitNeeds.has(step)) continue;
    const path = ctx.stepPaths.get(step) ?? [];
    step.needs.forEach((need, i) => {
      const at = ctx.locator.range([...path, 'needs', i]);
      if (need === step.id) out.push(diagnostic('error', 'needs-self', `step \`${step.id}\` needs itself`, at, 'remove it from its own `needs`'));
      else if (finallyIds.has(need)) out.push(diagnostic('error', 'needs-finally', `step \`${step.id}\` needs \`${need}\`, a finally step that runs after every main step`, at));
      else if (!main.has(need)) out.push(diagnostic('error', 'unknown-need', `step \`${step.id}\` needs \`${need}\`, which is not a step of this runbook`, at, didYouMeanHint(need, main)));
    });
  }
  for (const step of ctx.runbook.finally) {
    if (!ctx.explicitNeeds.has(step)) continue;
    const path = ctx.stepPaths.get(step) ?? [];
    out.push(diagnostic('warning', 'finally-needs', `\`needs\` has no effect on finally step \`${step.id}\`: finally steps run in order after the main steps`, ctx.locator.range([...path, 'needs'], 'key')));
  }
  return out;
};
