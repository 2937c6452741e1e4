import type { Action, UndoAction } from '../adapters/types';
import type { Step, StepGraph } from '../runbook/model';
import { errorMessage } from '../util/errors';
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

/**
 * `on_failure: rollback`: undoes what a failed step changed before failing (an ECS deploy whose
 * wait timed out), then every succeeded step in reverse order of completion. A failing undo is
 * reported and the rollback goes on; the caller reports it together with the error that started
 * the rollback. A failed step keeps its status (`failed`, `timed-out`); its `undo` says how the undo went.
 */
export async function rollback(rc: RunContext, graph: StepGraph): Promise<UndoError[]> {
  const errors: UndoError[] = [];
  for (const id of undoOrder(rc.completions, graph.steps, rc.changedThenFailed)) {
    const step = graph.steps.get(id)!;
    const state = rc.states.get(id)!;
    const failed = state.status !== 'succeeded';
    const started = rc.options.clock.now();
    if (!failed) state.status = 'rolling-back';
    rc.emit({ type: 'step.rolling-back', step: id });
    const message = await undoStep(rc, step);
    if (message === undefined) {
      if (!failed) state.status = 'rolled-back';
      state.undo = { status: 'rolled-back' };
      rc.emit({ type: 'step.rolled-back', step: id, durationMs: rc.options.clock.now() - started });
    } else {
      if (!failed) state.status = 'rollback-failed';
      state.undo = { status: 'rollback-failed', message };
      errors.push({ step: id, message });
      rc.emit({ type: 'step.rollback-failed', step: id, message });
    }
  }
  return errors;
}

/** Undefined when the undo succeeded, else what went wrong. */
async function undoStep(rc: RunContext, step: Step): Promise<string | undefined> {
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
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(o.env ?? process.env)) if (value !== undefined) env[key] = value;
    const result = await runAttempt({
      impl,
      input,
      attempt: 1,
      ...(step.timeoutMs !== undefined ? { timeoutMs: step.timeoutMs } : {}),
      runSignal: rc.signal,
      clock: o.clock,
      graceMs: o.graceMs ?? 15_000,
      context: {
        stepId: step.id,
        config: o.config,
        ...(o.environment ? { environment: o.environment } : {}),
        noChecks: o.noChecks ?? false,
        cwd: o.cwd ?? process.cwd(),
        env: { ...env, ...scriptEnv },
        scriptDisplay,
        redact: (text) => o.redactor.redact(text),
        runId: o.runId,
        prompter: o.prompter,
        clock: o.clock,
        output: (stream, text) => rc.emit({ type: 'step.output', step: step.id, stream, text }),
        progress: (message) => rc.emit({ type: 'step.progress', step: step.id, message }),
        registerSecret: (value) => o.redactor.add(value),
        runRunbook: (name, params) => rc.runChild(step.id, name, params, rc.signal),
      },
    });
    return result.outcome.type === 'success' ? undefined : result.outcome.message;
  } catch (error) {
    return errorMessage(error);
  }
}
