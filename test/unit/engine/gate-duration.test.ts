import { describe, expect, it } from 'vitest';
import { runGraph } from '../../../src/engine/engine';
import * as expr from '../../../src/expr';
import type { Prompter } from '../../../src/ui/prompter';
import { ManualClock, RecordingSink, config, fakeRegistry, graph, identityRedactor, step, type Call } from './fakes';

describe('F39: a gated step', () => {
  it('measures its work, not the time a person spent at its prompt', async () => {
    const clock = new ManualClock();
    const calls: Call[] = [];
    const sink = new RecordingSink();
    // The person takes a minute to answer.
    const slowPerson: Prompter = {
      interactive: true,
      confirm: async () => (await clock.sleep(60_000), { type: 'answered', value: true }),
      input: async () => ({ type: 'cancelled' }),
      select: async () => ({ type: 'cancelled' }),
    };
    const g = graph([step('release', 'fake', { sleep: 2000 }, { confirm: 'Release?' })]);
    const result = await clock.run(runGraph({ graph: g, registry: fakeRegistry(calls, clock), prompter: slowPerson, sink, clock, redactor: identityRedactor, expr, runId: 'r', user: 'ann', params: {}, config }));
    expect(result.status).toBe('succeeded');
    expect(result.steps[0]!.durationMs).toBe(2000);
    expect(sink.of('step.succeeded')[0]!.durationMs).toBe(2000);
  });
});
