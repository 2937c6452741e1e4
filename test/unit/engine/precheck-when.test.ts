import { describe, expect, it } from 'vitest';
import { runGraph, type RunOptions } from '../../../src/engine/engine';
import type { StepGraph } from '../../../src/runbook/model';
import * as expr from '../../../src/expr';
import { ManualClock, RecordingSink, config, fakeRegistry, graph, identityRedactor, noTerminal, step, type Call } from './fakes';

function run(g: StepGraph, params: Record<string, unknown>) {
  const clock = new ManualClock();
  const calls: Call[] = [];
  const sink = new RecordingSink();
  const options: RunOptions = { graph: g, registry: fakeRegistry(calls, clock), prompter: noTerminal, sink, clock, redactor: identityRedactor, expr, runId: 'run-1', user: 'alice', params, config, graceMs: 50 };
  return clock.run(runGraph(options)).then((result) => ({ result, calls, sink }));
}

const gated = (when: string) => graph([step('safe', 'fake', {}), step('drop', 'fake', {}, { when, confirm: 'Drop everything?' })]);

describe('F15: the CI gate pre-check and `when`', () => {
  it('does not demand approval for a gate whose `when` params already make false, and records no refusal', async () => {
    const { result, calls, sink } = await run(gated('${{ params.danger }}'), { danger: false });
    expect(result.status).toBe('succeeded');
    expect(calls.map((c) => c.step)).toEqual(['safe']);
    expect(sink.of('step.declined')).toEqual([]);
    expect(sink.of('step.skipped').map((e) => e.step)).toEqual(['drop']);
  });

  it('still demands it when the condition is true or decided at run time', async () => {
    for (const [when, params] of [
      ['${{ params.danger }}', { danger: true }],
      ["steps.safe.exit_code == 0 && params.danger == false", { danger: false }],
      ['failure() || !params.danger', { danger: false }],
      ['run.status == "running"', {}],
    ] as const) {
      const { result, calls } = await run(gated(when), params);
      expect(result.status, when).toBe('not-confirmed');
      expect(result.unapproved.map((g) => g.step)).toEqual(['drop']);
      expect(calls).toEqual([]);
    }
  });
});
