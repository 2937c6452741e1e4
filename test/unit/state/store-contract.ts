import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/engine/events';
import type { Incident, IncidentEntry, LockHolder, RunRecord, StateStore } from '../../../src/state/store';

/**
 * The behaviour every StateStore backend must have. A backend's test file calls
 * `storeContract('file', async () => new FileStore(...))`; each test gets a fresh, empty store.
 * Backends that hold the world elsewhere (PostgreSQL) must isolate tests themselves (a schema
 * per factory call, for example); `cleanup` runs after each test.
 */
export function storeContract(
  name: string,
  factory: () => Promise<StateStore>,
  options: { readonly cleanup?: (store: StateStore) => Promise<void>; readonly skip?: string } = {},
): void {
  const suite = options.skip ? describe.skip : describe;
  suite(`StateStore contract: ${name}`, () => {
    let store: StateStore;
    beforeEach(async () => {
      store = await factory();
    });
    afterEach(async () => {
      await options.cleanup?.(store);
      await store.close();
    });

    describe('runs', () => {
      it('creates, reads and updates a run record', async () => {
        const run = runRecord('20261122T143000-ab12');
        await store.createRun(run);
        expect(await store.getRun(run.id)).toEqual(run);
        await store.updateRun(run.id, { status: 'succeeded', endedAt: '2026-11-22T14:31:00.000Z' });
        expect(await store.getRun(run.id)).toEqual({ ...run, status: 'succeeded', endedAt: '2026-11-22T14:31:00.000Z' });
      });

      it('keeps every field of the record, approvals and nested values included', async () => {
        const run: RunRecord = {
          ...runRecord('20261122T143000-ab13'),
          params: { version: '1.2.3', replicas: 4, nested: { list: [1, 'two'] }, token: '***' },
          environment: 'production',
          approvals: [{ step: 'migrate', by: 'ana@example.com', via: 'prompt', at: '2026-11-22T14:30:10.000Z' }],
          resumedFrom: '20261122T140000-0000',
          rollbackOf: '20261122T130000-0000',
          incidentId: 'INC-1',
          lockKey: 'deploy@production',
        };
        await store.createRun(run);
        expect(await store.getRun(run.id)).toEqual(run);
      });

      it('returns undefined for a run that does not exist', async () => {
        expect(await store.getRun('20991231T235959-ffff')).toBeUndefined();
      });

      it('refuses to create the same run twice', async () => {
        await store.createRun(runRecord('20261122T143000-dup1'));
        await expect(store.createRun(runRecord('20261122T143000-dup1'))).rejects.toThrow();
      });

      it('refuses to update a run that does not exist', async () => {
        await expect(store.updateRun('20991231T235959-none', { status: 'failed' })).rejects.toThrow();
      });

      it('serializes concurrent updates of one run without losing any', async () => {
        const run = runRecord('20261122T143000-conc');
        await store.createRun(run);
        await Promise.all([
          store.updateRun(run.id, { status: 'failed' }),
          store.updateRun(run.id, { endedAt: '2026-11-22T14:31:00.000Z' }),
          store.updateRun(run.id, { lockKey: 'k@e' }),
        ]);
        const stored = await store.getRun(run.id);
        expect(stored).toMatchObject({ status: 'failed', endedAt: '2026-11-22T14:31:00.000Z', lockKey: 'k@e' });
      });

      it('lists runs newest first, filtered and limited', async () => {
        await store.createRun({ ...runRecord('20261122T100000-aaaa'), startedAt: '2026-11-22T10:00:00.000Z' });
        await store.createRun({ ...runRecord('20261122T120000-cccc', 'backup'), startedAt: '2026-11-22T12:00:00.000Z' });
        await store.createRun({ ...runRecord('20261122T110000-bbbb'), startedAt: '2026-11-22T11:00:00.000Z' });
        expect((await store.listRuns()).map((r) => r.id)).toEqual(['20261122T120000-cccc', '20261122T110000-bbbb', '20261122T100000-aaaa']);
        expect((await store.listRuns({ limit: 2 })).map((r) => r.id)).toEqual(['20261122T120000-cccc', '20261122T110000-bbbb']);
        expect((await store.listRuns({ runbook: 'deploy' })).map((r) => r.id)).toEqual(['20261122T110000-bbbb', '20261122T100000-aaaa']);
        expect(await store.listRuns({ runbook: 'nothing' })).toEqual([]);
      });
    });

    describe('events', () => {
      it('reads events back in the order they were appended', async () => {
        const run = runRecord('20261122T143000-ev01');
        await store.createRun(run);
        const events = sampleEvents(run.id);
        await store.appendEvents(run.id, events.slice(0, 2));
        await store.appendEvents(run.id, []);
        await store.appendEvents(run.id, events.slice(2));
        expect(await store.readEvents(run.id)).toEqual(events);
      });

      it('keeps concurrent appends whole and in call order', async () => {
        const run = runRecord('20261122T143000-ev02');
        await store.createRun(run);
        const events = sampleEvents(run.id);
        await Promise.all(events.map((event) => store.appendEvents(run.id, [event])));
        expect((await store.readEvents(run.id)).map((e) => e.seq)).toEqual(events.map((e) => e.seq));
      });

      it('keeps the events of different runs apart', async () => {
        await store.createRun(runRecord('20261122T143000-ev03'));
        await store.createRun(runRecord('20261122T143000-ev04'));
        await store.appendEvents('20261122T143000-ev03', sampleEvents('20261122T143000-ev03').slice(0, 1));
        await store.appendEvents('20261122T143000-ev04', sampleEvents('20261122T143000-ev04'));
        expect(await store.readEvents('20261122T143000-ev03')).toHaveLength(1);
        expect(await store.readEvents('20261122T143000-ev04')).toHaveLength(sampleEvents('x').length);
      });

      it('reads no events for an unknown run', async () => {
        expect(await store.readEvents('20991231T235959-none')).toEqual([]);
      });

      it('keeps text with newlines, quotes and unicode exactly', async () => {
        const run = runRecord('20261122T143000-ev05');
        await store.createRun(run);
        const text = 'line "one"\nline two\t✓ \\ \u0000 end';
        const event: RunEvent = { type: 'step.output', step: 'a', stream: 'stdout', text, runId: run.id, seq: 1, ts: '2026-11-22T14:30:00.000Z' };
        await store.appendEvents(run.id, [event]);
        expect(await store.readEvents(run.id)).toEqual([event]);
      });
    });

    describe('incidents', () => {
      it('creates, reads, updates and lists incidents by status, newest first', async () => {
        const older = incident('INC-20261122-0001', '2026-11-22T10:00:00.000Z');
        const newer = incident('INC-20261122-0002', '2026-11-22T11:00:00.000Z');
        await store.createIncident(older);
        await store.createIncident(newer);
        expect(await store.getIncident(older.id)).toEqual(older);
        expect((await store.listIncidents()).map((i) => i.id)).toEqual([newer.id, older.id]);
        await store.updateIncident(older.id, { status: 'resolved', resolvedAt: '2026-11-22T12:00:00.000Z', summary: 'fixed', runIds: ['r1'] });
        expect(await store.getIncident(older.id)).toEqual({ ...older, status: 'resolved', resolvedAt: '2026-11-22T12:00:00.000Z', summary: 'fixed', runIds: ['r1'] });
        expect((await store.listIncidents({ status: 'open' })).map((i) => i.id)).toEqual([newer.id]);
        expect((await store.listIncidents({ status: 'resolved' })).map((i) => i.id)).toEqual([older.id]);
        expect(await store.getIncident('INC-none')).toBeUndefined();
      });

      it('refuses a duplicate incident and an update of a missing one', async () => {
        await store.createIncident(incident('INC-dup', '2026-11-22T10:00:00.000Z'));
        await expect(store.createIncident(incident('INC-dup', '2026-11-22T10:00:00.000Z'))).rejects.toThrow();
        await expect(store.updateIncident('INC-missing', { status: 'resolved' })).rejects.toThrow();
      });

      it('appends timeline entries and reads them in order, per incident', async () => {
        await store.createIncident(incident('INC-t1', '2026-11-22T10:00:00.000Z'));
        await store.createIncident(incident('INC-t2', '2026-11-22T10:00:00.000Z'));
        const entries: IncidentEntry[] = [
          { incidentId: 'INC-t1', at: '2026-11-22T10:00:00.000Z', actor: 'ana', kind: 'opened', text: 'P1: api down' },
          { incidentId: 'INC-t1', at: '2026-11-22T10:01:00.000Z', actor: 'ana', kind: 'note', text: 'looking at\nthe logs', data: { link: 'x' } },
          { incidentId: 'INC-t1', at: '2026-11-22T10:02:00.000Z', actor: 'bo', kind: 'severity', text: 'P1 → P2', data: { from: 'P1', to: 'P2' } },
        ];
        for (const entry of entries) await store.appendIncidentEntry(entry);
        await store.appendIncidentEntry({ incidentId: 'INC-t2', at: '2026-11-22T10:03:00.000Z', actor: 'cy', kind: 'note', text: 'other' });
        expect(await store.readIncidentEntries('INC-t1')).toEqual(entries);
        expect(await store.readIncidentEntries('INC-t2')).toHaveLength(1);
        expect(await store.readIncidentEntries('INC-none')).toEqual([]);
      });
    });

    describe('locks', () => {
      it('acquires a free lock and lists its holder', async () => {
        const holder = lockHolder('deploy@staging', 'run-a');
        expect(await store.acquireLock(holder)).toMatchObject({ acquired: true });
        expect(await store.listLocks()).toEqual([holder]);
      });

      it('refuses a held lock and names the holder', async () => {
        const first = lockHolder('deploy@production', 'run-a', { user: 'ana@example.com' });
        await store.acquireLock(first);
        const result = await store.acquireLock(lockHolder('deploy@production', 'run-b'));
        expect(result).toEqual({ acquired: false, holder: first });
      });

      it('lets only one of many simultaneous runs take a lock', async () => {
        const results = await Promise.all(['r1', 'r2', 'r3', 'r4', 'r5'].map((id) => store.acquireLock(lockHolder('race@prod', id))));
        expect(results.filter((r) => r.acquired)).toHaveLength(1);
        const winner = (await store.listLocks())[0];
        for (const result of results) if (!result.acquired) expect(result.holder.runId).toBe(winner?.runId);
      });

      it('keeps different keys independent', async () => {
        expect((await store.acquireLock(lockHolder('a@prod', 'run-a'))).acquired).toBe(true);
        expect((await store.acquireLock(lockHolder('b@prod', 'run-b'))).acquired).toBe(true);
        expect((await store.listLocks()).map((l) => l.key)).toEqual(['a@prod', 'b@prod']);
      });

      it('releases only for the run that holds it', async () => {
        await store.acquireLock(lockHolder('deploy@staging', 'run-a'));
        await store.releaseLock('deploy@staging', 'run-b');
        expect((await store.listLocks()).map((l) => l.runId)).toEqual(['run-a']);
        await store.releaseLock('deploy@staging', 'run-a');
        expect(await store.listLocks()).toEqual([]);
        expect((await store.acquireLock(lockHolder('deploy@staging', 'run-b'))).acquired).toBe(true);
      });

      it('force-releases whoever holds it and says who that was', async () => {
        const holder = lockHolder('deploy@production', 'run-a');
        await store.acquireLock(holder);
        expect(await store.forceReleaseLock('deploy@production')).toEqual(holder);
        expect(await store.listLocks()).toEqual([]);
        expect(await store.forceReleaseLock('deploy@production')).toBeUndefined();
      });

      it('renews the heartbeat of the holder', async () => {
        const holder = lockHolder('deploy@staging', 'run-a', { heartbeatAt: new Date(Date.now() - 30_000).toISOString() });
        await store.acquireLock(holder);
        await store.heartbeatLock('deploy@staging', 'run-a');
        const [renewed] = await store.listLocks();
        expect(Date.parse(renewed?.heartbeatAt ?? '')).toBeGreaterThan(Date.parse(holder.heartbeatAt));
        expect(renewed).toMatchObject({ runId: 'run-a', since: holder.since, pid: holder.pid });
      });

      it('rejects a heartbeat from a run that no longer holds the lock', async () => {
        await store.acquireLock(lockHolder('deploy@staging', 'run-a'));
        await store.forceReleaseLock('deploy@staging');
        await expect(store.heartbeatLock('deploy@staging', 'run-a')).rejects.toThrow(/no longer held/);
      });

      it('takes over a lock whose heartbeat expired', async () => {
        const old = new Date(Date.now() - 10 * 60_000).toISOString();
        const dead = lockHolder('deploy@production', 'run-a', { host: 'elsewhere.example', heartbeatAt: old, since: old });
        await store.acquireLock(dead);
        const result = await store.acquireLock(lockHolder('deploy@production', 'run-b'));
        expect(result).toEqual({ acquired: true, takenOver: { holder: dead, reason: 'expired' } });
        expect((await store.listLocks()).map((l) => l.runId)).toEqual(['run-b']);
      });

      it('takes over a lock whose holder process died on this host', async () => {
        const dead = lockHolder('deploy@production', 'run-a', { pid: deadPid() });
        await store.acquireLock(dead);
        const result = await store.acquireLock(lockHolder('deploy@production', 'run-b'));
        expect(result).toEqual({ acquired: true, takenOver: { holder: dead, reason: 'dead-process' } });
      });

      it('does not take over a live holder on another host with a fresh heartbeat', async () => {
        const remote = lockHolder('deploy@production', 'run-a', { host: 'elsewhere.example', pid: 1 });
        await store.acquireLock(remote);
        expect(await store.acquireLock(lockHolder('deploy@production', 'run-b'))).toEqual({ acquired: false, holder: remote });
      });
    });
  });
}

