import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive, journal, readPid, record, runIds, start, stateProject, waitFor } from './runs-helpers';

/** A step whose grandchild ignores SIGTERM (so only the SIGKILL after the grace period stops it). */
const RUNBOOK = `apiVersion: opsctl/v1
kind: Runbook
name: sig
title: Signals
steps:
  - id: work
    shell: |
      echo $$ > step.pid
      bash -c 'trap "" TERM; echo $$ > child.pid; sleep 60 & echo $! > grandchild.pid; wait'
  - id: after
    shell: echo ran > after.ran
finally:
  - id: cleanup
    shell: echo "$(date +%s)" > finally.ran
`;

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

async function startedRun(graceMs: number) {
  const project = stateProject({ sig: RUNBOOK });
  cleanups.push(project.cleanup);
  const dir = project.dir;
  const opsctl = start(dir, ['run', 'sig', '--env', 'staging', '--output', 'plain'], { OPSCTL_KILL_GRACE_MS: String(graceMs) });
  await waitFor('the grandchild to start', () => existsSync(join(dir, 'grandchild.pid')) && readPid(dir, 'grandchild.pid') > 0);
  const tree = ['step.pid', 'child.pid', 'grandchild.pid'].map((f) => readPid(dir, f));
  for (const pid of tree) expect(isAlive(pid)).toBe(true);
  return { dir, opsctl, tree };
}

describe('signals', () => {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    it(`${signal}: stops the step tree after the grace period, runs finally, records cancelled, exits 130`, async () => {
      const { dir, opsctl, tree } = await startedRun(1500);
      opsctl.child.kill(signal);
      const { code } = await opsctl.exited;
      expect(code).toBe(130);
      expect(opsctl.stderr()).toContain(`received ${signal}: stopping`);
      // Killed ones are reaped by init a moment later; one still running would outlive this wait.
      await waitFor('the step tree to be gone', () => tree.every((pid) => !isAlive(pid)), 5_000);
      expect(existsSync(join(dir, 'finally.ran'))).toBe(true);
      expect(existsSync(join(dir, 'after.ran'))).toBe(false);

      const [runId] = runIds(dir);
      expect(record(dir, runId!).status).toBe('cancelled');
      const events = journal(dir, runId!);
      expect(events.find((e) => e.type === 'run.finished')).toMatchObject({ status: 'cancelled' });
      expect(events.some((e) => e.type === 'step.cancelled' && e.step === 'work')).toBe(true);
      expect(events.some((e) => e.type === 'step.succeeded' && e.step === 'cleanup')).toBe(true);
      // The lock is released for the next run.
      expect(existsSync(join(dir, '.opsctl/locks/sig@staging.json'))).toBe(false);
    });
  }

  it('a second Ctrl-C kills every step at once and exits 130', async () => {
    // A grace period longer than the test's patience: only the second SIGINT can end this in time.
    const { dir, opsctl, tree } = await startedRun(120_000);
    opsctl.child.kill('SIGINT');
    await waitFor('the first SIGINT to be acknowledged', () => opsctl.stderr().includes('received SIGINT: stopping'));
    opsctl.child.kill('SIGINT');
    const { code } = await opsctl.exited;
    expect(code).toBe(130);
    expect(opsctl.stderr()).toContain('received SIGINT again: killing every step now');
    await waitFor('the step tree to die', () => tree.every((pid) => !isAlive(pid)), 10_000);
    // Even a hard exit leaves the journal and the record saying how the run ended.
    const [runId] = runIds(dir);
    expect(record(dir, runId!).status).toBe('cancelled');
    expect(journal(dir, runId!).find((e) => e.type === 'run.finished')).toMatchObject({ status: 'cancelled' });
  });
});
