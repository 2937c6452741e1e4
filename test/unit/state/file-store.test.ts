import { mkdir, mkdtemp, readFile, rm, appendFile, readdir, writeFile } from 'node:fs/promises';
import { existsSync, readdirSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileStore } from '../../../src/state/file-store';
import { runRecord, sampleEvents, storeContract } from './store-contract';

const dirs: string[] = [];
async function freshDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'opsctl-store-'));
  dirs.push(dir);
  return join(dir, '.opsctl');
}
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

storeContract('file', async () => new FileStore({ dir: await freshDir() }));

describe('FileStore on disk', () => {
  it('F27: lists damaged run records instead of dropping them silently', async () => {
    const dir = await freshDir();
    const store = new FileStore({ dir });
    const ids = ['20261122T143000-ok01', '20261122T143001-bad1', '20261122T143002-num1', '20261122T143003-gone', '20261122T143004-new1'];
    for (const id of ids.slice(0, 4)) {
      await store.createRun(runRecord(id));
      await store.appendEvents(id, sampleEvents(id));
    }
    await writeFile(join(dir, 'runs', ids[1]!, 'run.json'), 'garbage\n');
    await writeFile(join(dir, 'runs', ids[2]!, 'run.json'), '1\n');
    await rm(join(dir, 'runs', ids[3]!, 'run.json'));
    // A run being created right now (its folder made, no record or journal yet) is not damaged.
    await mkdir(join(dir, 'runs', ids[4]!));

    expect((await store.listRuns()).map((r) => r.id)).toEqual([ids[0]]);
    expect(await store.getRun(ids[2]!)).toBeUndefined();
    const damaged = await store.damagedRuns();
    expect(damaged.map((d) => d.id)).toEqual([ids[3], ids[2], ids[1]]);
    expect(damaged[0]?.problem).toBe('run.json is missing (its journal is there)');
    expect(damaged[1]?.problem).toBe('run.json is not a run record (no id, runbook or start time)');
    expect(damaged[2]?.problem).toMatch(/^run\.json is not valid JSON \(/);
    expect(await store.readEvents(ids[1]!)).toEqual(sampleEvents(ids[1]!));
  });

  it('lays out runs and journals as documented', async () => {
    const dir = await freshDir();
    const store = new FileStore({ dir });
    const run = runRecord('20261122T143000-lay1');
    await store.createRun(run);
    await store.appendEvents(run.id, sampleEvents(run.id));
    expect(JSON.parse(await readFile(join(dir, 'runs', run.id, 'run.json'), 'utf8'))).toEqual(run);
    const lines = (await readFile(join(dir, 'runs', run.id, 'events.ndjson'), 'utf8')).split('\n');
    expect(lines).toHaveLength(sampleEvents(run.id).length + 1);
    expect(lines.at(-1)).toBe('');
    // No temporary files are left behind by atomic writes.
    expect((await readdir(join(dir, 'runs', run.id))).sort()).toEqual(['events.ndjson', 'run.json']);
  });

  it('reads a journal whose last line a crash cut short, and appends after it cleanly', async () => {
    const dir = await freshDir();
    const store = new FileStore({ dir });
    const run = runRecord('20261122T143000-cut1');
    await store.createRun(run);
    const events = sampleEvents(run.id);
    await store.appendEvents(run.id, events.slice(0, 3));
    await appendFile(join(dir, 'runs', run.id, 'events.ndjson'), '{"type":"step.succeeded","step":"bu');
    expect(await store.readEvents(run.id)).toEqual(events.slice(0, 3));
    await store.appendEvents(run.id, events.slice(3));
    expect(await store.readEvents(run.id)).toEqual(events);
  });

  it('appends synchronously after a cut last line, keeps the journal open between appends, and closes it', async () => {
    const dir = await freshDir();
    const store = new FileStore({ dir });
    const run = runRecord('20261122T143000-cut2');
    await store.createRun(run);
    const events = sampleEvents(run.id);
    const journal = join(dir, 'runs', run.id, 'events.ndjson');
    await appendFile(journal, `${JSON.stringify(events[0])}\n{"type":"step.succeeded","step":"bu`);
    store.appendEventsSync(run.id, events.slice(1, 3));
    const open = () => readdirSync('/proc/self/fd').filter((fd) => { try { return readlinkSync(`/proc/self/fd/${fd}`) === journal; } catch { return false; } }).length;
    if (existsSync('/proc/self/fd')) expect(open()).toBe(1);
    store.appendEventsSync(run.id, events.slice(3));
    expect(await store.readEvents(run.id)).toEqual(events);
    await store.close();
    if (existsSync('/proc/self/fd')) expect(open()).toBe(0);
  });

  it('with a limit, still orders runs of the same second by start time', async () => {
    const store = new FileStore({ dir: await freshDir() });
    await store.createRun({ ...runRecord('20261122T143000-ffff'), startedAt: '2026-11-22T14:30:00.100Z' });
    await store.createRun({ ...runRecord('20261122T143000-0000'), startedAt: '2026-11-22T14:30:00.900Z' });
    await store.createRun({ ...runRecord('20261122T142959-9999'), startedAt: '2026-11-22T14:29:59.000Z' });
    expect((await store.listRuns({ limit: 1 })).map((r) => r.id)).toEqual(['20261122T143000-0000']);
    expect((await store.listRuns({ limit: 3 })).map((r) => r.id)).toEqual(['20261122T143000-0000', '20261122T143000-ffff', '20261122T142959-9999']);
  });

  it('treats a damaged lock file as holding nobody', async () => {
    const dir = await freshDir();
    const store = new FileStore({ dir });
    const now = new Date().toISOString();
    await store.acquireLock({ key: 'k@e', runId: 'r1', user: 'u', host: 'h', pid: 1, since: now, heartbeatAt: now });
    await writeFile(join(dir, 'locks', 'k@e.json'), '{"key":"k@e","ru');
    expect(await store.acquireLock({ key: 'k@e', runId: 'r2', user: 'u', host: 'h', pid: 1, since: now, heartbeatAt: now })).toEqual({ acquired: true });
    expect((await store.listLocks()).map((l) => l.runId)).toEqual(['r2']);
  });

  it('refuses ids that would leave the state folder', async () => {
    const store = new FileStore({ dir: await freshDir() });
    await expect(store.createRun(runRecord('../escape'))).rejects.toThrow(/invalid run id/);
    expect(await store.getRun('../../etc/passwd')).toBeUndefined();
  });

  it('sees a lock taken by another store on the same folder (another process)', async () => {
    const dir = await freshDir();
    const a = new FileStore({ dir });
    const b = new FileStore({ dir });
    const now = new Date().toISOString();
    const holder = { key: 'deploy@prod', runId: 'run-a', user: 'ana', host: 'elsewhere', pid: 1, since: now, heartbeatAt: now };
    expect((await a.acquireLock(holder)).acquired).toBe(true);
    expect(await b.acquireLock({ ...holder, runId: 'run-b' })).toEqual({ acquired: false, holder });
  });

  it('judges staleness with the TTL and clock it is given', async () => {
    const dir = await freshDir();
    let now = Date.parse('2026-11-22T14:30:00.000Z');
    const store = new FileStore({ dir, now: () => now, lockTtlMs: 60_000 });
    const at = new Date(now).toISOString();
    const holder = { key: 'k@e', runId: 'run-a', user: 'ana', host: 'elsewhere', pid: 1, since: at, heartbeatAt: at };
    await store.acquireLock(holder);
    now += 59_000;
    expect((await store.acquireLock({ ...holder, runId: 'run-b' })).acquired).toBe(false);
    now += 2_000;
    expect(await store.acquireLock({ ...holder, runId: 'run-b' })).toMatchObject({ acquired: true, takenOver: { reason: 'expired' } });
  });

  it('stores lock keys with unusual characters in safe file names', async () => {
    const dir = await freshDir();
    const store = new FileStore({ dir });
    const now = new Date().toISOString();
    const key = '../deploy/prod name';
    await store.acquireLock({ key, runId: 'r', user: 'u', host: 'h', pid: 1, since: now, heartbeatAt: now });
    expect(await readdir(join(dir, 'locks'))).toEqual(['%2e.%2fdeploy%2fprod%20name.json']);
    expect((await store.listLocks())[0]?.key).toBe(key);
  });
});
