import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { BIN, runOpsctl, tempProject } from './helpers';
import { adminQuery, describePg, uniqueName, urlWithSchema } from '../support/pg';

/**
 * Two opsctl installations in different folders, one team-wide postgres backend: they see each
 * other's runs and contend for one lock, which a killed holder gives up with its session.
 */
describePg('two opsctl processes sharing the postgres state backend', () => {
  const schema = uniqueName('opsctl_e2e');
  // One folder names the URL, the other reads it from the environment, as DESIGN.md §7 shows.
  const config = `runbooks: [./runbooks]\nstate: { backend: postgres, url: "${urlWithSchema(schema)}" }\n`;
  const configFromEnv = 'runbooks: [./runbooks]\nstate: { backend: postgres, url: "${{ env.OPSCTL_DATABASE_URL }}" }\n';
  const slow = (title: string) =>
    `apiVersion: opsctl/v1\nkind: Runbook\nname: slow\ntitle: ${title}\nlock: team-maintenance\nparams:\n  hold: { type: string, default: 0s }\nsteps:\n  - id: hold\n    wait: \${{ params.hold }}\n`;
  const hello = (name: string) => `apiVersion: opsctl/v1\nkind: Runbook\nname: ${name}\ntitle: Say hello\nsteps:\n  - id: say\n    log: hello from ${name}\n`;
  const a = tempProject({ 'opsctl.yaml': config, 'runbooks/hello.yaml': hello('hello-a'), 'runbooks/slow.yaml': slow('Slow A') });
  const b = tempProject({ 'opsctl.yaml': configFromEnv, 'runbooks/hello.yaml': hello('hello-b'), 'runbooks/slow.yaml': slow('Slow B') });
  const env = { OPSCTL_USER: 'e2e@example.com', OPSCTL_DATABASE_URL: urlWithSchema(schema) };

  afterAll(async () => {
    a.cleanup();
    b.cleanup();
    await adminQuery(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  });

  it('sees the runs of the other folder in `opsctl runs list`', async () => {
    expect((await runOpsctl(['run', 'hello-a'], { cwd: a.dir, env })).code).toBe(0);
    expect((await runOpsctl(['run', 'hello-b'], { cwd: b.dir, env })).code).toBe(0);
    for (const dir of [a.dir, b.dir]) {
      const listed = await runOpsctl(['runs', 'list', '--output', 'json'], { cwd: dir, env });
      expect(listed.code).toBe(0);
      const runs = (JSON.parse(listed.stdout) as { runs: { runbook: { name: string }; status: string }[] }).runs;
      expect(runs.map((r) => [r.runbook.name, r.status])).toEqual([
        ['hello-b', 'succeeded'],
        ['hello-a', 'succeeded'],
      ]);
    }
  });

  const mid = `apiVersion: opsctl/v1\nkind: Runbook\nname: mid\ntitle: Hold, then mark\nlock: team-mid\nparams:\n  mark: { type: string }\nsteps:\n  - id: hold\n    wait: 3s\n  - id: mark\n    needs: [hold]\n    shell: touch "\${{ params.mark }}"\n`;
  writeFileSync(join(a.dir, 'runbooks/mid.yaml'), mid);
  writeFileSync(join(b.dir, 'runbooks/mid.yaml'), mid);

  async function waitForLockRow(key: string): Promise<string> {
    for (let i = 0; i < 400; i++) {
      const rows = await adminQuery<{ run_id: string }>(`SELECT run_id FROM "${schema}".opsctl_locks WHERE key = $1`, [key]).catch(() => []);
      if (rows[0]) return rows[0].run_id;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`lock ${key} was never taken`);
  }

  it('F44: a holder whose lock session is terminated mid-run keeps its lock: the contender exits 4, the holder finishes', async () => {
    const marker = join(a.dir, 'mark-kept');
    const holder = runOpsctl(['run', 'mid', '-p', `mark=${marker}`, '--output', 'plain'], { cwd: a.dir, env, timeoutMs: 30_000 });
    const runId = await waitForLockRow('team-mid');
    // A failover, pgbouncer restart or idle_session_timeout ends the holder's lock session.
    const killed = await adminQuery<{ ok: boolean }>(`SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = 'opsctl lock team-mid'`);
    expect(killed).toEqual([{ ok: true }]);
    const contender = await runOpsctl(['run', 'mid', '-p', `mark=${join(b.dir, 'mark-b')}`, '--output', 'plain'], { cwd: b.dir, env });
    expect(contender.stdout + contender.stderr).not.toContain('took over');
    expect(contender.stdout + contender.stderr).toContain(`lock \`team-mid\` is held by run ${runId}`);
    expect(contender.code).toBe(4);
    const held = await holder;
    expect(held.stderr + held.stdout).toContain('run of `mid` succeeded');
    expect(held.code).toBe(0);
    expect(existsSync(marker)).toBe(true);
    expect(existsSync(join(b.dir, 'mark-b'))).toBe(false);
  });

  it('F44: a holder whose lock was released under it starts no further step and fails saying it lost the lock', async () => {
    const marker = join(a.dir, 'mark-lost');
    const holder = runOpsctl(['run', 'mid', '-p', `mark=${marker}`, '--output', 'plain'], { cwd: a.dir, env, timeoutMs: 30_000 });
    const runId = await waitForLockRow('team-mid');
    const released = await runOpsctl(['lock', 'release', 'team-mid', '--force'], { cwd: b.dir, env });
    expect(released.stdout).toContain(`Released lock \`team-mid\` held by run ${runId}`);
    const held = await holder;
    expect(held.stdout + held.stderr).toContain('lost the lock: lock `team-mid` is no longer held by run');
    expect(held.code).toBe(1);
    expect(existsSync(marker)).toBe(false);
  });

  it('lets one process hold the lock; the other exits 4 naming the holder, and takes it once the holder is killed', async () => {
    const holder = spawn(process.execPath, [BIN, 'run', 'slow', '-p', 'hold=60s', '--output', 'plain'], {
      cwd: a.dir,
      env: { ...process.env, ...env, NO_COLOR: '1' },
      stdio: 'ignore',
    });
    try {
      let held: { run_id: string }[] = [];
      for (let i = 0; i < 400 && held.length === 0; i++) {
        held = await adminQuery<{ run_id: string }>(`SELECT run_id FROM "${schema}".opsctl_locks WHERE key = 'team-maintenance'`).catch(() => []);
        if (held.length === 0) await new Promise((r) => setTimeout(r, 25));
      }
      expect(held).toHaveLength(1);
      const runId = held[0]?.run_id ?? '';

      const refused = await runOpsctl(['run', 'slow', '--output', 'plain'], { cwd: b.dir, env });
      expect(refused.stderr + refused.stdout).toContain('is held by run');
      expect(refused.code).toBe(4);
      expect(refused.stdout + refused.stderr).toContain(`lock \`team-maintenance\` is held by run ${runId} (e2e@example.com on`);

      const locks = await runOpsctl(['lock', 'list'], { cwd: b.dir, env });
      expect(locks.stdout).toContain(runId);

      // The holder dies without a word: its database session ends and the advisory lock with it.
      holder.kill('SIGKILL');
      await new Promise((resolve) => holder.once('exit', resolve));
      const after = await runOpsctl(['run', 'slow', '--output', 'plain'], { cwd: b.dir, env });
      expect(after.stderr).toContain(`took over lock \`team-maintenance\` from run ${runId}`);
      expect(after.code).toBe(0);
    } finally {
      if (holder.exitCode === null && holder.signalCode === null) holder.kill('SIGKILL');
    }
  });
});
