import { hostname, tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { newRunId, RUN_ID_PATTERN } from '../../../src/state/run-id';
import { buildRunRecord, currentTrigger, currentUser, currentUserAsync } from '../../../src/state/run-record';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { openStore, stateDir } from '../../../src/state/open-store';
import type { Config } from '../../../src/config/model';

describe('run ids', () => {
  it('are UTC timestamps with a random suffix, sortable by time', () => {
    const a = newRunId(Date.parse('2026-11-22T14:30:00.999Z'), () => 'ab12');
    expect(a).toBe('20261122T143000-ab12');
    const ids = [Date.parse('2026-11-22T14:30:01Z'), Date.parse('2026-11-22T09:00:00Z'), Date.parse('2027-01-01T00:00:00Z')].map((t) => newRunId(t));
    expect([...ids].sort()).toEqual([ids[1], ids[0], ids[2]]);
    for (const id of ids) expect(id).toMatch(RUN_ID_PATTERN);
  });
});

describe('run records', () => {
  it('names the user from OPSCTL_USER first', () => {
    expect(currentUser({ OPSCTL_USER: ' ana@example.com ' })).toBe('ana@example.com');
    expect(currentUser({})).not.toBe('');
  });

  it('asks git without blocking, as currentUser does, with OPSCTL_USER first', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'opsctl-user-'));
    try {
      execFileSync('git', ['init', '-q'], { cwd: repo });
      execFileSync('git', ['config', 'user.email', 'repo-user@example.com'], { cwd: repo });
      await expect(currentUserAsync({}, repo)).resolves.toBe('repo-user@example.com');
      expect(currentUser({}, repo)).toBe('repo-user@example.com');
      await expect(currentUserAsync({ OPSCTL_USER: 'ana@example.com' }, repo)).resolves.toBe('ana@example.com');
      // A folder git cannot even run in: the OS user, no rejection.
      await expect(currentUserAsync({}, join(repo, 'missing'))).resolves.toBe(currentUser({}, join(repo, 'missing')));
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });

  it('says ci when CI is set to something true', () => {
    expect(currentTrigger({ CI: 'true' })).toBe('ci');
    expect(currentTrigger({ CI: '1' })).toBe('ci');
    expect(currentTrigger({ CI: 'false' })).toBe('terminal');
    expect(currentTrigger({})).toBe('terminal');
  });

  it('carries the audit fields', () => {
    const record = buildRunRecord({
      id: '20261122T143000-ab12',
      runbook: { name: 'deploy', title: 'Deploy', source: { path: '/rb/deploy.yaml', hash: 'h', text: '' } },
      params: { version: '1.2.3', token: '***' },
      environment: 'production',
      dryRun: false,
      startedAt: Date.parse('2026-11-22T14:30:00Z'),
      user: 'ana@example.com',
      trigger: 'ci',
      resumedFrom: '20261122T140000-0000',
    });
    expect(record).toMatchObject({
      runbook: { name: 'deploy', title: 'Deploy', path: '/rb/deploy.yaml', hash: 'h' },
      params: { version: '1.2.3', token: '***' },
      environment: 'production',
      host: hostname(),
      pid: process.pid,
      status: 'running',
      startedAt: '2026-11-22T14:30:00.000Z',
      resumedFrom: '20261122T140000-0000',
      approvals: [],
    });
    expect(record.opsctlVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(record).not.toHaveProperty('rollbackOf');
  });
});

describe('openStore', () => {
  const base = { root: '/srv/ops', runbookPaths: [], environments: {}, databases: {}, notify: {} } as unknown as Config;
  it('puts .opsctl beside opsctl.yaml unless state.dir says otherwise', () => {
    expect(stateDir({ ...base, state: { backend: 'file' } })).toBe('/srv/ops/.opsctl');
    expect(stateDir({ ...base, state: { backend: 'file', dir: 'var/state' } })).toBe('/srv/ops/var/state');
  });

  it('opens the file backend', async () => {
    const store = await openStore({ ...base, state: { backend: 'file' } });
    expect(store.backend).toBe('file');
    await store.close();
  });
});
