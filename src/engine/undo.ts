import type { Action, UndoAction } from '../adapters/types';
import type { Step, StepGraph } from '../runbook/model';
import { errorMessage } from '../util/errors';
import { actionContext, runEnv } from './action-context';
import { runAttempt } from './attempt';
import { resolveAction } from './expr-context';
import type { RunContext } from './run-context';

export interface UndoError {
  readonly step: string;
  readonly message: string;
}

/**
 * Steps to undo, each with an `undo`: first those that failed after changing something (they
 * recorded undo facts), most recent first; then those that succeeded, most recently completed first.
 */
export function undoOrder(completions: readonly string[], steps: ReadonlyMap<string, Step>, changedThenFailed: readonly string[] = []): string[] {
  const order = [...new Set([...[...changedThenFailed].reverse(), ...[...completions].reverse()])];
  return order.filter((id) => steps.get(id)?.undo !== undefined);
}

export interface RollbackResult {
  readonly errors: UndoError[];
  /** Set when the run was interrupted (Ctrl-C, SIGTERM) during the rollback. */
  readonly interrupted?: {
    /** Undos that completed. */
    readonly undone: readonly string[];
    /** Steps whose undo did not run or did not finish: `rollback --run` finishes them. */
    readonly notUndone: readonly string[];
  };
}

/**
 * `on_failure: rollback`: undoes what a failed step changed before failing (an ECS deploy whose
 * wait timed out), then every succeeded step in reverse order of completion. A failing undo is
 * reported and the rollback goes on; the caller reports it together with the error that started
 * the rollback. A failed step keeps its status (`failed`, `timed-out`); its `undo` says how the undo went.
 *
 * A Ctrl-C / SIGTERM during the rollback does not abandon the undo in progress: it may finish
 * within the grace period (then it is told to stop), no further undo starts, and the result says
 * which steps are still to undo (their status stays as it was, so `rollback --run` picks them up).
 */
export async function rollback(rc: RunContext, graph: StepGraph): Promise<RollbackResult> {
  const errors: UndoError[] = [];
  const undone: string[] = [];
  const notUndone: string[] = [];
  const graceMs = rc.options.graceMs ?? 15_000;
  const undoAbort = new AbortController();
  const onInterrupt = () => {
    rc.emit({ type: 'log', level: 'warn', message: `rollback in progress: the undo running now may finish (up to ${Math.round(graceMs / 1000)}s); no further undo starts` });
    rc.options.clock.sleep(graceMs, undoAbort.signal).then(
      () => undoAbort.abort(rc.signal.reason),
      () => undefined,
    );
  };
  if (rc.signal.aborted) onInterrupt();
  else rc.signal.addEventListener('abort', onInterrupt, { once: true });
  try {
    for (const id of undoOrder(rc.completions, graph.steps, rc.changedThenFailed)) {
      if (rc.signal.aborted) {
        notUndone.push(id);
        continue;
      }
      const step = graph.steps.get(id)!;
      const state = rc.states.get(id)!;
      const failed = state.status !== 'succeeded';
      const started = rc.options.clock.now();
      if (!failed) state.status = 'rolling-back';
      rc.emit({ type: 'step.rolling-back', step: id });
      const message = await undoStep(rc, step, undoAbort.signal);
      if (message === undefined) {
        if (!failed) state.status = 'rolled-back';
        state.undo = { status: 'rolled-back' };
        undone.push(id);
        rc.emit({ type: 'step.rolled-back', step: id, durationMs: rc.options.clock.now() - started });
      } else {
        if (!failed) state.status = 'rollback-failed';
        state.undo = { status: 'rollback-failed', message };
        errors.push({ step: id, message });
        if (rc.signal.aborted) notUndone.push(id);
        rc.emit({ type: 'step.rollback-failed', step: id, message });
      }
    }
  } finally {
    rc.signal.removeEventListener('abort', onInterrupt);
    // Ends the grace timer if it is still waiting.
    if (!undoAbort.signal.aborted) undoAbort.abort();
  }
  return { errors, ...(rc.signal.aborted ? { interrupted: { undone, notUndone } } : {}) };
}

/** Undefined when the undo succeeded, else what went wrong. */
async function undoStep(rc: RunContext, step: Step, signal: AbortSignal): Promise<string | undefined> {
  const o = rc.options;
  const state = rc.states.get(step.id)!;
  try {
    let action: UndoAction | Action;
    let input: Record<string, unknown>;
    let scriptDisplay: Record<string, string> = {};
    let scriptEnv: Record<string, string> = {};
    if (step.undo === 'auto') {
      const definition = o.registry.get(step.action.kind);
      const impl = await definition?.load();
      const inverse = impl?.undo?.(state.input ?? {}, state.undoFacts ?? {});
      if (!inverse) return `the \`${step.action.kind}\` action cannot compute its own undo from what it recorded`;
      action = inverse;
      input = { ...inverse.input };
    } else {
      action = step.undo!;
      const resolved = resolveAction(rc, action.input, o.registry.get(action.kind));
      input = resolved.input;
      scriptDisplay = resolved.scriptDisplay;
      scriptEnv = resolved.scriptEnv;
    }
    const definition = o.registry.get(action.kind);
    if (!definition) return `there is no action \`${action.kind}\` to undo with`;
    const impl = await definition.load();
    const result = await runAttempt({
      impl,
      input,
      attempt: 1,
      ...(step.timeoutMs !== undefined ? { timeoutMs: step.timeoutMs } : {}),
      runSignal: signal,
      clock: o.clock,
      graceMs: o.graceMs ?? 15_000,
      context: actionContext(rc, { stepId: step.id, cwd: o.cwd ?? process.cwd(), env: { ...runEnv(rc), ...scriptEnv }, scriptDisplay, signal }),
    });
    return result.outcome.type === 'success' ? undefined : result.outcome.message;
  } catch (error) {
    return errorMessage(error);
  }
}
