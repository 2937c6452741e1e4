import { spawn } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BIN, runOpsctl, tempProject } from './helpers';
import { adminQuery, describePg, PG_URL, uniqueName } from '../support/pg';

/** `sql` steps and the shipped PostgreSQL checks, through `bin/opsctl` against the real server. */
describePg('sql steps and the PostgreSQL checks through opsctl', () => {
  const schema = uniqueName('opsctl_e2e_sql');
  const marker = uniqueName('marker');
  const project = tempProject({
    'opsctl.yaml': 'runbooks: [./runbooks]\ndatabases:\n  main: { url: "${{ env.TEST_PG_URL }}" }\n',
    'runbooks/rename.yaml': `apiVersion: opsctl/v1
kind: Runbook
name: rename
title: Rename an item
secrets:
  token: { from: env, name: TEST_TOKEN }
lock: false
steps:
  - id: before
    sql:
      database: main
      query: SELECT count(*) AS items FROM ${schema}.items
      expect: { rows: 1 }
  - id: rename
    sql:
      database: main
      query: |
        UPDATE ${schema}.items
           SET name = $1
         WHERE id = $2
      params: ["\${{ secrets.token }}", 1]
      expect: { rows: 1 }
`,
    'runbooks/sleepy.yaml': `apiVersion: opsctl/v1
kind: Runbook
name: sleepy
title: A slow query
steps:
  - id: slow
    sql: { database: main, query: "SELECT pg_sleep(60) AS slept -- ${marker}" }
`,
    'runbooks/impatient.yaml': `apiVersion: opsctl/v1
kind: Runbook
name: impatient
title: A slow query with a timeout
steps:
  - id: slow
    timeout: 1s
    sql: { database: main, query: "SELECT pg_sleep(60) AS slept -- ${marker}" }
`,
  });
  const env = { TEST_PG_URL: PG_URL, TEST_TOKEN: 'tok-9f8e7d6c5b' };

  beforeAll(async () => {
    await adminQuery(`CREATE SCHEMA ${schema}`);
    await adminQuery(`CREATE TABLE ${schema}.items (id int PRIMARY KEY, name text)`);
    await adminQuery(`INSERT INTO ${schema}.items VALUES (1, 'one')`);
  });
  afterAll(async () => {
    await adminQuery(`SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE query LIKE $1 AND pid <> pg_backend_pid()`, [`%${marker}%`]);
    await adminQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    project.cleanup();
  });

  const sleeping = () =>
    adminQuery<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE state = 'active' AND query LIKE $1 AND pid <> pg_backend_pid()`, [`%pg_sleep(60) AS slept -- ${marker}%`]);

  it('plans the SQL with its params, secrets redacted, running only the reads', async () => {
    const result = await runOpsctl(['plan', 'rename', '--output', 'plain'], { cwd: project.dir, env });
    const text = result.stdout + result.stderr;
    expect(result.code).toBe(0);
    expect(text).toContain(`UPDATE ${schema}.items`);
    expect(text).toContain("$1 = '***'");
    expect(text).toContain('$2 = 1');
    expect(text).not.toContain('tok-9f8e7d6c5b');
    expect(text).toMatch(/items\s*\n.*-+\s*\n.*1\s*\n.*\(1 row\)/);
    expect(await adminQuery(`SELECT name FROM ${schema}.items`)).toEqual([{ name: 'one' }]);

    const run = await runOpsctl(['run', 'rename', '--yes', '--output', 'plain'], { cwd: project.dir, env });
    expect(run.code).toBe(0);
    expect(await adminQuery(`SELECT name FROM ${schema}.items`)).toEqual([{ name: 'tok-9f8e7d6c5b' }]);
  });

  it('cancels the running query on the server on Ctrl-C and exits 130', async () => {
    const child = spawn(process.execPath, [BIN, 'run', 'sleepy', '--output', 'plain'], { cwd: project.dir, env: { ...process.env, ...env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    try {
      for (let i = 0; i < 400 && (await sleeping()).length === 0; i++) await new Promise((r) => setTimeout(r, 25));
      expect(await sleeping(), output).toHaveLength(1);
      child.kill('SIGINT');
      const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
      expect(code).toBe(130);
      expect(await sleeping()).toEqual([]);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });

  it('stops a query at the step timeout', async () => {
    const result = await runOpsctl(['run', 'impatient', '--output', 'plain'], { cwd: project.dir, env });
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).toMatch(/timed out|timeout/);
    expect(await sleeping()).toEqual([]);
  });

  it('checks connections and long queries: pass, then fail with what was found', async () => {
    expect((await runOpsctl(['run', 'pg-long-queries', '-p', 'database=main', '-p', 'seconds=3600'], { cwd: project.dir, env })).code).toBe(0);

    const sleeper = new pg.Client({ connectionString: PG_URL });
    sleeper.on('error', () => undefined);
    await sleeper.connect();
    const pid = Number((await sleeper.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid);
    const pending = sleeper.query(`SELECT pg_sleep(60) AS slept -- ${marker}`).catch(() => undefined);
    try {
      let age = 0;
      for (let i = 0; i < 200 && age < 1.2; i++) {
        const rows = await adminQuery<{ age: number }>(`SELECT extract(epoch FROM now() - query_start)::float8 AS age FROM pg_stat_activity WHERE pid = $1 AND state = 'active'`, [pid]);
        age = rows[0]?.age ?? 0;
        if (age < 1.2) await new Promise((r) => setTimeout(r, 50));
      }
      const long = await runOpsctl(['run', 'pg-long-queries', '-p', 'database=main', '-p', 'seconds=1', '--output', 'plain'], { cwd: project.dir, env });
      expect(long.code).toBe(1);
      expect(long.stdout + long.stderr).toMatch(/expected at most 0 rows, found [1-9]/);
      expect(long.stdout).toContain(` ${pid} `);

      const connections = await runOpsctl(['run', 'pg-connections', '-p', 'database=main', '-p', 'max_pct=1', '--output', 'plain'], { cwd: project.dir, env });
      expect(connections.code).toBe(1);
      expect(connections.stdout + connections.stderr).toMatch(/expected value \(column `pct_used` of the first row\) ≤ 1, found \d/);
    } finally {
      await adminQuery('SELECT pg_cancel_backend($1)', [pid]);
      await pending;
      await sleeper.end();
    }
  });

  it('lists tables in need of VACUUM and fails on them', async () => {
    await adminQuery(`CREATE TABLE ${schema}.bloated (id int) WITH (autovacuum_enabled = false)`);
    await adminQuery(`INSERT INTO ${schema}.bloated SELECT generate_series(1, 2000)`);
    await adminQuery(`DELETE FROM ${schema}.bloated WHERE id > 500`);
    for (let i = 0; i < 100; i++) {
      const [row] = await adminQuery<{ dead: number }>(`SELECT n_dead_tup::int AS dead FROM pg_stat_user_tables WHERE schemaname = $1 AND relname = 'bloated'`, [schema]);
      if ((row?.dead ?? 0) >= 1500) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const result = await runOpsctl(['run', 'pg-vacuum', '-p', 'database=main', '-p', 'max_dead_pct=50', '-p', 'limit=1000', '--output', 'plain'], { cwd: project.dir, env });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`${schema}\\.bloated\\s+\\|\\s+1500\\s+\\|\\s+500\\s+\\|\\s+75\\s+\\|`));
    expect(result.stdout + result.stderr).toContain('expected `rows.all(r, r.needs_vacuum == false)` to be true');

    const quiet = await runOpsctl(['run', 'pg-vacuum', '-p', 'database=main', '-p', 'min_dead_rows=1000000000'], { cwd: project.dir, env });
    expect(quiet.code).toBe(0);
  });

  it('checks replication lag, and fails when replicas are required but none is connected', async () => {
    expect((await runOpsctl(['run', 'pg-replication-lag'], { cwd: project.dir, env })).code).toBe(0);
    const result = await runOpsctl(['run', 'pg-replication-lag', '-p', 'min_replicas=1', '--output', 'plain'], { cwd: project.dir, env });
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).toContain('expected at least 1 row, found 0');
  });
});
