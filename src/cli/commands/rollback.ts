import { usageError } from '../../util/errors';
import { toRequest, type RunFlags } from '../run-flags';
import { runSession } from '../run-session';

export interface RollbackFlags extends RunFlags {
  /** `--run RUN_ID`: undo what that run changed (the state helper's mode). */
  readonly run?: string;
}

/**
 * `opsctl rollback` = `opsctl run rollback`; `opsctl rollback --run RUN_ID` undoes what a recorded
 * run changed, through `rollbackRun` below.
 */
export default async function rollback(flags: RollbackFlags): Promise<void> {
  if (flags.run !== undefined) {
    await rollbackRun(flags.run, flags);
    return;
  }
  await runSession(toRequest('rollback', flags));
}

/**
 * Seam for the state helper: replace this body with the `--run RUN_ID` mode (read the run's
 * journal, build the undo graph of its succeeded steps, run it through `runSession` hooks).
 */
async function rollbackRun(runId: string, _flags: RollbackFlags): Promise<void> {
  throw usageError(`rollback --run ${runId}: undoing a recorded run is not available in this build`, 'run `opsctl rollback --env NAME` to run the rollback runbook instead');
}
