import { addNote } from '../../incident/actions';
import { printJson, printLines, targetIncident, withIncidentSession } from './incident-shared';

/** `opsctl incident note TEXT`: a line on the timeline; notes become the postmortem's action items. */
export default async function note(text: string, options: { id?: string; output?: string }): Promise<void> {
  await withIncidentSession(options.output, async (session) => {
    const incident = await targetIncident(session, options.id);
    const entry = await addNote(session, incident, text);
    if (session.format === 'json') printJson({ type: 'incident.note', ...entry });
    else printLines([`noted on ${incident.id} at ${entry.at} by ${entry.actor}`]);
  });
}
