import { ExitCode } from '../exit-codes';
import { OpsctlError, usageError } from '../../util/errors';
import { toRequest, type RunFlags } from '../run-flags';
import { runSession } from '../run-session';

export interface RollbackFlags extends RunFlags {
  /** `--run RUN_ID`: undo what that run changed (the state helper's mode). */
  readonly run?: string;
  /** With `--run`: go on although the runbook changed since that run. */
  readonly force?: boolean;
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
 * `rollback --run RUN_ID`: undoes what that run changed, from its journal — the undo of each
 * succeeded step (`undo: auto` from the journaled undo facts), most recent first, after one
 * confirmation, under the run's lock, recorded as a run of its own (`rollbackOf`).
 */
async function rollbackRun(name: string, flags: RollbackFlags): Promise<void> {
  const { loadConfig } = await import('../../config/load');
  const { openStore } = await import('../../state/open-store');
  const { findRun } = await import('../../state/find-run');
  const { completedSteps } = await import('../../state/resume-source');
  const { buildUndoGraph } = await import('../../state/undo-graph');
  const { replay } = await import('../../state/replay');
  const { paramFlags } = await import('./resume');
  const { givenSecretParams } = await import('../../state/secrets');
  const { defaultRegistry } = await import('../../adapters/registry');
  const { loadRunbook } = await import('../../runbook/load');
  const { createRunHooks } = await import('../run-hooks');

  const config = await loadConfig();
  const store = await openStore(config);
  let record;
  let done;
  const alreadyUndone = new Map<string, string>();
  try {
    record = name === 'last' ? await lastUndoable(store) : await findRun(store, name);
    if (record.dryRun) throw new OpsctlError(`run ${record.id} was a dry run: it changed nothing, so there is nothing to undo`, ExitCode.ResumeRefused);
    if (record.rollbackOf) {
      throw usageError(
        `run ${record.id} is itself the rollback of run ${record.rollbackOf}; undoing an undo is not supported`,
        `to retry that rollback: \`opsctl rollback --run ${record.rollbackOf}\`; to redo the change, run the runbook again`,
      );
    }
    const rollbacks = (await store.listRuns()).filter((run) => run.rollbackOf === record!.id);
    const rolledBackBy = rollbacks.find((run) => run.status === 'succeeded');
    if (rolledBackBy && !flags.force) {
      throw new OpsctlError(`run ${record.id} was already rolled back by run ${rolledBackBy.id}`, ExitCode.ResumeRefused, 'pass --force to run its undo steps once more');
    }
    done = await completedSteps(store, record, 0, true);
    // An earlier rollback that failed half-way: the undos it completed are not run twice.
    for (const earlier of [...rollbacks].reverse()) {
      for (const step of replay(await store.readEvents(earlier.id)).steps.values()) {
        if (step.status === 'succeeded' && step.id.startsWith('undo-')) alreadyUndone.set(step.id.slice('undo-'.length), earlier.id);
      }
    }
  } finally {
    await store.close();
  }
  const target = record.runbook.path.startsWith('<') ? record.runbook.name : record.runbook.path;
  const loaded = await loadRunbook(target, { registry: defaultRegistry, config });
  if (!loaded.ok) {
    const { DiagnosticsError } = await import('../../util/errors');
    throw new DiagnosticsError(`runbook \`${target}\` of run ${record.id} is not valid any more`, loaded.diagnostics);
  }
  const built = await buildUndoGraph(loaded.graph, done.completed, done.order, defaultRegistry, record.id, alreadyUndone);
  for (const skipped of built.notUndone) process.stderr.write(`warning: step \`${skipped.step}\` of run ${record.id} is not undone: ${skipped.why}\n`);
  if (built.undo.length === 0) {
    process.stdout.write(`Run ${record.id} left nothing that opsctl can undo${built.notUndone.length > 0 ? ' (see the warnings above)' : ''}.\n`);
    return;
  }
  const { waitLockMs } = await import('./resume');
  const hooks = await createRunHooks({
    resume: { fromRunId: record.id, completed: built.restored },
    rollbackOf: record.id,
    expectedHash: record.runbook.hash,
    ...(flags.force ? { force: true } : {}),
    ...(record.lockKey ? { lockKey: record.lockKey } : {}),
    ...(flags.waitLock ? { waitLockMs: waitLockMs(flags.waitLock) } : {}),
  });
  await runSession(
    toRequest(target, { ...flags, param: [...paramFlags(record.params), ...(flags.param ?? [])], ...(flags.env === undefined && record.environment ? { env: record.environment } : {}) }, { graph: built.graph, givenAgain: { fromRunId: record.id, names: givenSecretParams(record.params) } }),
    hooks,
  );
}

/**
 * `rollback --run last`: the most recent run that could have changed something — not a rollback
 * (a refused `rollback --run last` must not become `last` for the retry with `--yes`), not a dry run.
 */
async function lastUndoable(store: import('../../state/store').StateStore): Promise<import('../../state/store').RunRecord> {
  const found = (await store.listRuns()).find((run) => !run.rollbackOf && !run.dryRun);
  if (!found) throw usageError('no run that changed something is recorded', 'see the recorded runs with `opsctl runs list`');
  return found;
}
