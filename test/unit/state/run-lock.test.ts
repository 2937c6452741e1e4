import { mkdtemp, rm } from 'node:fs/promises';
import { EventEmitter } from 'node:events';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileStore } from '../../../src/state/file-store';
import { acquireRunLock, defaultLockKey } from '../../../src/state/run-lock';
import { installInterruptHandlers, InterruptedError } from '../../../src/state/signals';
import { OpsctlError } from '../../../src/util/errors';
import type { Clock } from '../../../src/util/clock';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
async function store(): Promise<FileStore> {
  const dir = await mkdtemp(join(tmpdir(), 'opsctl-lock-'));
  dirs.push(dir);
  return new FileStore({ dir });
}

/** Real time at the start (the store judges heartbeats by the wall clock). */
const T0 = Date.now();

/** Virtual time: sleeping advances it and lets `onSleep` change the world. */
function virtualClock(onSleep: (now: number) => Promise<void> = async () => undefined): Clock & { slept: number[] } {
  let now = T0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
      await onSleep(now);
    },
  };
}

describe('acquireRunLock', () => {
  it('takes a free lock and releases it', async () => {
    const s = await store();
    const lock = await acquireRunLock({ store: s, key: 'deploy@prod', runId: 'run-a', user: 'ana', clock: virtualClock() });
    expect((await s.listLocks()).map((l) => [l.key, l.runId, l.user, l.host, l.pid])).toEqual([['deploy@prod', 'run-a', 'ana', hostname(), process.pid]]);
    await lock.release();
    expect(await s.listLocks()).toEqual([]);
  });

  it('fails with exit 4 naming the holder', async () => {
    const s = await store();
    await acquireRunLock({ store: s, key: 'deploy@prod', runId: 'run-a', user: 'ana@example.com', clock: virtualClock() });
    const error = await acquireRunLock({ store: s, key: 'deploy@prod', runId: 'run-b', user: 'bo', clock: virtualClock() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpsctlError);
    expect((error as OpsctlError).exitCode).toBe(4);
    expect((error as OpsctlError).message).toMatch(
      new RegExp(`^lock \`deploy@prod\` is held by run run-a \\(ana@example.com on ${hostname()}, pid ${process.pid}, since ${new Date(T0).toISOString()}\\)$`),
    );
    expect((error as OpsctlError).hint).toContain('opsctl lock release deploy@prod --force');
  });

  it('waits for the holder with --wait-lock and takes the lock once it is released', async () => {
    const s = await store();
    const first = await acquireRunLock({ store: s, key: 'k@e', runId: 'run-a', user: 'ana', clock: virtualClock() });
    const notes: string[] = [];
    const clock = virtualClock(async (now) => {
      if (now >= T0 + 3000) await first.release();
    });
    const second = await acquireRunLock({ store: s, key: 'k@e', runId: 'run-b', user: 'bo', clock, waitMs: 60_000, notify: (m) => notes.push(m) });
    expect(second.holder.runId).toBe('run-b');
    expect(clock.slept).toEqual([1000, 1000, 1000]);
    expect(notes).toEqual([expect.stringMatching(/^waiting up to 1m for lock `k@e`, held by run run-a/)]);
    await second.release();
  });

  it('gives up after the wait with exit 4', async () => {
    const s = await store();
    await acquireRunLock({ store: s, key: 'k@e', runId: 'run-a', user: 'ana', clock: virtualClock() });
    const clock = virtualClock();
    const error = await acquireRunLock({ store: s, key: 'k@e', runId: 'run-b', user: 'bo', clock, waitMs: 2500 }).catch((e: unknown) => e);
    expect((error as OpsctlError).exitCode).toBe(4);
    expect((error as OpsctlError).message).toMatch(/; waited 2.5s$/);
    expect(clock.slept).toEqual([1000, 1000, 500]);
  });

  it('says when it took over the lock of a dead run', async () => {
    const s = await store();
    const old = '2026-11-22T14:00:00.000Z';
    await s.acquireLock({ key: 'k@e', runId: 'run-dead', user: 'ana', host: 'elsewhere', pid: 1, since: old, heartbeatAt: old });
    const notes: string[] = [];
    const lock = await acquireRunLock({ store: s, key: 'k@e', runId: 'run-b', user: 'bo', clock: virtualClock(), notify: (m) => notes.push(m) });
    expect(lock.holder.runId).toBe('run-b');
    expect(notes).toEqual(['took over lock `k@e` from run run-dead (ana on elsewhere, pid 1): its heartbeat expired']);
  });

  it('renews the heartbeat while held and notices when the lock was taken away', async () => {
    const s = await store();
    const notes: string[] = [];
    const lock = await acquireRunLock({ store: s, key: 'k@e', runId: 'run-a', user: 'ana', clock: virtualClock(), heartbeatMs: 20, notify: (m) => notes.push(m) });
    const before = (await s.listLocks())[0]?.heartbeatAt;
    await waitFor(async () => (await s.listLocks())[0]?.heartbeatAt !== before);
    await s.forceReleaseLock('k@e');
    await waitFor(async () => lock.lost !== undefined);
    expect(lock.lost).toMatch(/no longer held by run run-a/);
    expect(notes).toHaveLength(1);
    await lock.release();
  });
});

async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met within 10 s');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('defaultLockKey', () => {
  it('uses the runbook lock, none for lock: false or read-only runs, else name@environment', () => {
    expect(defaultLockKey({ name: 'deploy', environment: 'prod', lock: 'db@prod', writes: true })).toBe('db@prod');
    expect(defaultLockKey({ name: 'deploy', environment: 'prod', lock: false, writes: true })).toBeUndefined();
    expect(defaultLockKey({ name: 'deploy', environment: 'prod', writes: false })).toBeUndefined();
    expect(defaultLockKey({ name: 'deploy', environment: 'prod', writes: true })).toBe('deploy@prod');
    expect(defaultLockKey({ name: 'deploy', writes: true })).toBe('deploy@default');
  });
});

describe('interrupt handlers', () => {
  it('aborts the run on the first signal and exits 130 on the second', () => {
    const target = new EventEmitter();
    const controller = new AbortController();
    const lines: string[] = [];
    const exits: number[] = [];
    const handlers = installInterruptHandlers({ controller, write: (l) => lines.push(l), exit: (c) => exits.push(c), target: target as unknown as NodeJS.Process, graceMs: 5000 });
    target.emit('SIGTERM', 'SIGTERM');
    expect(controller.signal.aborted).toBe(true);
    expect(controller.signal.reason).toBeInstanceOf(InterruptedError);
    expect(handlers.received).toBe('SIGTERM');
    expect(lines[0]).toContain('received SIGTERM: stopping');
    expect(lines[0]).toContain('killed after 5s');
    expect(exits).toEqual([]);
    target.emit('SIGINT', 'SIGINT');
    expect(exits).toEqual([130]);
    handlers.dispose();
    expect(target.listenerCount('SIGINT')).toBe(0);
    expect(target.listenerCount('SIGHUP')).toBe(0);
  });

  it('treats a hang-up like SIGTERM: the run is cancelled, not abandoned', () => {
    const target = new EventEmitter();
    const controller = new AbortController();
    installInterruptHandlers({ controller, write: () => undefined, exit: () => undefined, target: target as unknown as NodeJS.Process });
    target.emit('SIGHUP', 'SIGHUP');
    expect(controller.signal.aborted).toBe(true);
  });
});
