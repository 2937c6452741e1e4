import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOpsctl, tempProject } from './helpers';

const NEEDY = `apiVersion: opsctl/v1
kind: Runbook
name: needy
requires:
  tools: [sh, opsctl-no-such-tool]
  env: [OPSCTL_TEST_REQUIRED]
steps:
  - id: touch
    shell: touch touched
`;

describe('requires: before any side effect', () => {
  let project: ReturnType<typeof tempProject>;
  beforeAll(() => {
    project = tempProject({
      'opsctl.yaml': 'runbooks: [./runbooks]\n',
      'runbooks/needy.yaml': NEEDY,
      'runbooks/outer.yaml': 'apiVersion: opsctl/v1\nkind: Runbook\nname: outer\nsteps:\n  - { id: first, shell: touch outer-ran }\n  - { id: inner, runbook: needy }\n',
    });
  });
  afterAll(() => project.cleanup());

  it('a run stops with exit 2 naming what is missing, and changes nothing', async () => {
    const result = await runOpsctl(['run', 'needy'], { cwd: project.dir, env: { OPSCTL_TEST_REQUIRED: undefined } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('runbook `needy` requires a tool not found on PATH: opsctl-no-such-tool; environment variable not set: OPSCTL_TEST_REQUIRED');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    const listed = await runOpsctl(['validate', 'needy'], { cwd: project.dir });
    expect(listed.code).toBe(0);
    const { existsSync } = await import('node:fs');
    expect(existsSync(`${project.dir}/touched`)).toBe(false);
  });

  it('covers the runbooks a run calls: nothing runs when one of them lacks a tool', async () => {
    const result = await runOpsctl(['run', 'outer'], { cwd: project.dir, env: { OPSCTL_TEST_REQUIRED: 'set' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('runbook `needy` requires a tool not found on PATH: opsctl-no-such-tool (run by step `inner` of `outer`)');
    const { existsSync } = await import('node:fs');
    expect(existsSync(`${project.dir}/outer-ran`)).toBe(false);
  });

  it('a dry run says it and goes on', async () => {
    const result = await runOpsctl(['run', 'needy', '--dry-run'], { cwd: project.dir, env: { OPSCTL_TEST_REQUIRED: undefined } });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('warning: runbook `needy` requires a tool not found on PATH: opsctl-no-such-tool');
  });
});
