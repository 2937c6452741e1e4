import { hostname } from 'node:os';
import { ExitCode } from '../cli/exit-codes';
import { OpsctlError } from '../util/errors';
import { isProcessAlive } from './lock-liveness';
import { interruptedSteps, replay } from './replay';
import type { RunRecord, StateStore } from './store';

/** A step that succeeded earlier: not run again, its outputs restored (the engine's `CompletedStep`). */
export interface CompletedStep {
  readonly outputs: Readonly<Record<string, unknown>>;
  readonly exitCode?: number;
  readonly undoFacts?: Readonly<Record<string, unknown>>;
}

export interface ResumeSource {
  readonly record: RunRecord;
  /** Succeeded steps, through the whole chain of resumed runs, in order of completion. */
  readonly completed: Readonly<Record<string, CompletedStep>>;
  readonly completionOrder: readonly string[];
  /** Steps that were running (or cancelled mid-way) when the run stopped. */
  readonly interrupted: readonly string[];
}

const MAX_CHAIN = 50;

/**
 * What a run left done, for `opsctl resume` and `opsctl rollback --run`. A run resumed from
 * another carries the earlier run's succeeded steps forward (they were restored, not rerun).
 */
export async function completedSteps(
  store: StateStore,
  record: RunRecord,
  depth = 0,
  /**
   * For `rollback --run`: a step that failed after changing something (it journaled undo facts)
   * counts as a change to undo. Resume never takes this: such a step runs again.
   */
  withFailedChanges = false,
): Promise<{ completed: Record<string, CompletedStep>; order: string[] }> {
  let completed: Record<string, CompletedStep> = {};
  let order: string[] = [];
  if (record.resumedFrom && depth < MAX_CHAIN) {
    const previous = await store.getRun(record.resumedFrom);
    if (previous) ({ completed, order } = await completedSteps(store, previous, depth + 1, withFailedChanges));
  }
  const replayed = replay(await store.readEvents(record.id));
  const ended = [...replayed.steps.values()].sort((a, b) => (a.endedAt ?? '').localeCompare(b.endedAt ?? ''));
  for (const step of ended) {
    const failedChange = withFailedChanges && (step.status === 'failed' || step.status === 'timed-out') && step.undoFacts !== undefined;
    // An automatic rollback that failed or was interrupted left these changes in place: still to undo.
    const undoUnfinished = withFailedChanges && (step.status === 'rollback-failed' || step.status === 'rolling-back');
    if (step.status === 'succeeded' || failedChange || undoUnfinished) {
      completed[step.id] = {
        outputs: step.outputs,
        ...(step.exitCode !== undefined ? { exitCode: step.exitCode } : {}),
        ...(step.undoFacts ? { undoFacts: step.undoFacts } : {}),
      };
      order = [...order.filter((id) => id !== step.id), step.id];
    } else if (step.status !== 'skipped' && step.status !== 'pending' && step.status !== 'planned') {
      // Run again in this run and not successful this time: no longer done.
      delete completed[step.id];
      order = order.filter((id) => id !== step.id);
    }
  }
  return { completed, order };
}

/**
 * Checks that `record` can be resumed and reads what it left done. Refusals are exit 5 with the
 * reason: a dry run, a run that succeeded, a run whose process is still alive.
 */
export async function resumeSource(store: StateStore, record: RunRecord): Promise<ResumeSource> {
  if (record.dryRun) {
    throw new OpsctlError(`run ${record.id} was a dry run: it changed nothing, so there is nothing to resume`, ExitCode.ResumeRefused, `start a real run with \`opsctl run ${record.runbook.name}\``);
  }
  if (record.status === 'succeeded') {
    throw new OpsctlError(`run ${record.id} succeeded: there is nothing to resume`, ExitCode.ResumeRefused);
  }
  if (record.status === 'running' && record.host === hostname() && isProcessAlive(record.pid) && record.pid !== process.pid) {
    throw new OpsctlError(
      `run ${record.id} is still running (pid ${record.pid} on ${record.host}): resuming it now would run its steps twice`,
      ExitCode.ResumeRefused,
      `wait for it, or stop it with \`kill -INT ${record.pid}\` and resume it afterwards`,
    );
  }
  const replayed = replay(await store.readEvents(record.id));
  const { completed, order } = await completedSteps(store, record);
  const interrupted = interruptedSteps(replayed).filter((id) => !(id in completed));
  return { record, completed, completionOrder: order, interrupted };
}
