import { mkdirSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunEvent } from '../engine/events';
import type { DamagedRun, Incident, IncidentEntry, LockHolder, LockResult, RunRecord, StateStore } from './store';
import { appendLinesSynced, isCode, readIfExists, readJson, readJsonSync, readNdjson, writeJsonAtomic, writeJsonAtomicSync, SyncAppender } from './fs-durable';
import { FileLocks } from './file-locks';
import { defaultProbe, LOCK_TTL_MS, type LivenessProbe } from './lock-liveness';
import { RUN_ID_PATTERN } from './run-id';

export interface FileStoreOptions {
  /** The `.opsctl` folder. */
  readonly dir: string;
  readonly now?: () => number;
  readonly lockTtlMs?: number;
  /** Tests replace how liveness of a holder is judged. */
  readonly probe?: (now: number) => LivenessProbe;
}

/**
 * The embedded default backend: `.opsctl/` beside opsctl.yaml.
 *   runs/<id>/run.json          the run record, replaced atomically on every update
 *   runs/<id>/events.ndjson     the journal, appended and fsynced per batch
 *   incidents/<id>.json         the incident, replaced atomically
 *   incidents/<id>.ndjson       its timeline
 *   locks/<key>.json            the holder of a lock
 * Writes to one file are serialized inside the process; run ids are unique, so two processes
 * never write the same run.
 */
export class FileStore implements StateStore {
  readonly backend = 'file' as const;
  readonly dir: string;
  readonly #now: () => number;
  readonly #locks: FileLocks;
  readonly #queues = new Map<string, Promise<unknown>>();
  /** Journals of runs appended to synchronously, kept open (one per live run). */
  readonly #journals = new Map<string, SyncAppender>();

  constructor(options: FileStoreOptions) {
    this.dir = options.dir;
    this.#now = options.now ?? Date.now;
    const ttl = options.lockTtlMs ?? LOCK_TTL_MS;
    const probe = options.probe ?? ((now: number) => defaultProbe(now, ttl));
    this.#locks = new FileLocks(join(this.dir, 'locks'), () => probe(this.#now()), this.#now);
  }

  // ── runs ────────────────────────────────────────────────────────────────────
  async createRun(run: RunRecord): Promise<void> {
    assertId(run.id, 'run');
    await mkdir(join(this.dir, 'runs'), { recursive: true });
    try {
      await mkdir(this.runDir(run.id));
    } catch (error) {
      if (isCode(error, 'EEXIST')) throw new Error(`run ${run.id} already exists in ${this.dir}`);
      throw error;
    }
    await this.serial(`run:${run.id}`, () => writeJsonAtomic(this.runFile(run.id), run));
  }

  async updateRun(id: string, patch: Partial<Omit<RunRecord, 'id'>>): Promise<void> {
    await this.serial(`run:${id}`, async () => {
      const current = await readJson<RunRecord>(this.runFile(id));
      if (!current) throw new Error(`run ${id} does not exist in ${this.dir}`);
      await writeJsonAtomic(this.runFile(id), { ...current, ...patch, id });
    });
  }

  /** Blocking update for the last moments of a process (an exit handler cannot wait). */
  updateRunSync(id: string, patch: Partial<Omit<RunRecord, 'id'>>): void {
    const current = readJsonSync<RunRecord>(this.runFile(id));
    if (!current) return;
    writeJsonAtomicSync(this.runFile(id), { ...current, ...patch, id });
  }

  async getRun(id: string): Promise<RunRecord | undefined> {
    if (!isSafeId(id)) return undefined;
    const run = await readJson<RunRecord>(this.runFile(id));
    return isRunRecord(run, id) ? run : undefined;
  }

