import { existsSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { count, isAlive, journal, killGroup, readPid, run, runIds, start, stateProject, waitFor } from './runs-helpers';

const RUNBOOK = `apiVersion: opsctl/v1
kind: Runbook
name: deploy
title: Deploy
params:
  hold: { type: integer, default: 60 }
  who: { type: string, default: first }
steps:
  - id: change
    shell: |
      echo "\${{ params.who }}" >> change.count
      echo $$ > "\${{ params.who }}.pid"
      while [ "$SECONDS" -lt "\${{ params.hold }}" ] && [ ! -f release.flag ]; do sleep 0.1; done
`;

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function project() {
  const p = stateProject({ deploy: RUNBOOK });
  cleanups.push(p.cleanup);
  return p.dir;
}

async function holder(dir: string, user = 'ana@example.com') {
  const first = start(dir, ['run', 'deploy', '--env', 'staging'], { OPSCTL_USER: user });
  await waitFor('the first run to hold the lock and start its step', () => existsSync(join(dir, 'first.pid')));
  const [runId] = runIds(dir);
  return { first, runId: runId!, stepGroup: readPid(dir, 'first.pid') };
}

describe('locks', () => {
  it('a second run exits 4 naming the holder; after kill -9 of the holder the next run takes the lock', async () => {
    const dir = project();
    const { first, runId, stepGroup } = await holder(dir);

    const second = await run(dir, ['run', 'deploy', '--env', 'staging', '-p', 'who=second', '-p', 'hold=0']);
    expect(second.code).toBe(4);
    // The run's closing line names the holder (stdout); stderr adds what to do, without repeating it.
    expect(second.stdout + second.stderr).toContain(`lock \`deploy@staging\` is held by run ${runId} (ana@example.com on ${hostname()}, pid ${first.pid}, since `);
    expect(second.stderr).toContain('--wait-lock');
    expect(count(dir, 'change.count')).toBe(1); // the second run changed nothing

    process.kill(first.pid, 'SIGKILL');
    killGroup(stepGroup);
    await first.exited;
    await waitFor('the holder to die', () => !isAlive(first.pid) && !isAlive(stepGroup));

    const listed = await run(dir, ['lock', 'list']);
    expect(listed.stdout).toContain('stale: its process is gone');

    const third = await run(dir, ['run', 'deploy', '--env', 'staging', '-p', 'who=third', '-p', 'hold=0']);
    expect(third.code).toBe(0);
    expect(third.stderr).toContain(`took over lock \`deploy@staging\` from run ${runId} (ana@example.com on ${hostname()}, pid ${first.pid}): its process is gone`);
    expect(count(dir, 'change.count')).toBe(2);
    expect((await run(dir, ['lock', 'list'])).stdout).toContain('No locks are held.');
  });

  it('--wait-lock waits for the holder to finish, then runs', async () => {
    const dir = project();
    const { first } = await holder(dir);
    const waiting = start(dir, ['run', 'deploy', '--env', 'staging', '-p', 'who=second', '-p', 'hold=0', '--wait-lock', '1m']);
    await waitFor('the second run to wait', () => waiting.stderr().includes('for lock `deploy@staging`, held by run'));
    expect(count(dir, 'change.count')).toBe(1);
    writeFileSync(join(dir, 'release.flag'), '');
    expect((await first.exited).code).toBe(0);
    expect((await waiting.exited).code).toBe(0);
    expect(count(dir, 'change.count')).toBe(2);
  });

  it('Ctrl-C while waiting for a lock stops the wait with exit 130, running nothing', async () => {
    const dir = project();
    const { first, stepGroup } = await holder(dir);
    const waiting = start(dir, ['run', 'deploy', '--env', 'staging', '-p', 'who=second', '-p', 'hold=0', '--wait-lock', '5m']);
    await waitFor('the second run to wait', () => waiting.stderr().includes('for lock `deploy@staging`, held by run'));
    waiting.child.kill('SIGINT');
    expect((await waiting.exited).code).toBe(130);
    expect(waiting.stdout() + waiting.stderr()).toContain('interrupted while waiting for lock `deploy@staging`');
    expect(count(dir, 'change.count')).toBe(1);
    process.kill(first.pid, 'SIGKILL');
    killGroup(stepGroup);
    await first.exited;
  });

  it('lock release needs --force, frees the lock, and is journaled in the holder run with who did it', async () => {
    const dir = project();
    const { first, runId, stepGroup } = await holder(dir);
    const list = await run(dir, ['lock', 'list', '--output', 'json']);
    const locks = (JSON.parse(list.stdout) as { locks: { key: string; runId: string; user: string; stale: string | null }[] }).locks;
    expect(locks).toMatchObject([{ key: 'deploy@staging', runId, user: 'ana@example.com', stale: null }]);

    const refused = await run(dir, ['lock', 'release', 'deploy@staging']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`held by run ${runId}`);
    expect(refused.stderr).toContain('--force');

    const released = await run(dir, ['lock', 'release', 'deploy@staging', '--force'], { env: { OPSCTL_USER: 'oncall@example.com' } });
    expect(released.code).toBe(0);
    expect(released.stdout).toContain(`Released lock \`deploy@staging\` held by run ${runId}`);
    expect(journal(dir, runId).some((e) => e.type === 'log' && e.message.startsWith('lock `deploy@staging` force-released by oncall@example.com'))).toBe(true);

    const next = await run(dir, ['run', 'deploy', '--env', 'staging', '-p', 'who=next', '-p', 'hold=0']);
    expect(next.code).toBe(0);
    process.kill(first.pid, 'SIGKILL');
    killGroup(stepGroup);
    await first.exited;
  });
});
