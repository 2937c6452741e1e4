import { usageError } from '../../util/errors';
import { printStatus, targetIncident, withIncidentSession } from './incident-shared';
import { runIncidentRunbook, type IncidentRunFlags } from './incident-runbook';

/** `opsctl incident run RUNBOOK [-p k=v]`: a runbook on the incident's timeline (a fix, a rollback, a check). */
export default async function run(target: string, flags: IncidentRunFlags & { id?: string; output?: string }): Promise<void> {
  await withIncidentSession(flags.output, async (session) => {
    const incident = await targetIncident(session, flags.id);
    if (incident.status !== 'open') {
      throw usageError(`incident \`${incident.id}\` is resolved; runbooks run on open incidents`, `run it outside the incident: \`opsctl run ${target}\``);
    }
    await runIncidentRunbook(session, incident, target, flags);
    if (session.format !== 'json') printStatus(session, (await session.store.getIncident(incident.id)) ?? incident);
  });
}
