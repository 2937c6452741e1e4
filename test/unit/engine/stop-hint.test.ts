import { describe, expect, it } from 'vitest';
import { runGraph } from '../../../src/engine/engine';
import * as expr from '../../../src/expr';
import { scriptedPrompter } from '../../../src/ui/prompter-scripted';
import { ManualClock, RecordingSink, config, fakeRegistry, graph, identityRedactor, step, type Call } from './fakes';

describe('F39: a run stopped half-way at a declined gate', () => {
  it('names the steps that made changes and how to undo them', async () => {
    const clock = new ManualClock();
    const calls: Call[] = [];
    const g = graph([step('prepare', 'fake', {}, { undo: 'auto' }), step('notes', 'fake', { write: false }), step('release', 'fake', {}, { confirm: 'Release?' })], { onFailure: 'rollback' });
    const prompter = scriptedPrompter([{ question: 'Release?', answer: false }]);
    const result = await clock.run(runGraph({ graph: g, registry: fakeRegistry(calls, clock), prompter, sink: new RecordingSink(), clock, redactor: identityRedactor, expr, runId: 'run-7', user: 'ann', params: {}, config }));
    expect(result.status).toBe('not-confirmed');
    expect(result.error).toBe('step `release` was not confirmed: declined at the prompt; a step made changes (`prepare`): undo them with: opsctl rollback --run run-7');
  });
});
