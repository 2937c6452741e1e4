import { Client, type Pool } from 'pg';
import type { LockHolder, LockResult } from '../store';
import { staleReason, type LivenessProbe, type StaleReason } from '../lock-liveness';
import { advisoryLockId } from './url';

/**
 * A lock this process holds: the session that holds the advisory lock, kept open until release.
 * When that session ends under us (failover, pgbouncer restart, a network blip) the lock is
 * `recovering`: a new session re-takes the advisory lock if our row still names us with a live
 * heartbeat; otherwise (someone took it over, it was force-released, the database stayed away)
 * it is `lost`, with the reason.
 */
interface Held {
  readonly runId: string;
  client: Client;
  backendPid: number;
  state: 'held' | 'recovering' | 'lost';
  lostReason?: string;
  recovery?: Promise<void>;
}

interface Row {
  readonly holder: LockHolder;
  readonly backendPid: number;
  /** The session named by the row still holds the advisory lock. */
  readonly live: boolean;
}

/** How long a loser waits for the winner's row to appear (it is written right after the lock). */
const ROW_WAIT_MS = 2_000;
/** How long a takeover waits for a terminated session to let go of its advisory lock. */
const RELEASE_WAIT_MS = 5_000;
/** How long a holder whose session dropped keeps trying to re-take its lock before it counts as lost. */
export const RECOVER_WAIT_MS = 15_000;

/**
 * Locks on PostgreSQL: `pg_try_advisory_lock` on a session of its own, kept open by the holder,
 * plus a row in `opsctl_locks` naming the holder. When the holder's process dies its session
 * ends and the server frees the advisory lock; the next run replaces the stale row only if that
 * holder is dead by the rules of lock-liveness.ts (its pid is gone on this host, or its heartbeat
 * expired): a session can also end under a holder that is alive, which then re-takes its lock.
 * A holder whose session stays up but whose heartbeat expired is evicted with
 * `pg_terminate_backend`, like a dead process on this host.
 */
export class PgLocks {
  readonly #held = new Map<string, Held>();

  constructor(
    private readonly pool: Pool,
    private readonly url: string,
    private readonly schema: string,
    private readonly table: string,
    private readonly probe: () => LivenessProbe,
    private readonly recoverWaitMs = RECOVER_WAIT_MS,
  ) {}

