import { printStatus, targetIncident, withIncidentSession } from './incident-shared';

/** `opsctl incident status [--id ID]`: elapsed time against the targets, breaches, escalation. */
export default async function status(options: { id?: string; output?: string }): Promise<void> {
  await withIncidentSession(options.output, async (session) => {
    const incident = await targetIncident(session, options.id);
    printStatus(session, incident);
  });
}