export function runRecord(id: string, runbook = 'deploy'): RunRecord {
  return {
    id,
    runbook: { name: runbook, title: `The ${runbook} runbook`, path: `/srv/runbooks/${runbook}.yaml`, hash: 'ab'.repeat(32) },
    params: { version: '1.2.3' },
    user: 'ana@example.com',
    trigger: 'terminal',
    host: 'laptop',
    pid: 4242,
    opsctlVersion: '0.1.0',
    dryRun: false,
    startedAt: '2026-11-22T14:30:00.000Z',
    status: 'running',
    approvals: [],
  };
}

export function sampleEvents(runId: string): RunEvent[] {
  const base = { runId, ts: '2026-11-22T14:30:00.000Z' };
  return [
    { ...base, seq: 1, type: 'run.started', runbook: 'deploy', title: 'Deploy', dryRun: false, params: { version: '1.2.3' } },
    { ...base, seq: 2, type: 'step.started', step: 'build', attempt: 1, effect: 'write' },
    { ...base, seq: 3, type: 'step.output', step: 'build', stream: 'stdout', text: 'compiling' },
    { ...base, seq: 4, type: 'step.succeeded', step: 'build', durationMs: 12, outputs: { image: 'api:1.2.3' }, exitCode: 0 },
    { ...base, seq: 5, type: 'run.finished', status: 'succeeded', durationMs: 20 },
  ];
}

function incident(id: string, startedAt: string): Incident {
  return { id, title: 'API down', severity: 'P1', status: 'open', commander: 'ana@example.com', startedAt, runIds: [] };
}

function lockHolder(key: string, runId: string, patch: Partial<LockHolder> = {}): LockHolder {
  const now = new Date().toISOString();
  return { key, runId, user: 'ana@example.com', host: hostname(), pid: process.pid, since: now, heartbeatAt: now, ...patch };
}

/** The pid of a process that has just exited (the OS will not reuse it within a test). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}
