import { ExitCode } from '../cli/exit-codes';
import { OpsctlError } from '../util/errors';
import type { RunRecord, StateStore } from './store';

/**
 * The run a command names: an exact id, a unique prefix of one (`20261122T1430`), or `last`.
 * Unknown or ambiguous names are usage errors (exit 2) that say what exists. With `skipDryRuns`
 * (`resume last`), `last` is the newest run that was not a plan.
 */
export async function findRun(store: StateStore, name: string, options: { readonly skipDryRuns?: boolean } = {}): Promise<RunRecord> {
  if (name === 'last') {
    if (options.skipDryRuns) {
      const runs = await store.listRuns();
      const newest = runs.find((run) => !run.dryRun);
      if (!newest) throw new OpsctlError(runs.length > 0 ? 'only dry runs (plans) are recorded: there is no run to resume' : 'no runs are recorded yet', ExitCode.Usage, 'runs appear after `opsctl run RUNBOOK`');
      return newest;
    }
    const [newest] = await store.listRuns({ limit: 1 });
    if (!newest) throw new OpsctlError('no runs are recorded yet', ExitCode.Usage, 'runs appear after `opsctl run RUNBOOK`');
    return newest;
  }
  const exact = await store.getRun(name);
  if (exact) return exact;
  const matches = (await store.listRuns()).filter((run) => run.id.startsWith(name));
  if (matches.length === 1 && matches[0]) return matches[0];
  if (matches.length > 1) {
    throw new OpsctlError(
      `run id \`${name}\` is ambiguous: it starts ${matches.length} runs (${matches.slice(0, 4).map((r) => r.id).join(', ')}${matches.length > 4 ? ', …' : ''})`,
      ExitCode.Usage,
      'type more of the id',
    );
  }
  throw new OpsctlError(`no run \`${name}\` is recorded`, ExitCode.Usage, 'see the recorded runs with `opsctl runs list`');
}
