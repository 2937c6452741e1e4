import type { Diagnostic } from '../diagnostics';
import { diagnostic, type Rule } from './types';

/**
 * Each adapter's own checks of a step's input that do not need the run (`http.url` that is not
 * http(s)://, a `shell` with both `run` and `argv`): errors at validate, not mid-run (F8).
 */
export const inputCheck: Rule = (ctx) => {
  const out: Diagnostic[] = [];
  for (const [step, path] of ctx.stepPaths) {
    const actions = [{ action: step.action, at: [...path, step.action.kind] }, ...(step.undo && step.undo !== 'auto' ? [{ action: step.undo, at: [...path, 'undo'] }] : [])];
    for (const { action, at } of actions) {
      const problem = ctx.registry.get(action.kind)?.check?.(action.input);
      if (problem) out.push(diagnostic('error', 'invalid-input', `step \`${step.id}\`: ${problem}`, ctx.locator.range(at)));
    }
  }
  return out;
};
