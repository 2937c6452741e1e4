import type { RunRecord, StateStore } from '../../state/store';
import { usageError } from '../../util/errors';
import { prepareResume, type PreparedResume, type ResumeFlags } from './resume';
import { printStatus, targetIncident, withIncidentSession } from './incident-shared';
import { runOnIncident } from './incident-runbook';
import { selectIncident } from '../../incident/select';

/**
 * `opsctl incident resume [RUN]`: picks up the incident's runbook where it stopped (a declined
 * gate, Ctrl-C, a failed step). Without RUN, the incident's most recent run that did not finish.
 * Steps already done are not run again; `incident.*` is back and the run joins the timeline.
 */
export default async function incidentResume(runId: string | undefined, flags: ResumeFlags & { id?: string }): Promise<void> {
  await withIncidentSession(flags.output, async (session) => {
    const incident = await targetIncident(session, flags.id);
    const record = await pickRun(session.store, incident.runIds, runId, incident.id);
    const prepared = await prepareResume(session.store, record, flags);
    await runOnIncident(session, incident, prepared.request, prepared.hookOptions);
    if (session.format !== 'json') printStatus(session, (await session.store.getIncident(incident.id)) ?? incident);
  });
}

/** Used by `opsctl resume RUN` when RUN belongs to an incident. */
export async function resumeOnIncident(incidentId: string, prepared: PreparedResume, output: string | undefined): Promise<void> {
  await withIncidentSession(output, async (session) => {
    const incident = await selectIncident(session.store, incidentId);
    await runOnIncident(session, incident, prepared.request, prepared.hookOptions);
  });
}

async function pickRun(store: StateStore, runIds: readonly string[], wanted: string | undefined, incidentId: string): Promise<RunRecord> {
  if (wanted !== undefined) {
    const { findRun } = await import('../../state/find-run');
    const record = await findRun(store, wanted);
    if (record.incidentId !== incidentId && !runIds.includes(record.id)) {
      throw usageError(`run ${record.id} is not a run of incident ${incidentId}`, `resume it outside the incident with \`opsctl resume ${record.id}\``);
    }
    return record;
  }
  const records = (await Promise.all(runIds.map((id) => store.getRun(id)))).filter((r): r is RunRecord => r !== undefined);
  // A run that a later run resumed is continued by that one, not again.
  const continued = new Set(records.map((r) => r.resumedFrom).filter((id): id is string => id !== undefined));
  for (const record of [...records].reverse()) {
    if (!record.dryRun && record.status !== 'succeeded' && !record.rollbackOf && !continued.has(record.id)) return record;
  }
  throw usageError(`incident ${incidentId} has no unfinished run to resume`, 'run a runbook on it with `opsctl incident run RUNBOOK`');
}
