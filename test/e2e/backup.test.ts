import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOpsctl, tempProject } from './helpers';

/**
 * The shipped `backup` and `restore` runbooks against the real PostgreSQL (127.0.0.1:5432, user
 * postgres, trust). Skipped with a message when it is unreachable, unless OPSCTL_REQUIRE_PG=1.
 */
const HOST = ['-h', '127.0.0.1', '-p', '5432', '-U', 'postgres'];
const DB = `opsctl_library_${process.pid}_${Date.now().toString(36)}`;
const URL = `postgres://postgres@127.0.0.1:5432/${DB}`;

function psql(database: string, sql: string): string {
  return execFileSync('psql', [...HOST, '-d', database, '-AtX', '-v', 'ON_ERROR_STOP=1', '-c', sql], { encoding: 'utf8', timeout: 20_000 }).trim();
}

function reachable(): boolean {
  try {
    return psql('postgres', 'select 1') === '1';
  } catch {
    return false;
  }
}

const available = reachable();
if (!available && process.env.OPSCTL_REQUIRE_PG === '1') throw new Error('PostgreSQL at 127.0.0.1:5432 is unreachable and OPSCTL_REQUIRE_PG=1');
if (!available) console.warn('SKIPPED backup/restore round trip: PostgreSQL at 127.0.0.1:5432 is unreachable (set OPSCTL_REQUIRE_PG=1 to fail instead)');

/** Row count and an order-independent checksum of every row of `orders`. */
const FINGERPRINT = "select count(*) || ':' || coalesce(md5(string_agg(md5(o::text), '' order by o.id)), '-') from orders o";

