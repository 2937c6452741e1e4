import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../../src/engine/engine';
import { jsonReport, junitReport } from '../../../src/ui/report';

const result: RunResult = {
  runId: 'r1',
  status: 'failed',
  durationMs: 3200,
  failedStep: 'migrate',
  error: 'step `migrate` failed: <bad> & "quoted"',
  undoErrors: [],
  approvals: [{ step: 'migrate', by: 'ann', via: 'approve', at: '2026-01-01T00:00:00.000Z' }],
  unapproved: [],
  plan: { steps: [], gates: [], errors: [] },
  steps: [
    { id: 'build', phase: 'main', status: 'succeeded', attempts: 1, durationMs: 1200, outputs: { tag: 'v1' } },
    { id: 'migrate', phase: 'main', status: 'failed', attempts: 2, durationMs: 2000, outputs: {}, reason: 'exit-non-zero', message: 'exit 1: <bad> & "quoted"\u0001' },
    { id: 'dns', phase: 'main', status: 'skipped', attempts: 0, outputs: {}, skipReason: 'not started' },
  ],
};
const meta = { runbook: 'deploy', title: 'Deploy', startedAt: '2026-01-01T00:00:00.000Z' };

describe('reports', () => {
  it('JUnit XML: one testcase per step, failures and skips, XML escaped', () => {
    const xml = junitReport(result, meta);
    expect(xml).toContain('<testsuite name="deploy" tests="3" failures="1" skipped="1" time="3.200"');
    expect(xml).toContain('<failure message="exit 1: &lt;bad&gt; &amp; &quot;quoted&quot;" type="exit-non-zero">');
    expect(xml).toContain('<skipped message="not started"/>');
    expect(xml).not.toContain('\u0001');
  });

  it('F24: JUnit XML does not report a step that was rolled back as a pass', () => {
    const rolled: RunResult = { ...result, steps: [{ id: 'release', phase: 'main', status: 'rolled-back', attempts: 1, durationMs: 10, outputs: {}, undo: { status: 'rolled-back' } }] };
    const xml = junitReport(rolled, meta);
    expect(xml).toContain('skipped="1"');
    expect(xml).toMatch(/<testcase classname="deploy" name="release"[^>]*>\n\s+<skipped message="rolled back: /);
  });

  it('JSON: status, the step that failed first, approvals and every step', () => {
    const json = jsonReport(result, meta);
    expect(json).toMatchObject({ runbook: 'deploy', status: 'failed', failedStep: 'migrate', approvals: [{ step: 'migrate', via: 'approve' }] });
    expect(json.steps.map((s) => [s.id, s.status])).toEqual([
      ['build', 'succeeded'],
      ['migrate', 'failed'],
      ['dns', 'skipped'],
    ]);
  });
});
