import { listLines } from '../../incident/format';
import { usageError } from '../../util/errors';
import { printJson, printLines, statusOf, withIncidentSession } from './incident-shared';

/** `opsctl incident list [--status open|resolved]`: newest first. */
export default async function list(options: { status?: string; output?: string }): Promise<void> {
  const status = options.status;
  if (status !== undefined && status !== 'open' && status !== 'resolved') {
    throw usageError(`unknown incident status \`${status}\``, 'use `--status open` or `--status resolved`');
  }
  await withIncidentSession(options.output, async (session) => {
    const incidents = (await session.store.listIncidents(status ? { status } : undefined)).sort((a, b) => b.startedAt.localeCompare(a.startedAt));
    if (session.format === 'json') {
      printJson({ type: 'incident.list', incidents });
      return;
    }
    printLines(listLines(incidents.map((incident) => statusOf(session, incident))));
  });
}