  async listRuns(options: { readonly limit?: number; readonly runbook?: string } = {}): Promise<RunRecord[]> {
    let ids = await listNames(join(this.dir, 'runs'));
    // Ids start with their start time: with a limit, only the newest few need reading (a margin
    // covers runs started within the same second, whose random suffixes do not sort by time).
    if (options.limit !== undefined && !options.runbook && ids.every((id) => RUN_ID_PATTERN.test(id))) {
      const sorted = ids.sort().reverse();
      const cut = sorted[options.limit - 1]?.slice(0, 15);
      ids = cut === undefined ? sorted : sorted.filter((id, i) => i < options.limit! || id.slice(0, 15) >= cut);
    }
    const runs: RunRecord[] = [];
    for (const id of ids) {
      const run = await readJson<RunRecord>(this.runFile(id));
      if (isRunRecord(run, id) && (!options.runbook || run.runbook.name === options.runbook)) runs.push(run);
    }
    runs.sort((a, b) => (a.startedAt === b.startedAt ? b.id.localeCompare(a.id) : b.startedAt.localeCompare(a.startedAt)));
    return options.limit === undefined ? runs : runs.slice(0, options.limit);
  }

  /**
   * Run folders whose run.json does not parse as a run record, or is missing beside a journal
   * (createRun writes the record before any event, so a journal alone means the record was lost).
   */
  async damagedRuns(): Promise<DamagedRun[]> {
    const damaged: DamagedRun[] = [];
    for (const id of (await listNames(join(this.dir, 'runs'))).sort().reverse()) {
      if (!isSafeId(id)) continue;
      const problem = await this.recordProblem(id);
      if (problem) damaged.push({ id, problem });
    }
    return damaged;
  }

  private async recordProblem(id: string): Promise<string | undefined> {
    let text: string | undefined;
    try {
      text = await readIfExists(this.runFile(id));
    } catch (error) {
      if (isCode(error, 'ENOTDIR')) return undefined;
      return `run.json cannot be read (${error instanceof Error ? error.message : String(error)})`;
    }
    if (text === undefined) {
      const journal = await readIfExists(join(this.runDir(id), 'events.ndjson')).catch(() => undefined);
      return journal ? 'run.json is missing (its journal is there)' : undefined;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return `run.json is not valid JSON (${(error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ')})`;
    }
    return isRunRecord(value, id) ? undefined : 'run.json is not a run record (no id, runbook or start time)';
  }

  async appendEvents(runId: string, events: readonly RunEvent[]): Promise<void> {
    if (events.length === 0) return;
    assertId(runId, 'run');
    await this.serial(`events:${runId}`, async () => {
      await mkdir(this.runDir(runId), { recursive: true });
      await appendLinesSynced(join(this.runDir(runId), 'events.ndjson'), events.map((e) => JSON.stringify(e)));
    });
  }

  /**
   * Appends and fsyncs before returning, blocking: the journal uses it at step transitions.
   * Not part of StateStore; callers must not mix it with pending `appendEvents` of the same run.
   */
  appendEventsSync(runId: string, events: readonly RunEvent[]): void {
    if (events.length === 0) return;
    assertId(runId, 'run');
    let journal = this.#journals.get(runId);
    if (!journal) {
      mkdirSync(this.runDir(runId), { recursive: true });
      journal = new SyncAppender(join(this.runDir(runId), 'events.ndjson'));
      this.#journals.set(runId, journal);
    }
    try {
      journal.append(events.map((e) => JSON.stringify(e)));
    } catch (error) {
      // Opened again at the next append (the folder may have been removed and made again).
      this.#journals.delete(runId);
      journal.close();
      throw error;
    }
  }

  async readEvents(runId: string): Promise<RunEvent[]> {
    if (!isSafeId(runId)) return [];
    return readNdjson<RunEvent>(join(this.runDir(runId), 'events.ndjson'));
  }

  // ── incidents ───────────────────────────────────────────────────────────────
  async createIncident(incident: Incident): Promise<void> {
    assertId(incident.id, 'incident');
    await mkdir(join(this.dir, 'incidents'), { recursive: true });
    await this.serial(`incident:${incident.id}`, async () => {
      if (await readJson<Incident>(this.incidentFile(incident.id))) throw new Error(`incident ${incident.id} already exists in ${this.dir}`);
      await writeJsonAtomic(this.incidentFile(incident.id), incident);
    });
  }

  async updateIncident(id: string, patch: Partial<Omit<Incident, 'id'>>): Promise<void> {
    await this.serial(`incident:${id}`, async () => {
      const current = await readJson<Incident>(this.incidentFile(id));
      if (!current) throw new Error(`incident ${id} does not exist in ${this.dir}`);
      await writeJsonAtomic(this.incidentFile(id), { ...current, ...patch, id });
    });
  }

