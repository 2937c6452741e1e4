import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import { hostname } from 'node:os';
import { afterAll, expect, it } from 'vitest';
import { PostgresStore } from '../../../src/state/postgres-store';
import type { LockHolder, StateStore } from '../../../src/state/store';
import pg from 'pg';
import { MIGRATIONS } from '../../../src/state/postgres/migrations';
import { migrate } from '../../../src/state/postgres/migrate';
import { advisoryLockId } from '../../../src/state/postgres/url';
import { runRecord, sampleEvents, storeContract } from './store-contract';
import { adminQuery, closedPort, describePg, PG_URL, uniqueName, urlWithSchema } from '../../support/pg';

const schemas = new Map<StateStore, string>();
const extraSchemas: string[] = [];

async function freshStore(schema = uniqueName('opsctl_st')): Promise<PostgresStore> {
  const store = await PostgresStore.open({ url: urlWithSchema(schema) });
  schemas.set(store, schema);
  return store;
}

async function dropSchema(schema: string): Promise<void> {
  await adminQuery(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}

afterAll(async () => {
  for (const schema of [...schemas.values(), ...extraSchemas]) await dropSchema(schema).catch(() => undefined);
});

function holder(key: string, runId: string, patch: Partial<LockHolder> = {}): LockHolder {
  const now = new Date().toISOString();
  return { key, runId, user: 'ana@example.com', host: hostname(), pid: process.pid, since: now, heartbeatAt: now, ...patch };
}

describePg('postgres StateStore', () => {
  storeContract('postgres', () => freshStore(), {
    cleanup: async (store) => {
      const schema = schemas.get(store);
      await store.close();
      if (schema) await dropSchema(schema);
    },
  });

  it('creates its tables once when two processes open a new schema at the same time', async () => {
    const schema = uniqueName('opsctl_mig');
    extraSchemas.push(schema);
    const stores = await Promise.all([0, 1, 2].map(() => PostgresStore.open({ url: urlWithSchema(schema) })));
    const versions = await adminQuery<{ version: number; name: string }>(`SELECT version, name FROM "${schema}".opsctl_schema_migrations ORDER BY version`);
    expect(versions).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
    await stores[0]?.createRun(runRecord('20261122T150000-mig1'));
    expect((await stores[2]?.getRun('20261122T150000-mig1'))?.id).toBe('20261122T150000-mig1');
    await Promise.all(stores.map((s) => s.close()));
  });

  it('upgrades existing tables with a new migration exactly once, however many processes start', async () => {
    const schema = uniqueName('opsctl_up');
    extraSchemas.push(schema);
    await (await PostgresStore.open({ url: urlWithSchema(schema) })).close();
    const next = [...MIGRATIONS, { version: 1000, name: 'add a column', statements: (S: string) => [`ALTER TABLE ${S}.opsctl_runs ADD COLUMN note text`] }];
    const pools = [0, 1, 2].map(() => new pg.Pool({ connectionString: PG_URL, max: 1 }));
    const results = await Promise.all(pools.map((pool) => migrate(pool, schema, next)));
    await Promise.all(pools.map((pool) => pool.end()));
    expect(results.map((r) => r.applied).flat()).toEqual([1000]);
    expect(await adminQuery(`SELECT version FROM "${schema}".opsctl_schema_migrations ORDER BY version`)).toEqual(next.map((m) => ({ version: m.version })));
  });

  it('works with a role that may only read and write tables a DBA created', async () => {
    const schema = uniqueName('opsctl_dba');
    const role = uniqueName('opsctl_app');
    extraSchemas.push(schema);
    await (await PostgresStore.open({ url: urlWithSchema(schema) })).close();
    await adminQuery(`CREATE ROLE ${role} LOGIN`);
    try {
      await adminQuery(`GRANT USAGE ON SCHEMA "${schema}" TO ${role}; GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "${schema}" TO ${role}; GRANT USAGE ON ALL SEQUENCES IN SCHEMA "${schema}" TO ${role}`);
      const url = new URL(urlWithSchema(schema));
      url.username = role;
      const store = await PostgresStore.open({ url: url.toString() });
      await store.createRun(runRecord('20261122T150000-dba1'));
      expect((await store.acquireLock(holder('dba@prod', 'run-a'))).acquired).toBe(true);
      await store.close();
    } finally {
      await adminQuery(`DROP OWNED BY ${role}; DROP ROLE ${role}`);
    }
  });

  it('refuses tables migrated by a newer opsctl', async () => {
    const schema = uniqueName('opsctl_new');
    extraSchemas.push(schema);
    await (await PostgresStore.open({ url: urlWithSchema(schema) })).close();
    await adminQuery(`INSERT INTO "${schema}".opsctl_schema_migrations (version, name) VALUES (999, 'from the future')`);
    await expect(PostgresStore.open({ url: urlWithSchema(schema) })).rejects.toThrow(/are at version 999, newer than this opsctl knows \(\d+\): upgrade opsctl/);
  });

  it('keeps the journal append-only', async () => {
    const store = await freshStore();
    const run = runRecord('20261122T150000-ao01');
    await store.createRun(run);
    await store.appendEvents(run.id, sampleEvents(run.id));
    await expect(adminQuery(`DELETE FROM "${schemas.get(store)}".opsctl_events`)).rejects.toThrow(/opsctl_events is append-only/);
    await store.close();
  });

  it('shares runs and contends for locks between two stores on one schema', async () => {
    const schema = uniqueName('opsctl_two');
    const a = await freshStore(schema);
    const b = await PostgresStore.open({ url: urlWithSchema(schema) });
    await a.createRun(runRecord('20261122T150000-aaaa'));
    expect((await b.listRuns()).map((r) => r.id)).toEqual(['20261122T150000-aaaa']);

    const first = holder('deploy@prod', 'run-a');
    expect(await a.acquireLock(first)).toEqual({ acquired: true });
    expect(await b.acquireLock(holder('deploy@prod', 'run-b'))).toEqual({ acquired: false, holder: first });
    await a.releaseLock('deploy@prod', 'run-a');
    expect(await b.acquireLock(holder('deploy@prod', 'run-b'))).toEqual({ acquired: true });
    expect((await a.listLocks()).map((l) => l.runId)).toEqual(['run-b']);
    await Promise.all([a.close(), b.close()]);
  });

  /** Polls `probe` until it yields a value (10 s at most). */
  async function until<T>(probe: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error('condition not met within 10 s');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Ends the lock sessions of `key` as a failover or pgbouncer restart would. */
  async function terminateLockSessions(schema: string, key: string): Promise<void> {
    const killed = await adminQuery<{ ok: boolean }>(
      `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()
         AND pid IN (SELECT backend_pid FROM "${schema}".opsctl_locks)`,
      [`opsctl lock ${key}`],
    );
    expect(killed).toEqual([{ ok: true }]);
  }

  it('F44: a live holder whose lock session is terminated re-takes its lock; a contender is refused meanwhile', async () => {
    const schema = uniqueName('opsctl_die');
    const a = await freshStore(schema);
    const b = await PostgresStore.open({ url: urlWithSchema(schema) });
    // A holder on another host with a fresh heartbeat: b cannot check its pid, only its heartbeat.
    const remote = holder('backup@prod', 'run-a', { host: 'elsewhere.example', pid: 1 });
    expect((await a.acquireLock(remote)).acquired).toBe(true);
    const before = await adminQuery<{ backend_pid: number }>(`SELECT backend_pid FROM "${schema}".opsctl_locks`);

    await terminateLockSessions(schema, 'backup@prod');
    // Whether b comes before or after a re-took it, b must not take it over.
    expect(await b.acquireLock(holder('backup@prod', 'run-b'))).toMatchObject({ acquired: false, holder: { runId: 'run-a' } });
    await a.checkLock('backup@prod', 'run-a');
    await a.heartbeatLock('backup@prod', 'run-a');
    const after = await adminQuery<{ backend_pid: number }>(`SELECT backend_pid FROM "${schema}".opsctl_locks`);
    expect(after[0]?.backend_pid).not.toBe(before[0]?.backend_pid);
    expect((await b.listLocks()).map((l) => l.runId)).toEqual(['run-a']);
    expect(await b.acquireLock(holder('backup@prod', 'run-b'))).toMatchObject({ acquired: false, holder: { runId: 'run-a' } });
    await Promise.all([a.close(), b.close()]);
  });

  it('F44: a heartbeat right after the lock session was terminated re-takes the lock instead of giving it up', async () => {
    const schema = uniqueName('opsctl_beat');
    const a = await freshStore(schema);
    await a.acquireLock(holder('beat@prod', 'run-a', { host: 'elsewhere.example', pid: 1 }));
    await terminateLockSessions(schema, 'beat@prod');
    await a.heartbeatLock('beat@prod', 'run-a');
    await a.checkLock('beat@prod', 'run-a');
    const live = await adminQuery<{ n: string }>(`SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND pid = (SELECT backend_pid FROM "${schema}".opsctl_locks)`);
    expect(live).toEqual([{ n: '1' }]);
    await a.close();
  });

  it('F44: a row naming a live holder is not taken over when its session is gone; a dead or expired one is', async () => {
    const schema = uniqueName('opsctl_row');
    const b = await freshStore(schema);
    const S = `"${schema}".opsctl_locks`;
    const orphan = async (h: LockHolder) => {
      await adminQuery(`DELETE FROM ${S}`);
      // A row whose session is gone (its backend pid holds nothing), as a dropped connection leaves it.
      await adminQuery(`INSERT INTO ${S} (key, lock_id, run_id, backend_pid, holder) VALUES ($1, $2::bigint, $3, 0, $4)`, [h.key, advisoryLockId(schema, h.key), h.runId, JSON.stringify(h)]);
    };
    const fresh = holder('db@prod', 'run-a', { host: 'elsewhere.example', pid: 1 });
    await orphan(fresh);
    expect(await b.acquireLock(holder('db@prod', 'run-b'))).toEqual({ acquired: false, holder: fresh });
    // Shown by `lock list`, and `lock release --force` (the hint of the refusal) can free it.
    expect(await b.listLocks()).toEqual([fresh]);
    expect(await b.forceReleaseLock('db@prod')).toEqual(fresh);
    expect(await b.listLocks()).toEqual([]);
    const here = holder('db@prod', 'run-a'); // this very process: alive
    await orphan(here);
    expect(await b.acquireLock(holder('db@prod', 'run-b'))).toEqual({ acquired: false, holder: here });

    const old = new Date(Date.now() - 10 * 60_000).toISOString();
    const expired = holder('db@prod', 'run-a', { host: 'elsewhere.example', pid: 1, heartbeatAt: old });
    await orphan(expired);
    expect(await b.acquireLock(holder('db@prod', 'run-b'))).toEqual({ acquired: true, takenOver: { holder: expired, reason: 'expired' } });
    await b.releaseLock('db@prod', 'run-b');
    const dead = holder('db@prod', 'run-a', { pid: 2 ** 22 + 12345 });
    await orphan(dead);
    expect(await b.acquireLock(holder('db@prod', 'run-c'))).toEqual({ acquired: true, takenOver: { holder: dead, reason: 'dead-process' } });
    await b.close();
  });

  it('F44: a holder whose session dropped does not re-take a lock someone else took meanwhile', async () => {
    const schema = uniqueName('opsctl_gone');
    const a = await freshStore(schema);
    const b = await PostgresStore.open({ url: urlWithSchema(schema) });
    // a's heartbeat expired (a hung process): b evicts it and takes the lock.
    const old = new Date(Date.now() - 10 * 60_000).toISOString();
    const hung = holder('restore@prod', 'run-a', { host: 'elsewhere.example', pid: 1, heartbeatAt: old, since: old });
    await a.acquireLock(hung);
    expect(await b.acquireLock(holder('restore@prod', 'run-b'))).toMatchObject({ acquired: true, takenOver: { reason: 'expired' } });
    // Whichever of a's recovery and b's takeover reached the lock first, a does not keep it.
    await expect(a.checkLock('restore@prod', 'run-a')).rejects.toThrow(/no longer held by run run-a: .*(run run-b|heartbeat expired)/);
    await expect(a.heartbeatLock('restore@prod', 'run-a')).rejects.toThrow(/no longer held by run run-a/);
    expect((await a.listLocks()).map((l) => l.runId)).toEqual(['run-b']);
    await Promise.all([a.close(), b.close()]);
  });

  it('F44: a holder that cannot reach the database again within its recovery time has lost the lock', async () => {
    const schema = uniqueName('opsctl_away');
    // The state database behind a proxy we can pull the plug on.
    const target = new URL(PG_URL);
    const sockets = new Set<Socket>();
    const proxy = createServer((socket) => {
      const upstream = connect(Number(target.port || 5432), target.hostname);
      sockets.add(socket).add(upstream);
      socket.pipe(upstream).pipe(socket);
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const url = new URL(urlWithSchema(schema));
    url.host = `127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const a = await PostgresStore.open({ url: url.toString(), lockRecoverMs: 300 });
    extraSchemas.push(schema);
    await a.acquireLock(holder('x@prod', 'run-a', { host: 'elsewhere.example', pid: 1 }));
    await a.checkLock('x@prod', 'run-a');

    await new Promise<void>((r) => {
      proxy.close(() => r());
      for (const socket of sockets) socket.destroy();
    });
    const lost = await until(() => a.checkLock('x@prod', 'run-a').then(() => undefined, (error: unknown) => String(error)));
    expect(lost).toMatch(/no longer held by run run-a: the state database connection dropped and the lock could not be re-taken within 0.3s/);
    await expect(a.heartbeatLock('x@prod', 'run-a')).rejects.toThrow(/the state database connection dropped/);
    await a.close();
  });

  it('force-releases a lock held by another process by ending its session', async () => {
    const schema = uniqueName('opsctl_force');
    const a = await freshStore(schema);
    const b = await PostgresStore.open({ url: urlWithSchema(schema) });
    const held = holder('restore@prod', 'run-a', { host: 'elsewhere.example', pid: 1 });
    await a.acquireLock(held);
    expect(await b.forceReleaseLock('restore@prod')).toEqual(held);
    expect(await a.listLocks()).toEqual([]);
    await expect(a.heartbeatLock('restore@prod', 'run-a')).rejects.toThrow(/no longer held/);
    expect((await b.acquireLock(holder('restore@prod', 'run-b'))).acquired).toBe(true);
    await Promise.all([a.close(), b.close()]);
  });

  it('releases the locks it holds when closed', async () => {
    const schema = uniqueName('opsctl_close');
    const a = await freshStore(schema);
    const b = await PostgresStore.open({ url: urlWithSchema(schema) });
    await a.acquireLock(holder('x@prod', 'run-a', { host: 'elsewhere.example', pid: 1 }));
    await a.close();
    expect(await b.acquireLock(holder('x@prod', 'run-b'))).toEqual({ acquired: true });
    await b.close();
  });

  it('says which server it could not reach', async () => {
    const port = await closedPort();
    await expect(PostgresStore.open({ url: `postgres://postgres@127.0.0.1:${port}/test` })).rejects.toThrow(
      `the postgres state backend is unavailable: could not connect to PostgreSQL at 127.0.0.1:${port}: connection refused. Check that the server is running and listens on 127.0.0.1:${port} (pg_isready -h 127.0.0.1 -p ${port}), and that the URL of \`state.url\` in opsctl.yaml is right.`,
    );
    await expect(PostgresStore.open({ url: 'mysql://x' })).rejects.toThrow('`state.url` must be a postgres:// URL, got `mysql://x`');
    await expect(PostgresStore.open({ url: 'postgres://127.0.0.1/test?schema=Bad-Name' })).rejects.toThrow(/schema `Bad-Name` must be lower-case/);
  });
});
