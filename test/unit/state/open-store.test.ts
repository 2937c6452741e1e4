import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load';
import { openStore, stateFallback } from '../../../src/state/open-store';
import { OpsctlError } from '../../../src/util/errors';
import { closedPort } from '../../support/pg';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function projectWithDownState() {
  const port = await closedPort();
  const dir = mkdtempSync(join(tmpdir(), 'opsctl-open-store-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'opsctl.yaml'), `state: { backend: postgres, url: "postgres://postgres@127.0.0.1:${port}/qa_state" }\n`);
  return { dir, port, config: await loadConfig(dir, {}) };
}

describe('openStore with the postgres state backend down (F21)', () => {
  it('says which server it could not reach and names the escape hatch', async () => {
    const { config, port } = await projectWithDownState();
    const error = await openStore(config, {}).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OpsctlError);
    expect((error as OpsctlError).message).toContain(`the postgres state backend is unavailable: could not connect to PostgreSQL at 127.0.0.1:${port}`);
    expect((error as OpsctlError).exitCode).toBe(2);
    expect((error as OpsctlError).hint).toContain('OPSCTL_STATE=file');
  });

  it('uses the local file backend under OPSCTL_STATE=file, with a loud warning', async () => {
    const { config, dir, port } = await projectWithDownState();
    const warnings: string[] = [];
    const store = await openStore(config, { OPSCTL_STATE: 'file' }, (line) => warnings.push(line));
    expect(store.backend).toBe('file');
    expect(warnings).toEqual([
      `warning: OPSCTL_STATE=file: the local file backend in ${join(dir, '.opsctl')} instead of the postgres state backend at 127.0.0.1:${port}: no team-wide locks (another person's run of the same thing is not stopped), and what happens now is recorded on this machine only`,
    ]);
    expect((await store.acquireLock({ key: 'k', runId: 'r', user: 'u', host: 'h', pid: process.pid, since: new Date().toISOString(), heartbeatAt: new Date().toISOString() })).acquired).toBe(true);
    await store.close();
  });

  it('refuses an OPSCTL_STATE it does not know, and ignores it for a file-configured project', async () => {
    const { config } = await projectWithDownState();
    expect(() => stateFallback(config, { OPSCTL_STATE: 'postgres' })).toThrow('OPSCTL_STATE must be `file`, got `postgres`');
    expect(stateFallback({ ...config, state: { backend: 'file' } }, { OPSCTL_STATE: 'file' })).toBeUndefined();
    expect(stateFallback(config, {})).toBeUndefined();
  });
});