  async acquire(holder: LockHolder): Promise<LockResult> {
    const id = advisoryLockId(this.schema, holder.key);
    let takenOver: { holder: LockHolder; reason: StaleReason } | undefined;
    const deadline = Date.now() + RELEASE_WAIT_MS;
    const session = await this.openSession(holder.key);
    let kept = false;
    try {
      for (;;) {
        const got = await session.client.query<{ got: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS got', [id]);
        if (got.rows[0]?.got === true) {
          // The advisory lock is free, but a row naming a live holder whose session dropped is
          // still that holder's lock: it re-takes it as soon as it can reach the database.
          const previous = takenOver ? undefined : await this.rowOf(session.client, holder.key);
          if (previous && previous.runId !== holder.runId && !staleReason(previous, this.probe())) {
            return { acquired: false, holder: previous };
          }
          const stale = await this.claimRow(holder, id, session.backendPid);
          const held: Held = { runId: holder.runId, client: session.client, backendPid: session.backendPid, state: 'held' };
          this.#held.set(holder.key, held);
          this.watch(holder.key, session.client);
          kept = true;
          if (!takenOver && stale) takenOver = { holder: stale, reason: staleReason(stale, this.probe()) ?? 'dead-process' };
          return takenOver ? { acquired: true, takenOver } : { acquired: true };
        }
        const current = await this.waitForRow(holder.key, id);
        const evicted = takenOver && current?.holder.runId === takenOver.holder.runId;
        if (current === undefined || evicted) {
          // Released between our attempt and the read, or an evicted session not gone yet.
          if (Date.now() > deadline) throw new Error(`lock \`${holder.key}\`: the session holding it did not let go within ${RELEASE_WAIT_MS / 1000}s`);
          await sleep(25);
          continue;
        }
        const reason = staleReason(current.holder, this.probe());
        if (!reason) return { acquired: false, holder: current.holder };
        await this.evict(holder.key, current);
        takenOver = { holder: current.holder, reason };
      }
    } finally {
      if (!kept) await session.client.end().catch(() => undefined);
    }
  }

  /**
   * Renews the holder's heartbeat. A database that does not answer is retried for the recovery
   * time; a session that ended before we noticed is re-taken first.
   */
  async heartbeat(key: string, runId: string, at: string): Promise<void> {
    const until = Date.now() + this.recoverWaitMs;
    for (let attempt = 0; ; attempt++) {
      await this.check(key, runId);
      let renewed: boolean;
      try {
        const result = await this.pool.query(
          `UPDATE ${this.table} AS l SET holder = (l.holder::jsonb || jsonb_build_object('heartbeatAt', $3::text))::text
            WHERE l.key = $1 AND l.run_id = $2 AND ${LIVE}`,
          [key, runId, at],
        );
        renewed = (result.rowCount ?? 0) > 0;
      } catch (error) {
        if (Date.now() > until) {
          throw new Error(`lock \`${key}\` could not be renewed: the state database connection dropped (${error instanceof Error ? error.message : String(error)})`);
        }
        await sleep(250);
        continue;
      }
      if (renewed) return;
      const now = await this.readRow(key, advisoryLockId(this.schema, key));
      const held = this.#held.get(key);
      if (attempt === 0 && held?.runId === runId && held.state === 'held' && now?.holder.runId === runId && !now.live) {
        // Our session is gone but its end was not noticed yet: re-take the lock, then renew.
        this.startRecovery(key, held);
        continue;
      }
      const other = now?.live && now.holder.runId !== runId ? now.holder : undefined;
      throw new Error(
        other
          ? `lock \`${key}\` is no longer held by run ${runId}: run ${other.runId} (${other.user}@${other.host}) took it over`
          : `lock \`${key}\` is no longer held by run ${runId}: it was released`,
      );
    }
  }

  async release(key: string, runId: string): Promise<void> {
    await this.pool.query(`DELETE FROM ${this.table} WHERE key = $1 AND run_id = $2`, [key, runId]);
    const held = this.#held.get(key);
    if (held && held.runId === runId) await this.dropSession(key, held);
  }

  async forceRelease(key: string): Promise<LockHolder | undefined> {
    const row = await this.readRow(key, advisoryLockId(this.schema, key));
    if (!row) return undefined;
    // The row goes first: a holder whose session we end then finds it gone and does not re-take it.
    await this.pool.query(`DELETE FROM ${this.table} WHERE key = $1 AND run_id = $2`, [key, row.holder.runId]);
    if (row.live) await this.evict(key, row);
    return row.live || !staleReason(row.holder, this.probe()) ? row.holder : undefined;
  }

  /**
   * Resolves while `runId` still holds `key` in this process; after its session dropped, once
   * the lock is re-taken. Rejects with why it is lost. No database round trip when nothing
   * happened, so it can run before every step.
   */
  async check(key: string, runId: string): Promise<void> {
    const held = this.#held.get(key);
    if (!held || held.runId !== runId) return;
    if (held.state === 'recovering') await held.recovery;
    if (held.state === 'lost') throw new Error(`lock \`${key}\` is no longer held by run ${runId}: ${held.lostReason ?? 'its database session ended'}`);
  }

  /**
   * Holders whose session still holds the advisory lock, and those whose session dropped but who
   * count as alive (they re-take it, and contenders are refused); stale rows are left out.
   */
  async list(): Promise<LockHolder[]> {
    const result = await this.pool.query<{ holder: string; live: boolean }>(`SELECT l.holder, (${LIVE}) AS live FROM ${this.table} l ORDER BY l.key`);
    const probe = this.probe();
    return result.rows.map((r) => ({ holder: JSON.parse(r.holder) as LockHolder, live: r.live })).filter((r) => r.live || !staleReason(r.holder, probe)).map((r) => r.holder);
  }

  /** Releases every lock this process holds (on close). */
  async releaseAll(): Promise<void> {
    for (const [key, held] of [...this.#held]) await this.release(key, held.runId).catch(() => this.dropSession(key, held));
  }

  private async openSession(key: string): Promise<{ client: Client; backendPid: number }> {
    const client = new Client({ connectionString: this.url, application_name: `opsctl lock ${key}`.slice(0, 63), keepAlive: true, connectionTimeoutMillis: 10_000 });
    client.on('error', () => this.sessionEnded(key, client));
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    const pid = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    return { client, backendPid: Number(pid.rows[0]?.pid ?? 0) };
  }

  /** Writes our row, replacing a stale one; returns the holder it replaced, if any. */
  private async claimRow(holder: LockHolder, id: string, backendPid: number): Promise<LockHolder | undefined> {
    const result = await this.pool.query<{ previous: string | null }>(
      `WITH old AS (SELECT holder FROM ${this.table} WHERE key = $1)
       INSERT INTO ${this.table} AS l (key, lock_id, run_id, backend_pid, holder) VALUES ($1, $2::bigint, $3, $4, $5)
       ON CONFLICT (key) DO UPDATE SET lock_id = EXCLUDED.lock_id, run_id = EXCLUDED.run_id, backend_pid = EXCLUDED.backend_pid, holder = EXCLUDED.holder
       RETURNING (SELECT holder FROM old) AS previous`,
      [holder.key, id, holder.runId, backendPid, JSON.stringify(holder)],
    );
    const previous = result.rows[0]?.previous;
    return previous ? (JSON.parse(previous) as LockHolder) : undefined;
  }

  /** The row's holder, read on `client` (the session that holds the advisory lock). */
  private async rowOf(client: Client, key: string): Promise<LockHolder | undefined> {
    const result = await client.query<{ holder: string }>(`SELECT holder FROM ${this.table} WHERE key = $1`, [key]);
    const row = result.rows[0];
    return row ? (JSON.parse(row.holder) as LockHolder) : undefined;
  }

  private async readRow(key: string, id: string): Promise<Row | undefined> {
    const result = await this.pool.query<{ holder: string; backend_pid: number; live: boolean }>(
      `SELECT l.holder, l.backend_pid, (${LIVE}) AS live FROM ${this.table} l WHERE l.key = $1 AND l.lock_id = $2::bigint`,
      [key, id],
    );
    const row = result.rows[0];
    return row ? { holder: JSON.parse(row.holder) as LockHolder, backendPid: row.backend_pid, live: row.live } : undefined;
  }

  /** The live holder's row; the winner of a race writes it just after taking the lock. */
  private async waitForRow(key: string, id: string): Promise<Row | undefined> {
    const until = Date.now() + ROW_WAIT_MS;
    for (;;) {
      const row = await this.readRow(key, id);
      if (row?.live) return row;
      const held = await this.pool.query<{ held: boolean }>(`SELECT EXISTS (SELECT 1 FROM pg_locks p WHERE ${ADVISORY} AND p.classid::bigint = (($1::bigint >> 32) & 4294967295) AND p.objid::bigint = ($1::bigint & 4294967295)) AS held`, [id]);
      if (held.rows[0]?.held !== true) return undefined;
      if (Date.now() > until) {
        throw new Error(`lock \`${key}\` is held by a database session that did not record its holder (run \`SELECT * FROM pg_locks WHERE locktype = 'advisory'\` to find it)`);
      }
      await sleep(25);
    }
  }

  /** Ends the session that holds a lock: ours directly, another process's with pg_terminate_backend. */
  private async evict(key: string, row: Row): Promise<void> {
    const held = this.#held.get(key);
    if (held && held.backendPid === row.backendPid) {
      await this.dropSession(key, held);
      return;
    }
    await this.pool.query('SELECT pg_terminate_backend($1)', [row.backendPid]).catch((error: unknown) => {
      throw new Error(
        `lock \`${key}\`: could not end the database session ${row.backendPid} of run ${row.holder.runId} (${error instanceof Error ? error.message : String(error)}); the database user needs pg_signal_backend`,
      );
    });
  }

  private async dropSession(key: string, held: Held): Promise<void> {
    if (this.#held.get(key) === held) this.#held.delete(key);
    held.state = 'lost';
    held.lostReason ??= 'it was released';
    // Ending the session frees its advisory lock.
    await held.client.end().catch(() => undefined);
  }

  private watch(key: string, client: Client): void {
    client.on('end', () => this.sessionEnded(key, client));
  }

  /** Our lock's session ended without us ending it: re-take the lock in the background. */
  private sessionEnded(key: string, client: Client): void {
    const held = this.#held.get(key);
    if (!held || held.client !== client || held.state !== 'held') return;
    this.startRecovery(key, held);
  }

  private startRecovery(key: string, held: Held): void {
    const old = held.client;
    held.state = 'recovering';
    held.recovery = this.recover(key, held);
    void old.end().catch(() => undefined);
  }

  /**
   * Re-takes the advisory lock on a new session, but only while our row still names our run with
   * a heartbeat contenders count as live; a row naming another run, no row (force-released) or
   * our own expired heartbeat means the lock is lost.
   */
  private async recover(key: string, held: Held): Promise<void> {
    const id = advisoryLockId(this.schema, key);
    const until = Date.now() + this.recoverWaitMs;
    const lose = (reason: string) => {
      held.state = 'lost';
      held.lostReason = reason;
    };
    let lastError = '';
    for (;;) {
      if (this.#held.get(key) !== held) return lose('it was released');
      let session: { client: Client; backendPid: number } | undefined;
      let kept = false;
      try {
        session = await this.openSession(key);
        const got = await session.client.query<{ got: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS got', [id]);
        if (got.rows[0]?.got === true) {
          const row = await this.rowOf(session.client, key);
          if (!row) return lose('its database session ended and the lock was released meanwhile (`opsctl lock release --force`)');
          if (row.runId !== held.runId) return lose(`its database session ended and run ${row.runId} (${row.user} on ${row.host}) took it over meanwhile`);
          if (staleReason(row, this.probe()) === 'expired') return lose(`its heartbeat expired (last renewed ${row.heartbeatAt}) and its database session ended: another run may take it over`);
          const at = new Date(this.probe().now).toISOString();
          await session.client.query(
            `UPDATE ${this.table} SET backend_pid = $3, holder = (holder::jsonb || jsonb_build_object('heartbeatAt', $4::text))::text WHERE key = $1 AND run_id = $2`,
            [key, held.runId, session.backendPid, at],
          );
          if (this.#held.get(key) !== held) return lose('it was released');
          held.client = session.client;
          held.backendPid = session.backendPid;
          held.state = 'held';
          this.watch(key, session.client);
          kept = true;
          return;
        }
        // Someone holds it: a contender looking at our row (it backs off), or a new holder.
        const row = await this.readRow(key, id);
        if (row?.live && row.holder.runId !== held.runId) {
          return lose(`its database session ended and run ${row.holder.runId} (${row.holder.user} on ${row.holder.host}) took it over meanwhile`);
        }
        lastError = 'another session holds its advisory lock';
      } catch (error) {
        lastError = error instanceof Error ? error.message : String(error);
      } finally {
        if (session && !kept) await session.client.end().catch(() => undefined);
      }
      if (Date.now() > until) return lose(`the state database connection dropped and the lock could not be re-taken within ${this.recoverWaitMs / 1000}s (${lastError})`);
      await sleep(100);
    }
  }
}

const ADVISORY = `p.locktype = 'advisory' AND p.granted AND p.objsubid = 1 AND p.database = (SELECT oid FROM pg_database WHERE datname = current_database())`;

/** The row's session holds the row's advisory lock (a bigint key: high half in classid, low in objid). */
const LIVE = `EXISTS (SELECT 1 FROM pg_locks p WHERE ${ADVISORY} AND p.pid = l.backend_pid
  AND p.classid::bigint = ((l.lock_id >> 32) & 4294967295) AND p.objid::bigint = (l.lock_id & 4294967295))`;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
