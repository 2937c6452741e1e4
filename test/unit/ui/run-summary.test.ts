import { describe, expect, it } from 'vitest';
import type { RunEvent, RunEventBody } from '../../../src/engine/events';
import { applyEvent, newSummary } from '../../../src/ui/run-summary';

let seq = 0;
const ev = (body: RunEventBody): RunEvent => ({ ...body, runId: 'r', seq: ++seq, ts: '2026-11-22T00:00:00.000Z' }) as RunEvent;

describe('applyEvent', () => {
  it('keeps one row per step, in the order steps first appear, across retries and parallel steps', () => {
    const summary = newSummary();
    for (const body of [
      { type: 'step.started', step: 'a', attempt: 1, effect: 'write' },
      { type: 'step.started', step: 'b', attempt: 1, effect: 'read' },
      { type: 'step.retrying', step: 'a', attempt: 1, delayMs: 10, reason: 'exit 1' },
      { type: 'step.succeeded', step: 'b', durationMs: 5, outputs: {} },
      { type: 'step.started', step: 'a', attempt: 2, effect: 'write' },
      { type: 'step.failed', step: 'a', durationMs: 20, reason: 'exit-non-zero', message: 'exit 1' },
      { type: 'step.skipped', step: 'c', reason: 'when was false' },
    ] as RunEventBody[]) applyEvent(summary, ev(body));
    expect(summary.rows.map((r) => [r.step, r.status, r.attempts])).toEqual([
      ['a', 'failed', 2],
      ['b', 'succeeded', 1],
      ['c', 'skipped', 0],
    ]);
  });

  it('keeps one row per step in a large run (10,000 steps)', () => {
    const summary = newSummary();
    for (let i = 0; i < 10_000; i++) {
      applyEvent(summary, ev({ type: 'step.started', step: `s${i}`, attempt: 1, effect: 'read' }));
      applyEvent(summary, ev({ type: 'step.succeeded', step: `s${i}`, durationMs: 1, outputs: {} }));
    }
    expect(summary.rows).toHaveLength(10_000);
    expect(summary.rows.every((r) => r.status === 'succeeded')).toBe(true);
  });
});
