import pg from 'pg';
import type { RunEvent } from '../engine/events';
import type { Incident, IncidentEntry, LockHolder, LockResult, RunRecord, StateStore } from './store';
import { defaultProbe, LOCK_TTL_MS, type LivenessProbe } from './lock-liveness';
import { migrate } from './postgres/migrate';
import { PgLocks } from './postgres/locks';
import { parseStateUrl, quoteIdent, redactPassword } from './postgres/url';
import { describeConnectError } from '../adapters/sql/errors';
import { resolveTarget } from '../adapters/sql/target';
import { OpsctlError } from '../util/errors';
import { ExitCode } from '../cli/exit-codes';

export interface PostgresStoreOptions {
  /** `postgres://…`, optionally with `?schema=NAME` (default `opsctl`). */
  readonly url: string;
  readonly now?: () => number;
  readonly lockTtlMs?: number;
  readonly probe?: (now: number) => LivenessProbe;
  /** How long a holder whose lock session dropped tries to re-take it (default 15s). */
  readonly lockRecoverMs?: number;
}

/**
 * The team-wide backend (`state: { backend: postgres, url: … }`): every opsctl that points at the
 * same database and schema shares one history, one incident list and one set of locks. Tables
 * are created and migrated on open (see postgres/migrations.ts); each write commits before its
 * promise resolves.
 */
export class PostgresStore implements StateStore {
  readonly backend = 'postgres' as const;
  readonly #pool: pg.Pool;
  readonly #locks: PgLocks;
  readonly #now: () => number;
  readonly #queues = new Map<string, Promise<unknown>>();
  readonly #t: { runs: string; events: string; incidents: string; entries: string };

  private constructor(pool: pg.Pool, url: string, schema: string, options: PostgresStoreOptions) {
    this.#pool = pool;
    this.#now = options.now ?? Date.now;
    const S = quoteIdent(schema);
    this.#t = { runs: `${S}.opsctl_runs`, events: `${S}.opsctl_events`, incidents: `${S}.opsctl_incidents`, entries: `${S}.opsctl_incident_entries` };
    const ttl = options.lockTtlMs ?? LOCK_TTL_MS;
    const probe = options.probe ?? ((now: number) => defaultProbe(now, ttl));
    this.#locks = new PgLocks(pool, url, schema, `${S}.opsctl_locks`, () => probe(this.#now()), options.lockRecoverMs);
  }

