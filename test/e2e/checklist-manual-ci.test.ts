import { afterEach, describe, expect, it } from 'vitest';
import { runOpsctl, tempProject } from './helpers';

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

const env = { CI: '1' };

describe('checklists in CI with manual items (F37)', () => {
  const MIXED =
    'apiVersion: opsctl/v1\nkind: Runbook\nname: mixed\nlock: false\nsteps:\n  - id: auto\n    title: Automated\n    shell: "echo value=1"\n  - id: read_logs\n    title: Read the logs\n    manual: Read the logs.\n  - id: auto2\n    title: Automated too\n    shell: "echo value=2"\n';
  it('runs the automated items and reports the manual ones as TODO, instead of refusing the whole list', async () => {
    const p = tempProject({ 'opsctl.yaml': 'state: { backend: file }\n', 'mixed.yaml': MIXED });
    cleanup = p.cleanup;
    const result = await runOpsctl(['-C', p.dir, 'checklist', './mixed.yaml'], { env });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/PASS {2}Automated /);
    expect(result.stdout).toMatch(/PASS {2}Automated too/);
    expect(result.stdout).toMatch(/Read the logs .*TODO by a person \(no terminal to ask\): pass --approve read_logs once done/);
    expect(result.stdout).toContain('3 items: 2 pass, 0 warn, 0 fail, 0 skipped, 1 not run');
    const approved = await runOpsctl(['-C', p.dir, 'checklist', './mixed.yaml', '--approve', 'read_logs'], { env });
    expect(approved.code).toBe(0);
    expect(approved.stdout).toContain('3 items: 3 pass, 0 warn, 0 fail, 0 skipped');
  });
});
