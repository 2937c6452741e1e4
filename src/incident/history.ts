import type { Incident, IncidentEntry, StateStore } from '../state/store';
import { buildTimeline, type IncidentRun, type TimelineItem } from './timeline';

/** Reads what the timeline is built from: the incident's entries and each attached run's events. */
export async function readHistory(store: StateStore, incident: Incident): Promise<{ entries: IncidentEntry[]; runs: IncidentRun[]; timeline: TimelineItem[] }> {
  const entries = await store.readIncidentEntries(incident.id);
  const runs: IncidentRun[] = [];
  for (const runId of incident.runIds) {
    const record = await store.getRun(runId);
    if (record) runs.push({ record, events: await store.readEvents(runId) });
  }
  return { entries, runs, timeline: buildTimeline(entries, runs) };
}
