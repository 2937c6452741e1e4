import { describe, expect, it } from 'vitest';
import { buildTimeline } from '../../../src/incident/timeline';
import type { IncidentEntry } from '../../../src/state/store';
import { MIN, at, events, runRecord } from './fixtures';

const entries: IncidentEntry[] = [
  { incidentId: 'INC-1', at: at(0), actor: 'ana', kind: 'opened', text: 'opened as P2' },
  { incidentId: 'INC-1', at: at(4 * MIN), actor: 'bo', kind: 'note', text: 'error rate 40%' },
  { incidentId: 'INC-1', at: at(10 * MIN), actor: 'ana', kind: 'severity', text: 'P2 → P1', data: { from: 'P2', to: 'P1' } },
];

const run = runRecord({ id: 'run-7', user: 'ana' });
const runEvents = events('run-7', [
  [MIN, { type: 'run.started', runbook: 'rollback', title: 'Roll back', dryRun: false, params: {} }],
  [MIN, { type: 'step.planned', step: 'undo', effect: 'write', plan: { summary: 'x' } }],
  [2 * MIN, { type: 'step.awaiting-confirmation', step: 'undo', message: 'Roll back?' }],
  [3 * MIN, { type: 'step.confirmed', step: 'undo', by: 'carla', via: 'approve' }],
  [3 * MIN, { type: 'step.started', step: 'undo', title: 'Undo the deploy', attempt: 1, effect: 'write' }],
  [5 * MIN, { type: 'step.output', step: 'undo', stream: 'stdout', text: 'noise' }],
  [6 * MIN, { type: 'step.succeeded', step: 'undo', durationMs: 3 * MIN, outputs: { note: 'reverted to 1.2.2' } }],
  [7 * MIN, { type: 'step.failed', step: 'verify', durationMs: 1000, reason: 'exit-non-zero', message: 'exit code 1' }],
  [8 * MIN, { type: 'run.finished', status: 'failed', durationMs: 7 * MIN, failedStep: 'verify' }],
]);

describe('incident timeline', () => {
  const timeline = buildTimeline(entries, [{ record: run, events: runEvents }]);

  it('merges entries and run events in time order', () => {
    expect(timeline.map((t) => [t.at, t.kind])).toEqual([
      [at(0), 'opened'],
      [at(MIN), 'run.started'],
      [at(3 * MIN), 'step.confirmed'],
      [at(3 * MIN), 'step.started'],
      [at(4 * MIN), 'note'],
      [at(6 * MIN), 'step.succeeded'],
      [at(7 * MIN), 'step.failed'],
      [at(8 * MIN), 'run.finished'],
      [at(10 * MIN), 'severity'],
    ]);
  });

  it('credits an approval to the person who gave it, and other events to the run’s user', () => {
    expect(timeline.find((t) => t.kind === 'step.confirmed')).toMatchObject({ actor: 'carla', step: 'undo', runId: 'run-7' });
    expect(timeline.find((t) => t.kind === 'step.started')?.actor).toBe('ana');
    expect(timeline.find((t) => t.kind === 'note')?.actor).toBe('bo');
  });

  it('says what happened in words, keeping a manual step’s note as evidence', () => {
    const texts = timeline.map((t) => t.text);
    expect(texts).toContain('`undo` started: Undo the deploy');
    expect(texts).toContain('`undo` succeeded in 3m — reverted to 1.2.2');
    expect(texts).toContain('`verify` failed: exit code 1');
    expect(texts).toContain('run run-7 of `rollback` failed at step `verify` after 7m');
  });

  it('leaves out output lines, plans and waiting', () => {
    expect(timeline.some((t) => ['step.output', 'step.planned', 'step.awaiting-confirmation'].includes(t.kind))).toBe(false);
  });

  it('keeps entries ahead of run events at the same instant', () => {
    const same = buildTimeline(
      [{ incidentId: 'INC-1', at: at(MIN), actor: 'ana', kind: 'run', text: 'attached run-7' }],
      [{ record: run, events: runEvents.slice(0, 1) }],
    );
    expect(same.map((t) => t.kind)).toEqual(['run', 'run.started']);
  });
});

