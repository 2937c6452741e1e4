import type { Diagnostic } from '../diagnostics';
import { diagnostic, effectOf, type Rule } from './types';

/**
 * `undo: auto` only for adapters that compute their own inverse; and under `on_failure: rollback`
 * a mutating step without `undo` is a warning: rollback would leave its change in place.
 */
/** Messages, waits and human steps leave nothing behind to roll back. */
const NOTHING_TO_UNDO = new Set(['notify', 'log', 'confirm', 'manual', 'wait']);

export const undoCheck: Rule = (ctx) => {
  const out: Diagnostic[] = [];
  for (const step of [...ctx.runbook.steps, ...ctx.runbook.finally]) {
    const path = ctx.stepPaths.get(step) ?? [];
    if (step.undo === 'auto' && !ctx.registry.get(step.action.kind)?.autoUndo) {
      out.push(
        diagnostic('error', 'no-auto-undo', `\`${step.action.kind}\` cannot undo itself, so \`undo: auto\` on step \`${step.id}\` has no effect`, ctx.locator.range([...path, 'undo']), 'write the undo action, e.g. undo: { shell: ./revert.sh }'),
      );
    }
    if (ctx.runbook.onFailure === 'rollback' && step.phase === 'main' && step.undo === undefined && !NOTHING_TO_UNDO.has(step.action.kind) && effectOf(step, ctx.registry) === 'write') {
      out.push(
        diagnostic('warning', 'rollback-without-undo', `step \`${step.id}\` changes things but has no \`undo\`, and this runbook says \`on_failure: rollback\``, ctx.locator.range([...path, 'id']), 'add `undo:` (an action, or `auto` where the adapter supports it), or `readonly: true` if it changes nothing'),
      );
    }
  }
  return out;
};