describe.skipIf(!available)('backup then restore through the shipped runbooks (real PostgreSQL)', () => {
  const project = tempProject({ 'opsctl.yaml': 'runbooks: []\n' });
  const backups = join(project.dir, 'backups');
  let before = '';

  beforeAll(() => {
    psql('postgres', `create database ${DB}`);
    psql(
      DB,
      `create table orders (id serial primary key, customer text not null, total numeric(10,2), note text, created timestamptz default '2026-01-01');
       insert into orders (customer, total, note) select 'customer ' || g, g * 1.25, case when g % 7 = 0 then E'line\\nbreak' end from generate_series(1, 2500) g;
       create table audit (id bigint generated always as identity, what text); insert into audit (what) values ('a'), ('b');`,
    );
    before = psql(DB, FINGERPRINT);
  });

  afterAll(() => {
    psql('postgres', `drop database if exists ${DB} with (force)`);
    project.cleanup();
  });

  it('keeps every row (count and checksum) after the table was damaged', async () => {
    expect(before).toMatch(/^2500:[0-9a-f]{32}$/);
    // Retention: this prefix's archive from 40 days ago goes, another prefix's stays.
    mkdirSync(backups, { recursive: true });
    const old = (Date.now() - 40 * 86_400_000) / 1000;
    for (const name of ['orders-20251201T020000Z.dump', 'orders-20251201T020000Z.dump.rows', 'billing-20251201T020000Z.dump']) {
      writeFileSync(join(backups, name), 'old');
      utimesSync(join(backups, name), old, old);
    }

    const backup = await runOpsctl(['backup', '-p', `database=${URL}`, '-p', `dir=${backups}`, '-p', 'prefix=orders', '--output', 'json'], {
      cwd: project.dir,
      env: { CI: '1' },
      timeoutMs: 60_000,
    });
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    expect(readdirSync(backups).filter((f) => f.startsWith('billing-'))).toEqual(['billing-20251201T020000Z.dump']);
    expect(readdirSync(backups).filter((f) => f.startsWith('orders-20251201'))).toEqual([]);
    const archives = readdirSync(backups).filter((f) => f.startsWith('orders-') && f.endsWith('.dump'));
    expect(archives).toHaveLength(1);
    const archive = archives[0] ?? '';
    expect(archive).toMatch(/^orders-\d{8}T\d{6}Z\.dump$/);
    // The runbook's `file` output names the archive it wrote.
    const dumped = backup.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; step?: string; outputs?: { file?: string } });
    expect(dumped.find((e) => e.type === 'step.succeeded' && e.step === 'dump')?.outputs?.file).toBe(join(backups, archive));
    expect(readFileSync(join(backups, `${archive}.rows`), 'utf8')).toBe('public.audit\t2\npublic.orders\t2500\n');

    psql(DB, "delete from orders where id % 3 = 0; update orders set note = 'tampered' where id < 50; drop table audit");
    expect(psql(DB, FINGERPRINT)).not.toBe(before);

    // The plan runs the reads: the gate names the database as the server reports it, and the
    // URL (a secret param: it may hold a password) is never shown.
    const plan = await runOpsctl(['plan', 'restore', '-p', `database=${URL}`, '-p', `backup=${archive}`, '-p', `dir=${backups}`, '--output', 'plain'], { cwd: project.dir, env: { CI: '1' }, timeoutMs: 60_000 });
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain(`needs confirmation: Restore ${join(backups, archive)} into database ${DB} on 127.0.0.1:5432 as postgres`);
    expect(plan.stdout).not.toContain('postgres://');
    expect(psql(DB, 'select count(*) from orders')).toBe(String(2500 - Math.floor(2500 / 3)));

    // Without --yes or --approve there is no terminal to confirm: exit 3 and nothing restored.
    const refused = await runOpsctl(['restore', '-p', `database=${URL}`, '--backup', archive, '-p', `dir=${backups}`], { cwd: project.dir, env: { CI: '1' }, timeoutMs: 60_000 });
    expect(refused.code).toBe(3);
    expect(psql(DB, 'select count(*) from orders')).toBe(String(2500 - Math.floor(2500 / 3)));

    const restore = await runOpsctl(['restore', '-p', `database=${URL}`, '--backup', archive, '-p', `dir=${backups}`, '--approve', 'approve', '--output', 'plain'], {
      cwd: project.dir,
      env: { CI: '1' },
      timeoutMs: 60_000,
    });
    expect(restore.stderr).toBe('');
    expect(restore.code).toBe(0);
    expect(restore.stdout).toContain('all 2 tables have the row counts of the backup');
    expect(psql(DB, FINGERPRINT)).toBe(before);
    expect(psql(DB, 'select count(*) from audit')).toBe('2');
  });

  it('fails the verification when the restored rows differ from the manifest', async () => {
    const archive = readdirSync(backups).find((f) => f.startsWith('orders-') && f.endsWith('.dump')) ?? '';
    // A manifest that does not match what the archive holds: the integrity check must catch it.
    execFileSync('bash', ['-c', `printf 'public.audit\\t2\\npublic.orders\\t2501\\n' > '${join(backups, `${archive}.rows`)}'`]);
    const restore = await runOpsctl(['restore', '-p', `database=${URL}`, '-p', `file=${join(backups, archive)}`, '--yes', '--output', 'plain'], {
      cwd: project.dir,
      env: { CI: '1' },
      timeoutMs: 60_000,
    });
    expect(restore.code).toBe(1);
    expect(restore.stdout).toContain('MISMATCH public.orders: backup had 2501 rows, restored 2500');
  });

  it('takes a `databases:` name of opsctl.yaml (-p database=main); the password in its URL never shows', async () => {
    // Trust auth ignores the password, so the URL works and the test sees whether it leaks.
    const named = tempProject({ 'opsctl.yaml': `runbooks: []\ndatabases:\n  main: { url: "postgres://postgres:Sup3rS3cretPw@127.0.0.1:5432/${DB}" }\n` });
    try {
      const dir = join(named.dir, 'backups');
      const backup = await runOpsctl(['backup', '-p', 'database=main', '-p', `dir=${dir}`, '-p', 'prefix=named', '--output', 'plain'], { cwd: named.dir, env: { CI: '1' }, timeoutMs: 60_000 });
      expect(backup.stderr).toBe('');
      expect(backup.code).toBe(0);
      expect(backup.stdout).toContain(`${DB} on PostgreSQL`);
      expect(backup.stdout).not.toContain('Sup3rS3cretPw');
      const archives = readdirSync(dir).filter((f) => /^named-\d{8}T\d{6}Z\.dump$/.test(f));
      expect(archives).toHaveLength(1);
      expect(readFileSync(join(dir, `${archives[0]}.rows`), 'utf8')).toContain('public.orders\t2500');

      const plan = await runOpsctl(['plan', 'restore', '-p', 'database=main', '-p', `file=${join(dir, archives[0] ?? '')}`, '--output', 'plain'], { cwd: named.dir, env: { CI: '1' }, timeoutMs: 60_000 });
      expect(plan.code).toBe(0);
      expect(plan.stdout).toContain(`into database ${DB} on 127.0.0.1:5432 as postgres`);
      expect(plan.stdout).not.toContain('Sup3rS3cretPw');
    } finally {
      named.cleanup();
    }
  });
});
