import { chmodSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runOpsctl, tempProject } from './helpers';
import { adminQuery, describePg } from '../support/pg';

/**
 * QA F48: the shipped backup/restore never put a database password on a command line (`ps`
 * shows those to every local user): it reaches pg_dump/psql/pg_restore in PGPASSWORD.
 * Wrappers first on PATH record each call's argv and PGPASSWORD, then run the real tool
 * (trust auth ignores the password, so the round trip still works).
 */
describePg('F48: backup and restore keep the password off the command line', () => {
  const DB = `opsctl_f48_${process.pid}_${Date.now().toString(36)}`;
  const PASSWORD = 'pw%40Canary42';
  const DECODED = 'pw@Canary42';
  const URL = `postgres://postgres:${PASSWORD}@127.0.0.1:5432/${DB}`;
  const project = tempProject({ 'opsctl.yaml': 'runbooks: []\n' });
  const bin = join(project.dir, 'bin');
  const log = join(project.dir, 'calls.log');

  beforeAll(async () => {
    await adminQuery(`CREATE DATABASE ${DB}`);
    execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', DB, '-qAtX', '-c', 'create table t (i int); insert into t select generate_series(1, 10)']);
    mkdirSync(bin);
    for (const tool of ['psql', 'pg_dump', 'pg_restore']) {
      const real = execFileSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim();
      writeFileSync(join(bin, tool), `#!/bin/bash\nprintf '%s argv=%s PGPASSWORD=%s\\n' ${tool} "$*" "\${PGPASSWORD-}" >> '${log}'\nexec '${real}' "$@"\n`);
      chmodSync(join(bin, tool), 0o755);
    }
  });
  afterAll(async () => {
    await adminQuery(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
    project.cleanup();
  });

  it('passes it in PGPASSWORD (decoded), and backup + restore still round-trip', async () => {
    const env = { CI: '1', PATH: `${bin}:${process.env.PATH ?? ''}` };
    const dir = join(project.dir, 'backups');
    const backup = await runOpsctl(['backup', '-p', `database=${URL}`, '-p', `dir=${dir}`, '--output', 'plain'], { cwd: project.dir, env, timeoutMs: 60_000 });
    expect(backup.code, backup.stdout + backup.stderr).toBe(0);
    const archive = readdirSync(dir).find((f) => f.endsWith('.dump')) ?? '';
    const restore = await runOpsctl(['restore', '-p', `database=${URL}`, '-p', `file=${join(dir, archive)}`, '--yes', '--output', 'plain'], { cwd: project.dir, env, timeoutMs: 60_000 });
    expect(restore.code, restore.stdout + restore.stderr).toBe(0);
    expect(restore.stdout).toContain('all 1 tables have the row counts of the backup');
    const calls = readFileSync(log, 'utf8').trim().split('\n');
    const withDb = calls.filter((line) => line.includes(`/${DB}`));
    expect(withDb.length).toBeGreaterThanOrEqual(5);
    for (const line of calls) {
      const argv = line.slice(0, line.indexOf(' PGPASSWORD='));
      expect(argv).not.toContain('Canary42');
    }
    for (const line of withDb) expect(line.endsWith(` PGPASSWORD=${DECODED}`), line).toBe(true);
  });
});