  /** Connects, creates or migrates the tables, and returns the store. Errors say what to check. */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const parsed = parseStateUrl(options.url);
    if (!parsed.ok) throw new OpsctlError(parsed.message, ExitCode.Usage, 'e.g. state: { backend: postgres, url: "${{ env.OPSCTL_DATABASE_URL }}" } in opsctl.yaml');
    const pool = new pg.Pool({ connectionString: parsed.url, max: 4, application_name: 'opsctl state', connectionTimeoutMillis: 10_000, keepAlive: true });
    pool.on('error', () => undefined);
    try {
      await migrate(pool, parsed.schema);
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw stateError(error, parsed.url, parsed.schema);
    }
    return new PostgresStore(pool, parsed.url, parsed.schema, options);
  }

  // ── runs ────────────────────────────────────────────────────────────────────
  async createRun(run: RunRecord): Promise<void> {
    const result = await this.#pool.query(
      `INSERT INTO ${this.#t.runs} (id, runbook, started_at, record) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING`,
      [run.id, run.runbook.name, run.startedAt, JSON.stringify(run)],
    );
    if (result.rowCount === 0) throw new Error(`run ${run.id} already exists in the postgres state`);
  }

  async updateRun(id: string, patch: Partial<Omit<RunRecord, 'id'>>): Promise<void> {
    await this.serial(`run:${id}`, () =>
      this.transaction(async (client) => {
        const current = await client.query<{ record: string }>(`SELECT record FROM ${this.#t.runs} WHERE id = $1 FOR UPDATE`, [id]);
        const row = current.rows[0];
        if (!row) throw new Error(`run ${id} does not exist in the postgres state`);
        const next: RunRecord = { ...(JSON.parse(row.record) as RunRecord), ...patch, id };
        await client.query(`UPDATE ${this.#t.runs} SET runbook = $2, started_at = $3, record = $4 WHERE id = $1`, [id, next.runbook.name, next.startedAt, JSON.stringify(next)]);
      }),
    );
  }

  async getRun(id: string): Promise<RunRecord | undefined> {
    const result = await this.#pool.query<{ record: string }>(`SELECT record FROM ${this.#t.runs} WHERE id = $1`, [id]);
    const row = result.rows[0];
    return row ? (JSON.parse(row.record) as RunRecord) : undefined;
  }

  async listRuns(options: { readonly limit?: number; readonly runbook?: string } = {}): Promise<RunRecord[]> {
    const result = await this.#pool.query<{ record: string }>(
      `SELECT record FROM ${this.#t.runs} WHERE ($1::text IS NULL OR runbook = $1) ORDER BY started_at DESC, id DESC LIMIT $2`,
      [options.runbook ?? null, options.limit ?? null],
    );
    return result.rows.map((r) => JSON.parse(r.record) as RunRecord);
  }

  async appendEvents(runId: string, events: readonly RunEvent[]): Promise<void> {
    if (events.length === 0) return;
    // One statement: the batch commits whole, in order, before the promise resolves.
    await this.serial(`events:${runId}`, () =>
      this.#pool.query(
        `INSERT INTO ${this.#t.events} (run_id, seq, event)
         SELECT $1, e.seq, e.event FROM unnest($2::int[], $3::text[]) WITH ORDINALITY AS e(seq, event, n) ORDER BY e.n`,
        [runId, events.map((e) => e.seq), events.map((e) => JSON.stringify(e))],
      ),
    );
  }

  async readEvents(runId: string): Promise<RunEvent[]> {
    const result = await this.#pool.query<{ event: string }>(`SELECT event FROM ${this.#t.events} WHERE run_id = $1 ORDER BY id`, [runId]);
    return result.rows.map((r) => JSON.parse(r.event) as RunEvent);
  }

  // ── incidents ───────────────────────────────────────────────────────────────
  async createIncident(incident: Incident): Promise<void> {
    const result = await this.#pool.query(
      `INSERT INTO ${this.#t.incidents} (id, status, started_at, record) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING`,
      [incident.id, incident.status, incident.startedAt, JSON.stringify(incident)],
    );
    if (result.rowCount === 0) throw new Error(`incident ${incident.id} already exists in the postgres state`);
  }

  async updateIncident(id: string, patch: Partial<Omit<Incident, 'id'>>): Promise<void> {
    await this.serial(`incident:${id}`, () =>
      this.transaction(async (client) => {
        const current = await client.query<{ record: string }>(`SELECT record FROM ${this.#t.incidents} WHERE id = $1 FOR UPDATE`, [id]);
        const row = current.rows[0];
        if (!row) throw new Error(`incident ${id} does not exist in the postgres state`);
        const next: Incident = { ...(JSON.parse(row.record) as Incident), ...patch, id };
        await client.query(`UPDATE ${this.#t.incidents} SET status = $2, started_at = $3, record = $4 WHERE id = $1`, [id, next.status, next.startedAt, JSON.stringify(next)]);
      }),
    );
  }

  async getIncident(id: string): Promise<Incident | undefined> {
    const result = await this.#pool.query<{ record: string }>(`SELECT record FROM ${this.#t.incidents} WHERE id = $1`, [id]);
    const row = result.rows[0];
    return row ? (JSON.parse(row.record) as Incident) : undefined;
  }

  async listIncidents(options: { readonly status?: Incident['status'] } = {}): Promise<Incident[]> {
    const result = await this.#pool.query<{ record: string }>(
      `SELECT record FROM ${this.#t.incidents} WHERE ($1::text IS NULL OR status = $1) ORDER BY started_at DESC, id DESC`,
      [options.status ?? null],
    );
    return result.rows.map((r) => JSON.parse(r.record) as Incident);
  }

  async appendIncidentEntry(entry: IncidentEntry): Promise<void> {
    await this.serial(`timeline:${entry.incidentId}`, () =>
      this.#pool.query(`INSERT INTO ${this.#t.entries} (incident_id, entry) VALUES ($1, $2)`, [entry.incidentId, JSON.stringify(entry)]),
    );
  }

  async readIncidentEntries(incidentId: string): Promise<IncidentEntry[]> {
    const result = await this.#pool.query<{ entry: string }>(`SELECT entry FROM ${this.#t.entries} WHERE incident_id = $1 ORDER BY id`, [incidentId]);
    return result.rows.map((r) => JSON.parse(r.entry) as IncidentEntry);
  }

  // ── locks ───────────────────────────────────────────────────────────────────
  acquireLock(holder: LockHolder): Promise<LockResult> {
    return this.serial(`lock:${holder.key}`, () => this.#locks.acquire(holder));
  }

  heartbeatLock(key: string, runId: string): Promise<void> {
    return this.serial(`lock:${key}`, () => this.#locks.heartbeat(key, runId, new Date(this.#now()).toISOString()));
  }

  releaseLock(key: string, runId: string): Promise<void> {
    return this.serial(`lock:${key}`, () => this.#locks.release(key, runId));
  }

  forceReleaseLock(key: string): Promise<LockHolder | undefined> {
    return this.serial(`lock:${key}`, () => this.#locks.forceRelease(key));
  }

  checkLock(key: string, runId: string): Promise<void> {
    return this.#locks.check(key, runId);
  }

  listLocks(): Promise<LockHolder[]> {
    return this.#locks.list();
  }

  /** Waits for pending writes, frees the locks this process still holds, closes the pool. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.#queues.values()]);
    await this.#locks.releaseAll();
    await this.#pool.end().catch(() => undefined);
  }

  // ── helpers ─────────────────────────────────────────────────────────────────
  private async transaction<T>(task: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      const result = await task(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Runs `task` after every earlier task on the same key, so appends keep their call order. */
  private serial<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#queues.get(key) ?? Promise.resolve();
    const next = previous.then(task, task);
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    this.#queues.set(key, settled);
    void settled.then(() => {
      if (this.#queues.get(key) === settled) this.#queues.delete(key);
    });
    return next;
  }
}

export function openPostgresStore(options: PostgresStoreOptions): Promise<PostgresStore> {
  return PostgresStore.open(options);
}

/** A failure to open the state database, as a message naming the server and what to check. */
function stateError(error: unknown, url: string, schema: string): OpsctlError {
  const message = error instanceof Error ? error.message : String(error);
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  const connecting = typeof code === 'string' ? /^(E[A-Z]+$|08|28|3D000|53300|57P03)/.test(code) : /timeout|terminated|connect/i.test(message);
  const resolved = resolveTarget(url, {}, process.env);
  if (connecting && resolved.ok) {
    const described = describeConnectError(error, resolved.target, '`state.url` in opsctl.yaml');
    return new OpsctlError(
      `the postgres state backend is unavailable: ${described.message}`,
      ExitCode.Usage,
      'if you must act before it is back, run the command with OPSCTL_STATE=file to use the local file backend (.opsctl/ beside opsctl.yaml): no team-wide locks, and the run is recorded on this machine only',
    );
  }
  return new OpsctlError(
    `could not prepare the opsctl tables in schema \`${schema}\` of ${redactPassword(url)}: ${message}`,
    ExitCode.Usage,
    'opsctl creates its tables on first use: the database user needs CREATE on the database (or an existing schema it owns).',
  );
}
