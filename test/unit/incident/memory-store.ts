import type { RunEvent } from '../../../src/engine/events';
import type { Incident, IncidentEntry, LockHolder, LockResult, RunRecord, StateStore } from '../../../src/state/store';

/** A test-only StateStore in memory: enough to drive the incident functions without a backend. */
export class MemoryStore implements StateStore {
  readonly backend = 'file' as const;
  readonly runs = new Map<string, RunRecord>();
  readonly events = new Map<string, RunEvent[]>();
  readonly incidents = new Map<string, Incident>();
  readonly entries: IncidentEntry[] = [];
  readonly locks = new Map<string, LockHolder>();

  async createRun(run: RunRecord) {
    this.runs.set(run.id, run);
  }
  async updateRun(id: string, patch: Partial<Omit<RunRecord, 'id'>>) {
    const run = this.runs.get(id);
    if (!run) throw new Error(`no run ${id}`);
    this.runs.set(id, { ...run, ...patch });
  }
  async getRun(id: string) {
    return this.runs.get(id);
  }
  async listRuns(options?: { readonly limit?: number; readonly runbook?: string }) {
    const all = [...this.runs.values()].filter((r) => !options?.runbook || r.runbook.name === options.runbook).reverse();
    return options?.limit ? all.slice(0, options.limit) : all;
  }
  async appendEvents(runId: string, events: readonly RunEvent[]) {
    this.events.set(runId, [...(this.events.get(runId) ?? []), ...events]);
  }
  async readEvents(runId: string) {
    return [...(this.events.get(runId) ?? [])];
  }
  async createIncident(incident: Incident) {
    if (this.incidents.has(incident.id)) throw new Error(`incident ${incident.id} exists`);
    this.incidents.set(incident.id, incident);
  }
  async updateIncident(id: string, patch: Partial<Omit<Incident, 'id'>>) {
    const incident = this.incidents.get(id);
    if (!incident) throw new Error(`no incident ${id}`);
    this.incidents.set(id, { ...incident, ...patch });
  }
  async getIncident(id: string) {
    return this.incidents.get(id);
  }
  async listIncidents(options?: { readonly status?: Incident['status'] }) {
    return [...this.incidents.values()].filter((i) => !options?.status || i.status === options.status);
  }
  async appendIncidentEntry(entry: IncidentEntry) {
    this.entries.push(entry);
  }
  async readIncidentEntries(incidentId: string) {
    return this.entries.filter((e) => e.incidentId === incidentId);
  }
  async acquireLock(holder: LockHolder): Promise<LockResult> {
    const held = this.locks.get(holder.key);
    if (held) return { acquired: false, holder: held };
    this.locks.set(holder.key, holder);
    return { acquired: true };
  }
  async heartbeatLock() {}
  async releaseLock(key: string) {
    this.locks.delete(key);
  }
  async forceReleaseLock(key: string) {
    const held = this.locks.get(key);
    this.locks.delete(key);
    return held;
  }
  async listLocks() {
    return [...this.locks.values()];
  }
  async close() {}
}
