import { hostname } from 'node:os';
import { afterAll, expect, it } from 'vitest';
import { PostgresStore } from '../../../src/state/postgres-store';
import type { LockHolder, StateStore } from '../../../src/state/store';
import pg from 'pg';
import { MIGRATIONS } from '../../../src/state/postgres/migrations';
import { migrate } from '../../../src/state/postgres/migrate';
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

  it('frees a lock when the holder’s database session dies, and the next holder replaces the stale row', async () => {
    const schema = uniqueName('opsctl_die');
    const a = await freshStore(schema);
    const b = await PostgresStore.open({ url: urlWithSchema(schema) });
    // A holder on another host with a fresh heartbeat: only its session keeps the lock.
    const remote = holder('backup@prod', 'run-a', { host: 'elsewhere.example', pid: 1 });
    expect((await a.acquireLock(remote)).acquired).toBe(true);
    expect(await b.acquireLock(holder('backup@prod', 'run-b'))).toEqual({ acquired: false, holder: remote });

    const killed = await adminQuery<{ ok: boolean }>(
      `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = 'opsctl lock backup@prod' AND datname = current_database()
         AND pid IN (SELECT backend_pid FROM "${schema}".opsctl_locks)`,
    );
    expect(killed).toEqual([{ ok: true }]);
    for (let i = 0; i < 100 && (await b.listLocks()).length > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await b.listLocks()).toEqual([]);

    const next = holder('backup@prod', 'run-b');
    expect(await b.acquireLock(next)).toEqual({ acquired: true, takenOver: { holder: remote, reason: 'dead-process' } });
    expect(await a.listLocks()).toEqual([next]);
    await expect(a.heartbeatLock('backup@prod', 'run-a')).rejects.toThrow('lock `backup@prod` is no longer held by run run-a: its database session ended');
    await expect(b.heartbeatLock('backup@prod', 'run-a')).rejects.toThrow('lock `backup@prod` is no longer held by run run-a: run run-b (ana@example.com@');
    await Promise.all([a.close(), b.close()]);
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
