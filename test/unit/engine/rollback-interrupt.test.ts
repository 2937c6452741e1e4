import { describe, expect, it } from 'vitest';
import { runGraph, type RunOptions } from '../../../src/engine/engine';
import type { RunEvent } from '../../../src/engine/events';
import * as expr from '../../../src/expr';
import { ManualClock, RecordingSink, config, fakeRegistry, graph, identityRedactor, noTerminal, step, type Call } from './fakes';

/** A sink that aborts the run (as a Ctrl-C would) when the undo of `step` starts. */
class InterruptAtUndo extends RecordingSink {
  constructor(
    private readonly step: string,
    private readonly controller: AbortController,
  ) {
    super();
  }
  override emit(event: RunEvent) {
    super.emit(event);
    if (event.type === 'step.rolling-back' && event.step === this.step) this.controller.abort(new Error('interrupted by SIGINT'));
  }
}

function rollbackRun(undoSleepMs: number) {
  const range = step('x', 'fake', {}).range;
  const slowUndo = (of: string) => ({ kind: 'fake', input: { undoOf: of, sleep: undoSleepMs }, range });
  const g = graph([step('a', 'fake', {}, { undo: slowUndo('a') }), step('b', 'fake', {}, { undo: slowUndo('b') }), step('c', 'fake', { fail: 1 })], {
    onFailure: 'rollback',
    finally: [step('tidy', 'fake', {})],
  });
  const clock = new ManualClock();
  const calls: Call[] = [];
  const controller = new AbortController();
  const sink = new InterruptAtUndo('b', controller);
  const options: RunOptions = {
    graph: g,
    registry: fakeRegistry(calls, clock),
    prompter: noTerminal,
    sink,
    clock,
    redactor: identityRedactor,
    expr,
    runId: 'run-1',
    user: 'alice',
    params: {},
    config,
    graceMs: 5000,
    signal: controller.signal,
  };
  return { calls, sink, run: () => clock.run(runGraph(options)) };
}

describe('F35: an interrupt during an automatic rollback', () => {
  it('lets the undo in progress finish, starts no other, ends cancelled and names what is left to undo', async () => {
    const { calls, sink, run } = rollbackRun(1000);
    const result = await run();
    expect(result.status).toBe('cancelled');
    expect(calls.map((c) => c.input.undoOf ?? c.step)).toEqual(['a', 'b', 'c', 'b', 'tidy']);
    expect(sink.of('step.rolled-back').map((e) => e.step)).toEqual(['b']);
    expect(result.steps.find((s) => s.id === 'a')!.status).toBe('succeeded');
    expect(result.error).toMatch(/the rollback was interrupted \(interrupted by SIGINT\) after undoing `b`; not undone: `a`; finish it with: opsctl rollback --run run-1/);
    expect(sink.of('log').some((e) => e.message.startsWith('rollback in progress'))).toBe(true);
  });

  it('stops an undo that outlasts the grace period and reports it as not undone', async () => {
    const { sink, run } = rollbackRun(60_000);
    const result = await run();
    expect(result.status).toBe('cancelled');
    expect(sink.of('step.rollback-failed').map((e) => e.step)).toEqual(['b']);
    expect(result.error).toMatch(/not undone: `b`, `a`; finish it with: opsctl rollback --run run-1/);
  });
});
