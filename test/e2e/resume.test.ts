import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { count, isAlive, journal, killGroup, readPid, record, run, runIds, start, stateProject, waitFor } from './runs-helpers';

const five = (idempotent: boolean) => `apiVersion: opsctl/v1
kind: Runbook
name: five
title: Five steps
steps:
  - id: one
    shell: echo x >> one.count; echo "alpha-1"
    outputs: { v: stdout }
  - id: two
    shell: echo x >> two.count; echo "beta-\${{ steps.one.outputs.v }}"
    outputs: { v: stdout }
  - id: three
    idempotent: ${idempotent}
    shell: |
      echo x >> three.count
      if [ "$(wc -l < three.count)" -eq 1 ]; then
        echo $$ > three.pid
        sleep 60
      fi
  - id: four
    shell: echo x >> four.count; echo "\${{ steps.one.outputs.v }}" > four.out
  - id: five
    shell: echo x >> five.count; echo "\${{ steps.two.outputs.v }}" > five.out
`;

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

/** Starts the five-step run and kill -9s opsctl and the step's process group while step three runs. */
async function crashedRun(idempotent: boolean): Promise<{ dir: string; runId: string }> {
  const project = stateProject({ five: five(idempotent) });
  cleanups.push(project.cleanup);
  const dir = project.dir;
  const opsctl = start(dir, ['run', 'five', '--env', 'staging']);
  await waitFor('step three to start', () => count(dir, 'three.count') === 1 && readSafe(join(dir, 'three.pid')) !== '');
  const stepGroup = readPid(dir, 'three.pid');
  process.kill(opsctl.pid, 'SIGKILL');
  killGroup(stepGroup);
  await opsctl.exited;
  await waitFor('the step to die', () => !isAlive(stepGroup));
  const [runId] = runIds(dir);
  if (!runId) throw new Error('no run was recorded');
  return { dir, runId };
}

function readSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
}

describe('resume after kill -9', () => {
  it('completes the run without running a succeeded step twice, with outputs restored', async () => {
    const { dir, runId } = await crashedRun(true);
    expect(record(dir, runId).status).toBe('running');
    expect(journal(dir, runId).map((e) => e.type)).not.toContain('run.finished');

    const shown = await run(dir, ['runs', 'show', runId]);
    expect(shown.stdout).toContain('interrupted');
    expect(shown.stdout).toContain(`opsctl resume ${runId}`);

    const resumed = await run(dir, ['resume', runId, '--output', 'plain']);
    expect(resumed.code).toBe(0);
    // The dead run still held the lock: taken over, and said so.
    expect(resumed.stderr).toBe(`took over lock \`five@staging\` from run ${runId} (tester@example.com on ${record(dir, runId).host}, pid ${record(dir, runId).pid}): its process is gone\n`);
    expect([count(dir, 'one.count'), count(dir, 'two.count'), count(dir, 'three.count'), count(dir, 'four.count'), count(dir, 'five.count')]).toEqual([1, 1, 2, 1, 1]);
    expect(readFileSync(join(dir, 'four.out'), 'utf8')).toBe('alpha-1\n');
    expect(readFileSync(join(dir, 'five.out'), 'utf8')).toBe('beta-alpha-1\n');

    const newRun = runIds(dir).find((id) => id !== runId)!;
    expect(record(dir, newRun)).toMatchObject({ status: 'succeeded', resumedFrom: runId });
    const skipped = journal(dir, newRun).filter((e) => e.type === 'step.skipped').map((e) => ('step' in e ? e.step : ''));
    expect(skipped).toEqual(['one', 'two']);
  });

  it('asks before rerunning an interrupted step that is not idempotent', async () => {
    const { dir, runId } = await crashedRun(false);
    const refused = await run(dir, ['resume', runId]);
    expect(refused.code).toBe(3);
    expect(refused.stdout + refused.stderr).toContain('`three`');
    expect(count(dir, 'three.count')).toBe(1);
    expect(count(dir, 'four.count')).toBe(0);

    const rerun = await run(dir, ['resume', runId, '--rerun-interrupted']);
    expect(rerun.code).toBe(0);
    expect([count(dir, 'one.count'), count(dir, 'two.count'), count(dir, 'three.count'), count(dir, 'four.count')]).toEqual([1, 1, 2, 1]);
  });

  it('refuses a changed runbook with exit 5 unless --force', async () => {
    const { dir, runId } = await crashedRun(true);
    const path = join(dir, 'runbooks/five.yaml');
    writeFileSync(path, `${readFileSync(path, 'utf8')}# edited after the run\n`);
    const refused = await run(dir, ['resume', runId]);
    expect(refused.code).toBe(5);
    expect(refused.stderr).toContain(`runbook \`five\` changed since run ${runId}`);
    expect(refused.stderr).toContain('--force');
    expect(count(dir, 'three.count')).toBe(1);
    const forced = await run(dir, ['resume', runId, '--force']);
    expect(forced.code).toBe(0);
    expect(count(dir, 'one.count')).toBe(1);
  });

  it('refuses with exit 5 when there is nothing to resume, exit 2 for an unknown run', async () => {
    const project = stateProject({ five: five(true).replace('sleep 60', 'true') });
    cleanups.push(project.cleanup);
    expect((await run(project.dir, ['run', 'five', '--env', 'staging'])).code).toBe(0);
    const [runId] = runIds(project.dir);
    const again = await run(project.dir, ['resume', runId!]);
    expect(again.code).toBe(5);
    expect(again.stderr).toContain(`run ${runId} succeeded: there is nothing to resume`);
    const unknown = await run(project.dir, ['resume', '20990101T000000-ffff']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no run `20990101T000000-ffff` is recorded');
  });
});
