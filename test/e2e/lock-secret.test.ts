import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run, start, stateProject, waitFor } from './runs-helpers';

/** QA F38: a secret in a runbook's `lock:` never shows, and the key shown is one release takes. */
const RUNBOOK = `apiVersion: opsctl/v1
kind: Runbook
name: seclock
title: Secret lock key
params:
  tok: { type: string, secret: true }
lock: "db@\${{ params.tok }}"
steps:
  - id: hold
    shell: |
      touch started.flag
      while [ ! -f release.flag ]; do sleep 0.1; done
`;

describe('F38: a secret in lock:', () => {
  const project = stateProject({ seclock: RUNBOOK });
  afterAll(() => project.cleanup());

  it('is hashed into the key: lock list, the refusal and its release hint show the same key, without the secret', async () => {
    const holder = start(project.dir, ['run', 'seclock', '--env', 'staging', '-p', 'tok=LockCanary55', '--output', 'plain']);
    try {
      await waitFor('the holder to start', () => existsSync(join(project.dir, 'started.flag')));
      const listed = await run(project.dir, ['lock', 'list']);
      expect(listed.stdout).not.toContain('LockCanary55');
      const key = /db@sha256:[0-9a-f]{12}/.exec(listed.stdout)?.[0];
      expect(key, listed.stdout).toBeDefined();
      const refused = await run(project.dir, ['run', 'seclock', '--env', 'staging', '-p', 'tok=LockCanary55', '--output', 'plain']);
      expect(refused.code).toBe(4);
      expect(refused.stdout + refused.stderr).toContain(`opsctl lock release ${key}`);
      expect(refused.stdout + refused.stderr).not.toContain('LockCanary55');
      const released = await run(project.dir, ['lock', 'release', key!, '--force']);
      expect(released.code, released.stdout + released.stderr).toBe(0);
    } finally {
      writeFileSync(join(project.dir, 'release.flag'), '');
      await holder.exited;
    }
  });
});