describe('what a run tells its incident', () => {
  it('takes the success of the `mitigate` step, also inside a called runbook, as the mitigation time', async () => {
    const { mitigatedAt, incidentExprContext } = await import('../../../src/incident/run-link');
    const done = events('r', [
      [MIN, { type: 'step.succeeded', step: 'assess', durationMs: 1, outputs: {} }],
      [2 * MIN, { type: 'step.succeeded', step: 'fix/mitigate', durationMs: 1, outputs: { decision: 'done' } }],
    ]);
    expect(mitigatedAt(done)).toBe(at(2 * MIN));
    const skipped = events('r', [[MIN, { type: 'step.succeeded', step: 'mitigate', durationMs: 1, outputs: { decision: 'skip', note: 'nothing to do' } }]]);
    expect(mitigatedAt(skipped)).toBeUndefined();
    expect(mitigatedAt(events('r', [[MIN, { type: 'step.failed', step: 'mitigate', durationMs: 1, reason: 'manual-failed', message: 'x' }]]))).toBeUndefined();
    expect(incidentExprContext({ id: 'INC-1', title: 't', severity: 'P2', status: 'open', commander: 'ana', startedAt: at(0), runIds: [] })).toEqual({
      id: 'INC-1', title: 't', severity: 'P2', status: 'open', commander: 'ana', started_at: at(0),
    });
  });
});

describe('gates nobody was asked about (F16)', () => {
  it('a run refused by the no-terminal pre-check is one "not started" line by opsctl, never "declined"', () => {
    const refused = events('run-8', [
      [MIN, { type: 'run.started', runbook: 'incident-p2', title: 'P2', dryRun: false, params: {} }],
      [MIN, { type: 'step.declined', step: 'acknowledge', by: 'ana', reason: 'a manual task needs a person and there is no terminal; pass --approve acknowledge once it is done' }],
      [MIN, { type: 'step.declined', step: 'rollback', by: 'ana', reason: 'no terminal to ask; pass --approve rollback or --yes' }],
      [MIN, { type: 'run.finished', status: 'not-confirmed', durationMs: 0 }],
    ]);
    const timeline = buildTimeline([], [{ record: runRecord({ id: 'run-8', user: 'ana', runbook: { name: 'incident-p2', title: 'P2', path: 'x', hash: 'h' } }), events: refused }]);
    expect(timeline.some((t) => t.text.includes('declined'))).toBe(false);
    const line = timeline.find((t) => t.kind === 'run.not-started');
    expect(line).toMatchObject({ actor: 'opsctl' });
    expect(line?.text).toBe('runbook `incident-p2` not started: 2 steps need approval and there was no terminal to ask (--approve/--yes): `acknowledge`, `rollback`');
  });

  it('a mid-run gate with no terminal reads "not run: needs approval (no terminal)"; a person’s no stays "declined"', () => {
    const mid = events('run-9', [
      [MIN, { type: 'run.started', runbook: 'fix', title: 'Fix', dryRun: false, params: {} }],
      [MIN, { type: 'step.started', step: 'a', attempt: 1, effect: 'read' }],
      [2 * MIN, { type: 'step.declined', step: 'b', by: 'ana', reason: 'no terminal to ask; pass --approve b or --yes' }],
      [3 * MIN, { type: 'step.declined', step: 'c', by: 'bo', reason: 'declined at the prompt' }],
    ]);
    const texts = buildTimeline([], [{ record: runRecord({ id: 'run-9', user: 'ana' }), events: mid }]);
    expect(texts.find((t) => t.step === 'b')).toMatchObject({ actor: 'opsctl', text: '`b` not run: needs approval (no terminal)' });
    expect(texts.find((t) => t.step === 'c')).toMatchObject({ actor: 'bo', text: '`c` declined: declined at the prompt' });
  });
});
