import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runOpsctl, tempProject } from './helpers';
import { closedPort } from '../support/pg';

/** F21: the shared state database is down during an incident; OPSCTL_STATE=file lets the on-call act. */
describe('OPSCTL_STATE=file when the postgres state backend is down', async () => {
  const port = await closedPort();
  const project = tempProject({
    'opsctl.yaml': `runbooks: [./runbooks]\nstate: { backend: postgres, url: "postgres://postgres@127.0.0.1:${port}/qa_state" }\n`,
    'runbooks/fix.yaml': 'apiVersion: opsctl/v1\nkind: Runbook\nname: fix\ntitle: Fix it\nsteps:\n  - id: fix\n    shell: echo fixed\n',
  });
  const env = { OPSCTL_USER: 'oncall@example.com', CI: 'true' };
  afterAll(() => project.cleanup());

  it('without it, exits 2 naming the server and the escape hatch', async () => {
    const result = await runOpsctl(['run', 'fix', '--yes'], { cwd: project.dir, env });
    expect(result.stderr).toContain(`the postgres state backend is unavailable: could not connect to PostgreSQL at 127.0.0.1:${port}`);
    expect(result.stderr).toContain('hint: if you must act before it is back, run the command with OPSCTL_STATE=file');
    expect(result.code).toBe(2);
  });

  it('with it, runs and opens incidents on the local file backend, warns, and records the fallback in the run', async () => {
    const result = await runOpsctl(['run', 'fix', '--yes'], { cwd: project.dir, env: { ...env, OPSCTL_STATE: 'file' } });
    expect(result.stderr).toContain(`warning: OPSCTL_STATE=file: the local file backend in ${join(project.dir, '.opsctl')} instead of the postgres state backend at 127.0.0.1:${port}`);
    expect(result.code).toBe(0);
    const runs = readdirSync(join(project.dir, '.opsctl/runs'));
    expect(runs).toHaveLength(1);
    const record = JSON.parse(readFileSync(join(project.dir, '.opsctl/runs', runs[0]!, 'run.json'), 'utf8')) as { status: string; stateFallback?: string };
    expect(record.status).toBe('succeeded');
    expect(record.stateFallback).toContain('OPSCTL_STATE=file: the local file backend');

    const incident = await runOpsctl(['incident', 'start', '--severity', 'P4', '--title', 'checkout is down', '--no-runbook'], { cwd: project.dir, env: { ...env, OPSCTL_STATE: 'file' } });
    expect(incident.stderr).toContain('warning: OPSCTL_STATE=file');
    expect(incident.code).toBe(0);
    const listed = await runOpsctl(['runs', 'list'], { cwd: project.dir, env: { ...env, OPSCTL_STATE: 'file' } });
    expect(listed.stdout).toContain(runs[0]!);
  });
});
