import { resolveIncident } from '../../incident/actions';
import { usageError } from '../../util/errors';
import { printJson, printLines, printStatus, targetIncident, withIncidentSession } from './incident-shared';

/** `opsctl incident resolve --summary TEXT [--root-cause TEXT]`. */
export default async function resolve(options: { id?: string; summary?: string; rootCause?: string; output?: string }): Promise<void> {
  if (options.summary === undefined) {
    throw usageError('`incident resolve` needs `--summary TEXT`', 'say what fixed it, e.g. `opsctl incident resolve --summary "rolled back to 1.4.1" --root-cause "pool exhausted"`');
  }
  const summary = options.summary;
  await withIncidentSession(options.output, async (session) => {
    const incident = await targetIncident(session, options.id);
    const resolved = await resolveIncident(session, incident, { summary, ...(options.rootCause !== undefined && { rootCause: options.rootCause }) });
    if (session.format === 'json') {
      printJson({ type: 'incident.resolved', incident: resolved });
      return;
    }
    printStatus(session, resolved);
    printLines([`postmortem draft: opsctl incident postmortem ${resolved.id} --output postmortem-${resolved.id}.md`]);
  });
}
