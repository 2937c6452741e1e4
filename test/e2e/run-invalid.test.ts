import { afterEach, describe, expect, it } from 'vitest';
import { runOpsctl, tempProject } from './helpers';

const bad = `apiVersion: opsctl/v1
kind: Runbook
name: bad
title: A typo
steps:
  - id: a
    shel: echo hi
`;

const protectedEnv = `environments:
  production: { protected: true }
`;

const unguarded = `apiVersion: opsctl/v1
kind: Runbook
name: unguarded
title: Writes without a confirmation
steps:
  - id: write
    shell: "true"
`;

describe('run of a runbook with diagnostics', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('prints each diagnostic once and exits 2 before running anything', async () => {
    const project = tempProject({ 'bad.yaml': bad });
    cleanup = project.cleanup;
    const r = await runOpsctl(['run', './bad.yaml', '--yes'], { cwd: project.dir });
    expect(r.code).toBe(2);
    expect(r.stderr.match(/unknown key `shel`/g)).toHaveLength(1);
    expect(r.stderr).toContain('bad.yaml:7:5');
  });

  it('warns about a change without a confirmation in a protected environment', async () => {
    const project = tempProject({ 'opsctl.yaml': protectedEnv, 'unguarded.yaml': unguarded });
    cleanup = project.cleanup;
    const r = await runOpsctl(['plan', './unguarded.yaml', '--env', 'production'], { cwd: project.dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: .*protected/);
  });
});

describe('validate and run report what they could not find', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('validate of a folder holding no runbook exits 2 naming that folder', async () => {
    const project = tempProject({ 'empty/README.md': 'no runbooks here\n' });
    cleanup = project.cleanup;
    const r = await runOpsctl(['validate', 'empty'], { cwd: project.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`no runbook (*.yaml, *.yml) in`);
    expect(r.stderr).toContain('empty');
  });

  it('a run warns when a runbooks: folder of opsctl.yaml does not exist', async () => {
    const project = tempProject({ 'opsctl.yaml': 'runbooks: [./runbookz]\n' });
    cleanup = project.cleanup;
    const r = await runOpsctl(['plan', 'demo', '--no-checks'], { cwd: project.dir });
    expect(r.stderr).toContain('runbook folder `./runbookz` does not exist');
  });
});
