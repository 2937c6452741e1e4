import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SessionInfo } from '../../../src/cli/run-hooks';
import type { Config } from '../../../src/config/model';
import type { RunEvent } from '../../../src/engine/events';
import type { Runbook, Step, StepGraph } from '../../../src/runbook/model';
import { FileStore } from '../../../src/state/file-store';
import { Redactor } from '../../../src/state/redactor';
import { stateHooks } from '../../../src/state/session-hooks';
import type { Prompter } from '../../../src/ui/prompter';
import { systemClock } from '../../../src/util/clock';
import { OpsctlError } from '../../../src/util/errors';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

const range = { file: '/rb/deploy.yaml', line: 1, col: 1, offset: 0, endOffset: 1 };
const noPrompter: Prompter = {
  interactive: false,
  confirm: async () => ({ type: 'no-terminal' }),
  input: async () => ({ type: 'no-terminal' }),
  select: async () => ({ type: 'no-terminal' }),
};

function graph(patch: Partial<Runbook> = {}, readonly = false): StepGraph {
  const step = { id: 'go', phase: 'main', action: { kind: 'shell', input: { run: 'true' }, range }, needs: [], retry: { attempts: 1 }, onFailure: 'abort', idempotent: false, readonly, outputs: {}, env: {}, range } as unknown as Step;
  const runbook = {
    apiVersion: 'opsctl/v1', kind: 'Runbook', name: 'deploy', title: 'Deploy',
    params: [{ name: 'version', type: 'string', required: true, secret: false, range }, { name: 'token', type: 'string', required: true, secret: true, range }],
    secrets: [{ name: 'db', from: 'env', env: 'TEST_DB_PASSWORD', range }],
    vars: {}, requires: { tools: [], env: [] }, concurrency: 1, onFailure: 'abort', steps: [step], finally: [],
    source: { path: '/rb/deploy.yaml', hash: 'a'.repeat(64), text: '' },
    ...patch,
  } as Runbook;
  return { runbook, order: ['go'], steps: new Map([['go', step]]), dependents: new Map(), ancestors: new Map(), finally: [] };
}

async function session(g: StepGraph, runId: string) {
  const dir = await mkdtemp(join(tmpdir(), 'opsctl-hooks-'));
  dirs.push(dir);
  const store = new FileStore({ dir });
  const redactor = new Redactor();
  redactor.add('tok-secret-1');
  const info: SessionInfo = {
    runId, graph: g, config: { root: dir, state: { backend: 'file' } } as unknown as Config,
    environment: { name: 'staging', protected: false, vars: {} },
    params: { version: '1.2.3', token: 'tok-secret-1' }, user: 'ana@example.com', dryRun: false,
    prompter: noPrompter, redactor, clock: systemClock, startedAt: Date.parse('2026-11-22T14:30:00Z'),
    approvals: [{ step: 'environment:staging', by: 'ana@example.com', via: 'prompt', at: '2026-11-22T14:30:01.000Z' }],
  };
  return { store, info, redactor };
}

