import { addNote, markMitigated } from '../../incident/actions';
import { printJson, printStatus, targetIncident, withIncidentSession } from './incident-shared';

/** `opsctl incident mitigated [--note TEXT]`: the impact stopped; stops the time-to-mitigate clock. */
export default async function mitigated(options: { id?: string; note?: string; output?: string }): Promise<void> {
  await withIncidentSession(options.output, async (session) => {
    const incident = await targetIncident(session, options.id);
    const already = incident.mitigatedAt;
    const updated = await markMitigated(session, incident, undefined, options.note?.trim() ? `mitigated: ${options.note.trim()}` : undefined);
    if (already && options.note?.trim()) await addNote(session, incident, options.note);
    if (session.format === 'json') printJson({ type: 'incident.mitigated', incident: updated, already: Boolean(already) });
    else {
      if (already) process.stdout.write(`${incident.id} was already mitigated at ${already}\n`);
      printStatus(session, updated);
    }
  });
}
