import { describe, expect, it } from 'vitest';
import type { RunEvent, RunEventBody } from '../../../src/engine/events';
import { interruptedSteps, replay } from '../../../src/state/replay';
import { displayStatus, logLine, noPaint, runDetail, runsTable, locksTable } from '../../../src/state/format-runs';
import { runRecord } from './store-contract';

function events(bodies: RunEventBody[]): RunEvent[] {
  return bodies.map((body, i) => ({ ...body, runId: 'r', seq: i + 1, ts: `2026-11-22T14:30:0${Math.min(i, 9)}.000Z` }) as RunEvent);
}

const journal = events([
  { type: 'run.started', runbook: 'deploy', title: 'Deploy', dryRun: false, params: { version: '1.2.3' } },
  { type: 'step.started', step: 'build', attempt: 1, effect: 'write' },
  { type: 'step.output', step: 'build', stream: 'stdout', text: 'ok' },
  { type: 'step.succeeded', step: 'build', durationMs: 1200, outputs: { image: 'api:1.2.3' }, exitCode: 0, undoFacts: { previous: 'api:1.2.2' } },
  { type: 'step.started', step: 'migrate', attempt: 1, effect: 'write' },
  { type: 'step.retrying', step: 'migrate', attempt: 2, delayMs: 1000, reason: 'exit 1' },
  { type: 'step.started', step: 'migrate', attempt: 2, effect: 'write' },
  { type: 'step.started', step: 'call/inner', attempt: 1, effect: 'write' },
]);

describe('replay', () => {
  it('reduces a journal to each top-level step’s last state', () => {
    const run = replay(journal);
    expect([...run.steps.keys()]).toEqual(['build', 'migrate']);
    expect(run.steps.get('build')).toMatchObject({ status: 'succeeded', outputs: { image: 'api:1.2.3' }, exitCode: 0, undoFacts: { previous: 'api:1.2.2' }, durationMs: 1200 });
    expect(run.steps.get('migrate')).toMatchObject({ status: 'running', attempts: 2 });
    expect(run.finished).toBeUndefined();
    expect(interruptedSteps(run)).toEqual(['migrate']);
  });

  it('reads events in seq order whatever order they were stored in', () => {
    const run = replay([...journal].reverse());
    expect(run.steps.get('build')?.status).toBe('succeeded');
    expect(run.steps.get('migrate')?.status).toBe('running');
  });

  it('records how the run ended', () => {
    const run = replay([...journal, ...events([{ type: 'run.finished', status: 'cancelled', durationMs: 5, error: 'cancelled: SIGINT' }]).map((e) => ({ ...e, seq: 99 }))]);
    expect(run.finished).toMatchObject({ status: 'cancelled', error: 'cancelled: SIGINT' });
  });
});

describe('run formatting', () => {
  it('shows a dead running run as interrupted and live ones as running', () => {
    const run = runRecord('20261122T143000-ab12');
    expect(displayStatus(run, () => false)).toBe('interrupted');
    expect(displayStatus(run, () => true)).toBe('running');
    expect(displayStatus({ ...run, status: 'failed' }, () => false)).toBe('failed');
  });

  it('lists runs as an aligned table', () => {
    const lines = runsTable(
      [{ ...runRecord('20261122T143000-ab12'), status: 'succeeded', endedAt: '2026-11-22T14:31:15.000Z', environment: 'staging' }],
      (r) => r.status,
      noPaint,
    );
    expect(lines).toEqual([
      'RUN                   RUNBOOK  ENV      STATUS     USER             STARTED               DURATION',
      '20261122T143000-ab12  deploy   staging  succeeded  ana@example.com  2026-11-22 14:30:00Z  1m15s',
    ]);
  });

  it('shows the audit record and the steps', () => {
    const run = { ...runRecord('20261122T143000-ab12'), approvals: [{ step: 'migrate', by: 'bo', via: 'prompt' as const, at: '2026-11-22T14:30:05.000Z' }] };
    const text = runDetail(run, 'interrupted', replay(journal), noPaint).join('\n');
    expect(text).toContain('by         ana@example.com (terminal) on laptop, pid 4242, opsctl 0.1.0');
    expect(text).toContain('migrate: bo via prompt at 2026-11-22 14:30:05Z');
    expect(text).toContain('build    succeeded  1.2s  image=api:1.2.3');
    expect(text).toContain('migrate  running  2 attempts');
    expect(text).toContain('opsctl resume 20261122T143000-ab12');
  });

  it('prints journal lines', () => {
    expect(journal.map((e) => logLine(e, noPaint)).slice(1, 4)).toEqual([
      '14:30:01.000 build started',
      '14:30:02.000 build │ ok',
      '14:30:03.000 build succeeded in 1.2s',
    ]);
  });

  it('marks stale locks', () => {
    const now = '2026-11-22T14:30:00.000Z';
    const lines = locksTable([{ key: 'deploy@prod', runId: 'r1', user: 'ana', host: 'h', pid: 7, since: now, heartbeatAt: now }], () => 'its process is gone', noPaint);
    expect(lines[1]).toContain('stale: its process is gone');
  });
});