describe('state hooks', () => {
  it('resolves secrets, records the run, journals, locks and releases', async () => {
    const { store, info, redactor } = await session(graph(), '20261122T143000-h001');
    const notes: string[] = [];
    const hooks = stateHooks({ store, env: { TEST_DB_PASSWORD: 'pw-from-env', CI: 'true' }, notify: (l) => notes.push(l) });
    expect(await hooks.resolveSecrets!(info)).toEqual({ db: 'pw-from-env' });
    expect(redactor.redact('pw-from-env')).toBe('***');

    const [sink] = await hooks.sinks!(info);
    const record = await store.getRun(info.runId);
    expect(record).toMatchObject({ params: { version: '1.2.3', token: '***' }, trigger: 'ci', environment: 'staging', status: 'running', host: hostname(), user: 'ana@example.com' });

    await hooks.beforeFirstSideEffect!(info);
    expect((await store.listLocks()).map((l) => [l.key, l.runId])).toEqual([['deploy@staging', info.runId]]);
    expect((await store.getRun(info.runId))?.lockKey).toBe('deploy@staging');

    const at = (seq: number) => ({ runId: info.runId, seq, ts: `2026-11-22T14:30:0${seq}.000Z` });
    sink!.emit({ type: 'run.started', runbook: 'deploy', title: 'Deploy', dryRun: false, params: { token: '***' }, ...at(1) } as RunEvent);
    sink!.emit({ type: 'step.output', step: 'go', stream: 'stdout', text: 'pw-from-env tok-secret-1', ...at(2) } as RunEvent);
    sink!.emit({ type: 'run.finished', status: 'succeeded', durationMs: 5, ...at(3) } as RunEvent);
    await sink!.close!();
    await hooks.onFinish!(info, undefined, undefined);

    expect(await store.listLocks()).toEqual([]);
    const final = await store.getRun(info.runId);
    expect(final).toMatchObject({ status: 'succeeded', endedAt: '2026-11-22T14:30:03.000Z' });
    expect(final?.approvals).toEqual([{ step: 'environment:staging', by: 'ana@example.com', via: 'prompt', at: '2026-11-22T14:30:01.000Z' }]);
    const text = JSON.stringify(await store.readEvents(info.runId));
    expect(text).not.toContain('pw-from-env');
    expect(text).not.toContain('tok-secret-1');
    expect(notes).toEqual([]);
  });

  it('exits 4 naming the holder when another run holds the lock', async () => {
    const { store, info } = await session(graph(), '20261122T143000-h002');
    const now = new Date().toISOString();
    await store.acquireLock({ key: 'deploy@staging', runId: 'other-run', user: 'bo', host: 'elsewhere', pid: 9, since: now, heartbeatAt: now });
    const hooks = stateHooks({ store, env: { TEST_DB_PASSWORD: 'x1234' } });
    await hooks.sinks!(info);
    const error = await hooks.beforeFirstSideEffect!(info).catch((e: unknown) => e);
    expect((error as OpsctlError).exitCode).toBe(4);
    expect((error as OpsctlError).message).toContain('held by run other-run (bo on elsewhere, pid 9');
    await hooks.onFinish!(info, undefined, error);
    expect((await store.getRun(info.runId))?.status).toBe('failed');
    expect((await store.listLocks()).map((l) => l.runId)).toEqual(['other-run']);
  });

  it('takes no lock for a read-only runbook or lock: false, the default one for lock: true, and evaluates lock templates', async () => {
    for (const [g, expected] of [
      [graph({}, true), []],
      [graph({ lock: false }), []],
      [graph({ lock: true }, true), ['deploy@staging']],
      [graph({ lock: 'db-${{ environment.name }}-${{ params.version }}' }), ['db-staging-1.2.3']],
    ] as const) {
      const { store, info } = await session(g, '20261122T143000-h003');
      const hooks = stateHooks({ store, env: { TEST_DB_PASSWORD: 'x1234' } });
      await hooks.sinks!(info);
      await hooks.beforeFirstSideEffect!(info);
      expect((await store.listLocks()).map((l) => l.key)).toEqual(expected);
      await hooks.onFinish!(info, undefined, undefined);
    }
  });

  it('F38: a secret in a lock template enters the key as sha256:<12 hex>, the same in the lock, the run record and release', async () => {
    const { store, info } = await session(graph({ lock: 'db@${{ params.token }}-${{ params.version }}' }), '20261122T143000-h038');
    const hooks = stateHooks({ store, env: { TEST_DB_PASSWORD: 'x1234' } });
    await hooks.sinks!(info);
    await hooks.beforeFirstSideEffect!(info);
    const key = `db@sha256:${createHash('sha256').update('tok-secret-1').digest('hex').slice(0, 12)}-1.2.3`;
    expect((await store.listLocks()).map((l) => l.key)).toEqual([key]);
    expect((await store.getRun(info.runId))?.lockKey).toBe(key);
    expect(JSON.stringify(await store.listLocks())).not.toContain('tok-secret-1');
    await hooks.onFinish!(info, undefined, undefined);
    expect(await store.listLocks()).toEqual([]);
  });

  it('refuses a changed runbook with exit 5 unless forced', async () => {
    const { store, info } = await session(graph(), '20261122T143000-h004');
    const hooks = stateHooks({ store, env: { TEST_DB_PASSWORD: 'x1234' }, expectedHash: 'b'.repeat(64), resume: { fromRunId: 'old-run', completed: {} } });
    const error = await hooks.resolveSecrets!(info).catch((e: unknown) => e);
    expect((error as OpsctlError).exitCode).toBe(5);
    expect((error as OpsctlError).message).toContain('changed since run old-run (sha256 bbbbbbbbbbbb then, aaaaaaaaaaaa now)');
    const forced = stateHooks({ store, env: { TEST_DB_PASSWORD: 'x1234' }, expectedHash: 'b'.repeat(64), force: true });
    expect(await forced.resolveSecrets!(info)).toEqual({ db: 'x1234' });
  });

  it('names a missing secret with exit 2', async () => {
    const { store, info } = await session(graph(), '20261122T143000-h005');
    const error = await stateHooks({ store, env: {} }).resolveSecrets!(info).catch((e: unknown) => e);
    expect((error as OpsctlError).exitCode).toBe(2);
    expect((error as OpsctlError).message).toContain('environment variable `TEST_DB_PASSWORD` is not set');
  });
});
