import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runOpsctl, tempProject } from './helpers';

/** F29: the end-of-shift handoff lists the incidents opsctl holds, never "none" while one is open. */
let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

const at = (time: string) => ({ OPSCTL_NOW: `2026-11-22T${time}:00.000Z`, OPSCTL_USER: 'ana@example.com', CI: '1' });
type Json = { incident: { id: string } };

describe('end-of-shift handoff (F29)', () => {
  it('lists open incidents with breaches and those resolved during the shift, plus the free-text notes', async () => {
    const p = tempProject({ 'opsctl.yaml': 'state: { backend: file }\n' });
    cleanup = p.cleanup;
    const start = async (time: string, severity: string, title: string) => {
      const r = await runOpsctl(['-C', p.dir, 'incident', 'start', '--severity', severity, '--title', title, '--no-runbook', '--output', 'json'], { env: at(time) });
      expect(r.code).toBe(0);
      return (JSON.parse(r.stdout.split('\n')[0] ?? '{}') as Json).incident.id;
    };
    const p1 = await start('01:00', 'P1', 'Checkout down');
    const p4 = await start('02:00', 'P4', 'Typo on the footer');
    const old = await start('02:10', 'P3', 'Old thing');
    expect((await runOpsctl(['-C', p.dir, 'incident', 'resolve', '--id', p4, '--summary', 'fixed'], { env: at('02:30') })).code).toBe(0);
    // Resolved long before this shift (hours=1 below): not listed.
    expect((await runOpsctl(['-C', p.dir, 'incident', 'resolve', '--id', old, '--summary', 'done'], { env: at('02:15') })).code).toBe(0);

    const shift = await runOpsctl(['-C', p.dir, 'checklist', 'end-of-shift', '--report', 'handoff.md', '-p', 'hours=1', '-p', 'backup_dir=.', '-p', 'incidents=customer X called twice'], { env: at('03:20') });
    expect([0, 1]).toContain(shift.code);
    const report = readFileSync(join(p.dir, 'handoff.md'), 'utf8');
    const section = report.slice(report.indexOf('## Incidents'), report.indexOf('## Alerts'));
    expect(section).not.toMatch(/^none$/m);
    expect(section).toContain('Open (1)');
    const p1Line = section.split('\n').find((l) => l.startsWith(`- ${p1} `)) ?? '';
    expect(p1Line).toContain(`- ${p1} **P1** Checkout down — **open** for 2h20m`);
    expect(p1Line).toContain('**BREACH**');
    expect(p1Line).toContain('commander ana@example.com');
    expect(section).toContain('Resolved during the shift (1)');
    expect(section).toContain(`- ${p4} **P4** Typo on the footer — resolved after 30m`);
    expect(section).not.toContain(old);
    expect(section).toContain('Notes: customer X called twice');
  });
});