  async getIncident(id: string): Promise<Incident | undefined> {
    if (!isSafeId(id)) return undefined;
    return readJson<Incident>(this.incidentFile(id));
  }

  async listIncidents(options: { readonly status?: Incident['status'] } = {}): Promise<Incident[]> {
    const names = (await listNames(join(this.dir, 'incidents'))).filter((n) => n.endsWith('.json'));
    const incidents: Incident[] = [];
    for (const name of names) {
      const incident = await readJson<Incident>(join(this.dir, 'incidents', name));
      if (incident && (!options.status || incident.status === options.status)) incidents.push(incident);
    }
    return incidents.sort((a, b) => (a.startedAt === b.startedAt ? b.id.localeCompare(a.id) : b.startedAt.localeCompare(a.startedAt)));
  }

  async appendIncidentEntry(entry: IncidentEntry): Promise<void> {
    assertId(entry.incidentId, 'incident');
    await mkdir(join(this.dir, 'incidents'), { recursive: true });
    await this.serial(`timeline:${entry.incidentId}`, () =>
      appendLinesSynced(join(this.dir, 'incidents', `${entry.incidentId}.ndjson`), [JSON.stringify(entry)]),
    );
  }

  async readIncidentEntries(incidentId: string): Promise<IncidentEntry[]> {
    if (!isSafeId(incidentId)) return [];
    return readNdjson<IncidentEntry>(join(this.dir, 'incidents', `${incidentId}.ndjson`));
  }

  // ── locks ───────────────────────────────────────────────────────────────────
  acquireLock(holder: LockHolder): Promise<LockResult> {
    return this.serial(`lock:${holder.key}`, () => this.#locks.acquire(holder));
  }

  heartbeatLock(key: string, runId: string): Promise<void> {
    return this.serial(`lock:${key}`, () => this.#locks.heartbeat(key, runId));
  }

  releaseLock(key: string, runId: string): Promise<void> {
    return this.serial(`lock:${key}`, () => this.#locks.release(key, runId));
  }

  forceReleaseLock(key: string): Promise<LockHolder | undefined> {
    return this.serial(`lock:${key}`, () => this.#locks.forceRelease(key));
  }

  listLocks(): Promise<LockHolder[]> {
    return this.#locks.list();
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.#queues.values()]);
    for (const journal of this.#journals.values()) journal.close();
    this.#journals.clear();
  }

  // ── helpers ─────────────────────────────────────────────────────────────────
  private runDir(id: string): string {
    return join(this.dir, 'runs', id);
  }

  private runFile(id: string): string {
    return join(this.runDir(id), 'run.json');
  }

  private incidentFile(id: string): string {
    return join(this.dir, 'incidents', `${id}.json`);
  }

  /** Runs `task` after every earlier task on the same key, so read-modify-write cannot interleave. */
  private serial<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#queues.get(key) ?? Promise.resolve();
    const next = previous.then(task, task);
    const settled = next.catch(() => undefined);
    this.#queues.set(key, settled);
    void settled.then(() => {
      if (this.#queues.get(key) === settled) this.#queues.delete(key);
    });
    return next;
  }
}

async function listNames(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((name) => !name.startsWith('.'));
  } catch (error) {
    if (isCode(error, 'ENOENT')) return [];
    throw error;
  }
}

/** Enough of a run record to list and sort it; anything else is a damaged record. */
function isRunRecord(value: unknown, id: string): value is RunRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as { id?: unknown; runbook?: { name?: unknown } | null; startedAt?: unknown };
  return record.id === id && typeof record.runbook === 'object' && record.runbook !== null && typeof record.runbook.name === 'string' && typeof record.startedAt === 'string';
}

/** Ids become path segments: refuse anything that could leave the folder. */
function isSafeId(id: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._:@-]*$/.test(id) && !id.includes('..');
}

function assertId(id: string, what: string): void {
  if (!isSafeId(id)) throw new Error(`invalid ${what} id \`${id}\`: use letters, digits, and . _ : @ -`);
}
