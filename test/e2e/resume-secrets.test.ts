import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it, describe } from 'vitest';
import { run, stateProject } from './runs-helpers';

/** QA F13: resume never replaces a secret param the original run was given with its default. */
const RUNBOOK = `apiVersion: opsctl/v1
kind: Runbook
name: tok
title: Secret param on resume
lock: false
params:
  token: { type: string, secret: true, default: "" }
  plain: { type: string, secret: true, default: "" }
steps:
  - id: gate
    shell: test -e fixed
  - id: use
    shell: echo "tok=\${{ params.token }} len=\${{ size(params.token) }}"
`;

describe('F13: resume and secret params', () => {
  const project = stateProject({ tok: RUNBOOK });
  afterAll(() => project.cleanup());

  it('in CI, refuses with exit 2 naming the secret param that was given; with -p again it resumes', async () => {
    const first = await run(project.dir, ['run', 'tok', '--env', 'staging', '-p', 'token=TOKSECRET', '--output', 'plain']);
    expect(first.code).toBe(1);
    writeFileSync(join(project.dir, 'fixed'), '');
    const refused = await run(project.dir, ['resume', 'last', '--output', 'plain']);
    expect(refused.code, refused.stdout + refused.stderr).toBe(2);
    expect(refused.stderr).toContain('secret param `token` was given to run');
    expect(refused.stderr).toContain('pass -p token=<string> again');
    expect(refused.stderr).not.toContain('`plain`');
    const resumed = await run(project.dir, ['resume', 'last', '-p', 'token=TOKSECRET', '--output', 'plain']);
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain('tok=*** len=9');
  });

  it('does not warn that a secret param left at its empty default is too short to hide', async () => {
    writeFileSync(join(project.dir, 'fixed'), '');
    const result = await run(project.dir, ['run', 'tok', '--env', 'staging', '--output', 'plain']);
    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain('shorter than');
  });
});
