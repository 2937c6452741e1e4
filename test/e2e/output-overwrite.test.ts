import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runOpsctl, tempProject } from './helpers';

/** F43: a postmortem or checklist report the team edited is not overwritten without --force. */
let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

const env = { OPSCTL_NOW: '2026-11-22T03:00:00.000Z', OPSCTL_USER: 'ana@example.com', CI: '1' };
const CHECK = 'apiVersion: opsctl/v1\nkind: Runbook\nname: tiny\nlock: false\nsteps:\n  - id: ok\n    title: Always fine\n    shell: "echo value=1"\n';

describe('written files are not overwritten without --force (F43)', () => {
  it('incident postmortem --output FILE refuses an existing file (exit 2), --force replaces it', async () => {
    const p = tempProject({ 'opsctl.yaml': 'state: { backend: file }\n', 'pm.md': 'my carefully edited postmortem\n' });
    cleanup = p.cleanup;
    expect((await runOpsctl(['-C', p.dir, 'incident', 'start', '--severity', 'P4', '--title', 'typo', '--no-runbook'], { env })).code).toBe(0);
    const refused = await runOpsctl(['-C', p.dir, 'incident', 'postmortem', '--output', 'pm.md'], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('already exists');
    expect(refused.stderr).toContain('--force');
    expect(readFileSync(join(p.dir, 'pm.md'), 'utf8')).toBe('my carefully edited postmortem\n');
    const forced = await runOpsctl(['-C', p.dir, 'incident', 'postmortem', '--output', 'pm.md', '--force'], { env });
    expect(forced.code).toBe(0);
    expect(readFileSync(join(p.dir, 'pm.md'), 'utf8')).toContain('typo');
  });

  it('checklist --report FILE refuses an existing file before running anything (exit 2)', async () => {
    const p = tempProject({ 'opsctl.yaml': 'state: { backend: file }\n', 'tiny.yaml': CHECK, 'report.md': 'edited\n' });
    cleanup = p.cleanup;
    const refused = await runOpsctl(['-C', p.dir, 'checklist', './tiny.yaml', '--report', 'report.md'], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('already exists');
    expect(refused.stdout).not.toContain('Always fine');
    expect(readFileSync(join(p.dir, 'report.md'), 'utf8')).toBe('edited\n');
    const forced = await runOpsctl(['-C', p.dir, 'checklist', './tiny.yaml', '--report', 'report.md', '--force'], { env });
    expect(forced.code).toBe(0);
    expect(readFileSync(join(p.dir, 'report.md'), 'utf8')).not.toBe('edited\n');
  });
});
