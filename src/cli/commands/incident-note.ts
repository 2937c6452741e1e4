import { addNote } from '../../incident/actions';
import { printJson, printLines, targetIncident, withIncidentSession } from './incident-shared';

/** `opsctl incident note TEXT`: a line on the timeline; notes become the postmortem's action items. */
export default async function note(text: string, options: { id?: string; output?: string }): Promise<void> {
  await withIncidentSession(options.output, async (session) => {
    const incident = await targetIncident(session, options.id);
    await addNote(session, incident, text);
    const at = new Date(session.clock.now()).toISOString();
    if (session.format === 'json') printJson({ type: 'incident.note', incidentId: incident.id, at, actor: session.user, text: text.trim() });
    else printLines([`noted on ${incident.id} at ${at} by ${session.user}`]);
  });
}
