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

describe('F14: resuming without a terminal past a step that was running when the run died', () => {
  it('says the step may have half-run and names --rerun-interrupted, not a confirmation it never had', async () => {
    const clock = new ManualClock();
    const calls: Call[] = [];
    const sink = new RecordingSink();
    const { nonInteractivePrompter } = await import('../../../src/ui/prompter-noninteractive');
    const g = graph([step('s1', 'fake', {}), step('s3', 'fake', {})]);
    const result = await clock.run(
      runGraph({ graph: g, registry: fakeRegistry(calls, clock), prompter: nonInteractivePrompter, sink, clock, redactor: identityRedactor, expr, runId: 'r', user: 'ann', params: {}, config, resume: { fromRunId: 'old', completed: { s1: { outputs: {} } }, interrupted: ['s3'] } }),
    );
    expect(result.status).toBe('not-confirmed');
    expect(sink.of('step.declined')[0]!.reason).toBe('no terminal to ask: it was running when the previous run stopped and may have half-run; check it, then pass --rerun-interrupted (or --approve s3)');
    expect(result.error).toContain('pass --rerun-interrupted to run it again');
    expect(calls).toEqual([]);
  });
});
