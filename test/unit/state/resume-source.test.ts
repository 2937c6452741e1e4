import { mkdtemp, rm } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunEvent, RunEventBody } from '../../../src/engine/events';
import { FileStore } from '../../../src/state/file-store';
import { resumeSource } from '../../../src/state/resume-source';
import type { RunRecord } from '../../../src/state/store';
import { OpsctlError } from '../../../src/util/errors';
import { runRecord } from './store-contract';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function seed(runs: { record: RunRecord; events: RunEventBody[] }[]): Promise<FileStore> {
  const dir = await mkdtemp(join(tmpdir(), 'opsctl-resume-'));
  dirs.push(dir);
  const store = new FileStore({ dir });
  for (const { record, events } of runs) {
    await store.createRun(record);
    await store.appendEvents(
      record.id,
      events.map((body, i) => ({ ...body, runId: record.id, seq: i + 1, ts: new Date(Date.parse(record.startedAt) + i * 1000).toISOString() }) as RunEvent),
    );
  }
  return store;
}

const deadPid = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
const crashed = (id: string, patch: Partial<RunRecord> = {}): RunRecord => ({ ...runRecord(id), host: hostname(), pid: deadPid, ...patch });

describe('resumeSource', () => {
  it('restores succeeded steps and names the one that was running', async () => {
    const record = crashed('20261122T143000-aaaa');
    const store = await seed([
      {
        record,
        events: [
          { type: 'run.started', runbook: 'deploy', title: 'Deploy', dryRun: false, params: {} },
          { type: 'step.started', step: 'one', attempt: 1, effect: 'write' },
          { type: 'step.succeeded', step: 'one', durationMs: 1, outputs: { n: '1' }, exitCode: 0 },
          { type: 'step.started', step: 'two', attempt: 1, effect: 'write' },
          { type: 'step.succeeded', step: 'two', durationMs: 1, outputs: { n: '2' }, undoFacts: { was: 'x' } },
          { type: 'step.started', step: 'three', attempt: 1, effect: 'write' },
        ],
      },
    ]);
    const source = await resumeSource(store, record);
    expect(source.completed).toEqual({ one: { outputs: { n: '1' }, exitCode: 0 }, two: { outputs: { n: '2' }, undoFacts: { was: 'x' } } });
    expect(source.completionOrder).toEqual(['one', 'two']);
    expect(source.interrupted).toEqual(['three']);
  });

  it('carries restored steps forward through a chain of resumed runs', async () => {
    const first = crashed('20261122T143000-aaaa', { status: 'failed' });
    const second = crashed('20261122T143100-bbbb', { status: 'running', resumedFrom: first.id, startedAt: '2026-11-22T14:31:00.000Z' });
    const store = await seed([
      {
        record: first,
        events: [
          { type: 'step.succeeded', step: 'one', durationMs: 1, outputs: { n: '1' } },
          { type: 'step.succeeded', step: 'two', durationMs: 1, outputs: { n: '2' } },
          { type: 'step.failed', step: 'three', durationMs: 1, reason: 'exit-non-zero', message: 'exit 1' },
        ],
      },
      {
        record: second,
        events: [
          { type: 'step.skipped', step: 'one', reason: 'already succeeded' },
          { type: 'step.skipped', step: 'two', reason: 'already succeeded' },
          { type: 'step.succeeded', step: 'three', durationMs: 1, outputs: { n: '3' } },
          { type: 'step.started', step: 'four', attempt: 1, effect: 'write' },
        ],
      },
    ]);
    const source = await resumeSource(store, second);
    expect(Object.keys(source.completed)).toEqual(['one', 'two', 'three']);
    expect(source.completionOrder).toEqual(['one', 'two', 'three']);
    expect(source.interrupted).toEqual(['four']);
  });

  it('refuses (exit 5) a run that succeeded, a dry run, and a run still alive', async () => {
    const ok = crashed('20261122T143000-0001', { status: 'succeeded' });
    const dry = crashed('20261122T143000-0002', { dryRun: true, status: 'planned' });
    const alive = crashed('20261122T143000-0003', { pid: 1 });
    const store = await seed([ok, dry, alive].map((record) => ({ record, events: [] })));
    for (const [record, pattern] of [
      [ok, /succeeded: there is nothing to resume/],
      [dry, /was a dry run/],
      [alive, /is still running \(pid 1 on /],
    ] as const) {
      const error = await resumeSource(store, record).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpsctlError);
      expect((error as OpsctlError).exitCode).toBe(5);
      expect((error as OpsctlError).message).toMatch(pattern);
    }
  });
});

describe('completedSteps for rollback --run', () => {
  it('counts a step that failed after changing something (undo facts journaled) as a change to undo; resume does not', async () => {
    const { completedSteps } = await import('../../../src/state/resume-source');
    const record = crashed('20261122T150000-cccc', { status: 'failed' });
    const store = await seed([
      {
        record,
        events: [
          { type: 'run.started', runbook: 'deploy', title: 'Deploy', dryRun: false, params: {} },
          { type: 'step.started', step: 'scale', attempt: 1, effect: 'write' },
          { type: 'step.succeeded', step: 'scale', durationMs: 5, outputs: {}, undoFacts: { previous: 2 } },
          { type: 'step.started', step: 'rollout', attempt: 1, effect: 'write' },
          { type: 'step.failed', step: 'rollout', durationMs: 9, reason: 'aws-error', message: 'circuit breaker', outputs: { revision: 7 }, undoFacts: { previousTaskDefinition: 'api:6' } },
          { type: 'step.started', step: 'smoke', attempt: 1, effect: 'write' },
          { type: 'step.failed', step: 'smoke', durationMs: 9, reason: 'exit-non-zero', message: 'exit 1' },
          { type: 'run.finished', status: 'failed', durationMs: 20, failedStep: 'rollout' },
        ],
      },
    ]);
    const forRollback = await completedSteps(store, record, 0, true);
    expect(forRollback.order).toEqual(['scale', 'rollout']);
    expect(forRollback.completed.rollout).toEqual({ outputs: { revision: 7 }, undoFacts: { previousTaskDefinition: 'api:6' } });
    const forResume = await completedSteps(store, record);
    expect(forResume.order).toEqual(['scale']);
  });
});

describe('completedSteps for rollback --run (F35)', () => {
  it('keeps steps whose automatic undo failed or never finished, and drops those rolled back', async () => {
    const { completedSteps } = await import('../../../src/state/resume-source');
    const record = crashed('20261122T145221-5bc6', { status: 'cancelled' });
    const store = await seed([
      {
        record,
        events: [
          { type: 'step.succeeded', step: 'a', durationMs: 1, outputs: {} },
          { type: 'step.succeeded', step: 'b', durationMs: 1, outputs: {} },
          { type: 'step.succeeded', step: 'c', durationMs: 1, outputs: {} },
          { type: 'step.succeeded', step: 'd', durationMs: 1, outputs: {} },
          { type: 'step.failed', step: 'e', durationMs: 1, reason: 'exit-non-zero', message: 'exit 1' },
          { type: 'step.rolling-back', step: 'd' },
          { type: 'step.rolled-back', step: 'd', durationMs: 1 },
          { type: 'step.rolling-back', step: 'c' },
          { type: 'step.rollback-failed', step: 'c', message: 'interrupted by SIGINT' },
          { type: 'step.rolling-back', step: 'b' },
        ],
      },
    ]);
    const done = await completedSteps(store, record, 0, true);
    expect(done.order).toEqual(['a', 'b', 'c']);
    // resume never counts them as done
    expect((await completedSteps(store, record)).order).toEqual(['a']);
  });
});
