import type { Incident, StateStore } from '../state/store';
import { usageError } from '../util/errors';

/**
 * Which incident a command after `start` acts on: `--id`, else the one open incident. With
 * none or several open, the error says which exist and what to type (exit 2).
 */
export async function selectIncident(store: StateStore, id: string | undefined): Promise<Incident> {
  if (id !== undefined) {
    const found = await store.getIncident(id);
    if (found) return found;
    const open = await store.listIncidents({ status: 'open' });
    throw usageError(`no incident \`${id}\``, open.length > 0 ? `open incidents:\n${describeIncidents(open)}` : 'list them with `opsctl incident list`');
  }
  const open = await store.listIncidents({ status: 'open' });
  const [only, ...others] = open;
  if (!only) throw usageError('no open incident', 'start one with `opsctl incident start --severity P1..P4 --title TEXT`, or pass `--id ID` (see `opsctl incident list`)');
  if (others.length > 0) {
    throw usageError(`${open.length} incidents are open; say which one with \`--id ID\``, `open incidents:\n${describeIncidents(open)}`);
  }
  return only;
}

export function describeIncidents(incidents: readonly Incident[]): string {
  return incidents.map((i) => `  ${i.id}  ${i.severity}  ${i.status}  since ${i.startedAt}  ${i.title}`).join('\n');
}

/**
 * For `postmortem` without an id: the one open incident, else the most recent one (usually the
 * one just resolved). Several open still need `--id`.
 */
export async function selectForReview(store: StateStore, id: string | undefined): Promise<Incident> {
  if (id !== undefined) return selectIncident(store, id);
  const open = await store.listIncidents({ status: 'open' });
  if (open.length > 0) return selectIncident(store, undefined);
  const newest = (await store.listIncidents()).sort((a, b) => (b.resolvedAt ?? b.startedAt).localeCompare(a.resolvedAt ?? a.startedAt))[0];
  if (!newest) throw usageError('there are no incidents yet', 'start one with `opsctl incident start --severity P1..P4 --title TEXT`');
  return newest;
}
