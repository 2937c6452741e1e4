import { reopenIncident } from '../../incident/actions';
import { selectIncident } from '../../incident/select';
import type { Incident, StateStore } from '../../state/store';
import { usageError } from '../../util/errors';
import { printJson, printStatus, withIncidentSession } from './incident-shared';

/** `opsctl incident reopen --reason TEXT [--id ID]`: the problem is back; same incident, same timeline. */
export default async function reopen(options: { id?: string; reason?: string; output?: string }): Promise<void> {
  if (options.reason === undefined) throw usageError('`incident reopen` needs `--reason TEXT`', 'say what came back, e.g. `--reason "500s are back on /checkout"`');
  const reason = options.reason;
  await withIncidentSession(options.output, async (session) => {
    const incident = options.id !== undefined ? await selectIncident(session.store, options.id) : await lastResolved(session.store);
    const reopened = await reopenIncident(session, incident, reason);
    if (session.format === 'json') printJson({ type: 'incident.reopened', incident: reopened });
    else {
      process.stderr.write(`incident ${reopened.id} reopened; its timeline goes on\n`);
      printStatus(session, reopened);
    }
  });
}

/** Without `--id`: the incident resolved most recently. */
async function lastResolved(store: StateStore): Promise<Incident> {
  const resolved = (await store.listIncidents({ status: 'resolved' })).sort((a, b) => (b.resolvedAt ?? '').localeCompare(a.resolvedAt ?? ''));
  const [newest] = resolved;
  if (!newest) throw usageError('no resolved incident to reopen', 'see them with `opsctl incident list`');
  return newest;
}

