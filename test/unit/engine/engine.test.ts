import { describe, expect, it } from 'vitest';
import { runGraph, type RunOptions } from '../../../src/engine/engine';
import { CancelledError } from '../../../src/engine/errors';
import type { StepGraph } from '../../../src/runbook/model';
import * as expr from '../../../src/expr';
import { ManualClock, RecordingSink, config, fakeRegistry, graph, identityRedactor, needs, noRetry, noTerminal, step, type Call } from './fakes';
import { scriptedPrompter } from '../../../src/ui/prompter-scripted';

function setup(g: StepGraph, extra: Partial<RunOptions> = {}) {
  const clock = new ManualClock();
  const calls: Call[] = [];
  const sink = new RecordingSink();
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
    graceMs: 50,
    ...extra,
  };
  return { clock, calls, sink, run: () => clock.run(runGraph(options)) };
}

describe('runGraph', () => {
  it('F44: stops starting steps when beforeStep rejects (its lock was lost): fails with the reason, no rollback, finally still runs', async () => {
    const g = graph([step('a', 'fake', {}), needs(step('b', 'fake', {}), ['a']), needs(step('c', 'fake', {}), ['b'])], {
      onFailure: 'rollback',
      finally: [step('cleanup', 'fake', {})],
    });
    let checks = 0;
    const { calls, sink, run } = setup(g, {
      beforeStep: async () => {
        checks++;
        if (calls.some((c) => c.step === 'a')) throw new Error('lost the lock: the state database connection dropped; no further step was started');
      },
    });
    const result = await run();
    expect(calls.map((c) => c.step)).toEqual(['a', 'cleanup']);
    expect(checks).toBeGreaterThanOrEqual(2);
    expect(result.status).toBe('failed');
    expect(result.error).toBe('lost the lock: the state database connection dropped; no further step was started');
    expect(result.steps.find((s) => s.id === 'b')?.status).toBe('skipped');
    expect(sink.events.some((e) => e.type === 'step.rolled-back')).toBe(false);
  });

  it('runs a diamond DAG and passes outputs along', async () => {
    const g = graph(
      [
        step('a', 'fake', { outputs: { n: '1' } }),
        needs(step('b', 'fake', { outputs: { m: 'b-${{ steps.a.outputs.n }}' }, v: '${{ steps.a.outputs.n }}' }), ['a']),
        needs(step('c', 'fake', { text: '{"x":{"y":[7]}}' }, { outputs: { y: 'json:$.x.y[0]' } }), ['a']),
        needs(step('d', 'fake', { got: '${{ steps.b.outputs.m }}+${{ steps.c.outputs.y }}' }), ['b', 'c']),
      ],
      { concurrency: 2 },
    );
    const { calls, run } = setup(g);
    const result = await run();
    expect(result.status).toBe('succeeded');
    expect(calls.map((c) => c.step)).toEqual(['a', 'b', 'c', 'd']);
    expect(calls[3]!.input).toEqual({ got: 'b-1+7' });
    expect(result.steps.find((s) => s.id === 'c')!.outputs.y).toBe(7);
  });

  it('overlaps parallel steps (from event timestamps) up to concurrency', async () => {
    const g = graph([step('a', 'fake', { sleep: 1000 }), needs(step('b', 'fake', { sleep: 1000 }), []), needs(step('c', 'fake', { sleep: 1000 }), [])], { concurrency: 2 });
    const { sink, run } = setup(g);
    await run();
    const at = (type: string, id: string) => Date.parse(sink.events.find((e) => e.type === type && 'step' in e && e.step === id)!.ts);
    expect(at('step.started', 'b')).toBeLessThan(at('step.succeeded', 'a'));
    // concurrency 2: c waits for a slot
    expect(at('step.started', 'c')).toBeGreaterThanOrEqual(at('step.succeeded', 'a'));
  });

  it('skips a step whose `when` is false, with the reason, and runs the next', async () => {
    const g = graph([step('a', 'fake', { outputs: { go: 'no' } }), step('b', 'fake', {}, { when: "steps.a.outputs.go == 'yes'" }), step('c', 'fake', {})]);
    const { calls, sink, run } = setup(g);
    const result = await run();
    expect(result.status).toBe('succeeded');
    expect(calls.map((c) => c.step)).toEqual(['a', 'c']);
    expect(sink.of('step.skipped')[0]).toMatchObject({ step: 'b', reason: "`when: steps.a.outputs.go == 'yes'` is false" });
  });

  it('retries a flaky step until it succeeds on attempt 3, waiting with backoff', async () => {
    const retry = { ...noRetry, attempts: 3, delayMs: 1000, backoff: 2, on: { ...noRetry.on, exitCodes: [75] } };
    const g = graph([step('flaky', 'fake', { fail: 2, exitCode: 75 }, { retry })]);
    const { sink, run } = setup(g);
    const result = await run();
    expect(result.status).toBe('succeeded');
    expect(sink.of('step.started').map((e) => e.attempt)).toEqual([1, 2, 3]);
    expect(sink.of('step.retrying').map((e) => e.delayMs)).toEqual([1000, 2000]);
    expect(result.steps[0]!.attempts).toBe(3);
  });

  it('does not retry a failure that `retry.on` does not name', async () => {
    const retry = { ...noRetry, attempts: 3, on: { ...noRetry.on, exitCodes: [75] } };
    const { sink, run } = setup(graph([step('x', 'fake', { fail: 5, exitCode: 1 }, { retry })]));
    const result = await run();
    expect(result.status).toBe('failed');
    expect(sink.of('step.started')).toHaveLength(1);
  });

  it('times out an attempt, aborting its signal with a TimeoutError, and retries on timeout', async () => {
    const retry = { ...noRetry, attempts: 2, on: { ...noRetry.on, timeout: true } };
    const g = graph([step('slow', 'fake', { hang: true }, { timeoutMs: 500, retry })]);
    const { sink, run } = setup(g);
    const result = await run();
    expect(result.status).toBe('failed');
    expect(sink.of('step.started')).toHaveLength(2);
    expect(sink.of('step.timed-out')[0]).toMatchObject({ step: 'slow', timeoutMs: 500 });
    expect(result.steps[0]!.status).toBe('timed-out');
    expect(result.error).toContain('timed out');
  });

  it('a timeout keeps the adapter\'s words with "timed out after …"', async () => {
    const g = graph([step('deploy', 'fake', { hang: true, said: 'Waiting for service `api`: last state: rollout IN_PROGRESS, running 1/2' }, { timeoutMs: 900_000 })]);
    const { sink, run } = setup(g);
    const result = await run();
    const words = 'timed out after 15m: Waiting for service `api`: last state: rollout IN_PROGRESS, running 1/2';
    expect(result.steps[0]!.message).toBe(words);
    expect(sink.of('step.timed-out')[0]!.message).toBe(words);
    expect(result.error).toBe(`step \`deploy\` ${words}`);
  });

  it('rolls back succeeded steps in reverse order of completion and reports a failing undo with the error', async () => {
    const g = graph(
      [
        step('one', 'fake', {}, { undo: 'auto' }),
        step('two', 'fake', { undoFails: true }, { undo: 'auto' }),
        step('three', 'fake', {}, { undo: 'auto' }),
        step('boom', 'fake', { fail: 1 }),
        step('never', 'fake', {}),
      ],
      { onFailure: 'rollback' },
    );
    const { calls, sink, run } = setup(g);
    const result = await run();
    expect(result.status).toBe('failed');
    expect(calls.filter((c) => c.input.undoOf).map((c) => c.input.undoOf)).toEqual(['three', 'two', 'one']);
    expect(sink.of('step.rolled-back').map((e) => e.step)).toEqual(['three', 'one']);
    expect(sink.of('step.rollback-failed').map((e) => e.step)).toEqual(['two']);
    expect(result.error).toContain('step `boom` failed: attempt 1 failed');
    expect(result.error).toContain('undo of `two`');
    expect(result.undoErrors).toHaveLength(1);
    expect(result.steps.find((s) => s.id === 'never')!.status).toBe('skipped');
  });

  it('runs an explicit undo action with expressions', async () => {
    const undo = { kind: 'fake', input: { undoOf: 'made-${{ steps.a.outputs.id }}' }, range: step('x', 'fake', {}).range };
    const g = graph([step('a', 'fake', { outputs: { id: '42' } }, { undo }), step('b', 'fake', { fail: 1 })], { onFailure: 'rollback' });
    const { calls, run } = setup(g);
    await run();
    expect(calls.at(-1)!.input).toEqual({ undoOf: 'made-42' });
  });

  it('rollback undoes a failed step that changed something first, then the succeeded ones; finally reads its outputs', async () => {
    const g = graph(
      [step('a', 'fake', {}, { undo: 'auto' }), step('b', 'fake', {}, { undo: 'auto' }), step('deploy', 'fake', { failAfterChange: true }, { undo: 'auto', outputs: { revision: 'rev' } })],
      { onFailure: 'rollback', finally: [step('report', 'fake', { rev: '${{ steps.deploy.outputs.revision }}', status: '${{ steps.deploy.status }}' })] },
    );
    const { calls, sink, run } = setup(g);
    const result = await run();
    expect(result.status).toBe('failed');
    expect(calls.map((c) => c.input.undoOf ?? c.step)).toEqual(['a', 'b', 'deploy', 'deploy', 'b', 'a', 'report']);
    expect(sink.of('step.failed')[0]).toMatchObject({ step: 'deploy', outputs: { rev: 'r2', revision: 'r2' }, undoFacts: { ran: 'deploy' } });
    expect(sink.of('step.rolled-back').map((e) => e.step)).toEqual(['deploy', 'b', 'a']);
    const deploy = result.steps.find((s) => s.id === 'deploy')!;
    expect(deploy.status).toBe('failed');
    expect(deploy.undo).toEqual({ status: 'rolled-back' });
    expect(calls.at(-1)!.input).toEqual({ rev: 'r2', status: 'failed' });
  });

  it('a failed step whose undo fails is reported with the original error', async () => {
    const g = graph([step('a', 'fake', {}, { undo: 'auto' }), step('deploy', 'fake', { failAfterChange: true, undoFails: true }, { undo: 'auto' })], { onFailure: 'rollback' });
    const { calls, run } = setup(g);
    const result = await run();
    expect(calls.map((c) => c.input.undoOf ?? c.step)).toEqual(['a', 'deploy', 'deploy', 'a']);
    expect(result.undoErrors.map((u) => u.step)).toEqual(['deploy']);
    expect(result.error).toMatch(/^step `deploy` failed: the wait ran out; last state: IN_PROGRESS; and the rollback failed too: undo of `deploy`: /);
    expect(result.steps.find((s) => s.id === 'deploy')!.undo?.status).toBe('rollback-failed');
    expect(result.steps.find((s) => s.id === 'a')!.status).toBe('rolled-back');
  });

  it('a failed step without undo facts is not undone', async () => {
    const g = graph([step('a', 'fake', {}, { undo: 'auto' }), step('deploy', 'fake', { fail: 1 }, { undo: 'auto' })], { onFailure: 'rollback' });
    const { calls, run } = setup(g);
    await run();
    expect(calls.map((c) => c.input.undoOf ?? c.step)).toEqual(['a', 'deploy', 'a']);
  });

  it('always runs finally steps, with run.status of the failed run', async () => {
    const g = graph([step('a', 'fake', { fail: 1 })], { finally: [step('cleanup', 'fake', { status: '${{ run.status }}' })] });
    const { calls, run } = setup(g);
    const result = await run();
    expect(result.status).toBe('failed');
    expect(calls.map((c) => c.step)).toEqual(['a', 'cleanup']);
    expect(calls[1]!.input.status).toBe('failed');
  });

  it('continues after a step with on_failure: continue', async () => {
    const g = graph([step('a', 'fake', { fail: 1 }, { onFailure: 'continue' }), step('b', 'fake', { s: '${{ steps.a.status }}' })]);
    const { calls, run } = setup(g);
    const result = await run();
    expect(result.status).toBe('succeeded');
    expect(calls[1]!.input.s).toBe('failed');
  });

  it('without a terminal, stops before anything runs when a gate is not approved (even behind a `when` decided at run time)', async () => {
    const g = graph([step('write', 'fake', {}), step('migrate', 'fake', {}, { confirm: 'Migrate?', when: 'steps.write.exit_code == 1' })]);
    const { calls, sink, run } = setup(g);
    const result = await run();
    expect(result.status).toBe('not-confirmed');
    expect(calls).toEqual([]);
    expect(result.unapproved.map((gate) => gate.step)).toEqual(['migrate']);
    expect(result.error).toContain('--approve migrate');
    expect(sink.of('run.finished')[0]!.status).toBe('not-confirmed');
  });

  it('--approve passes only the named gate', async () => {
    const g = graph([step('a', 'fake', {}, { confirm: 'A?' }), step('b', 'fake', {}, { confirm: 'B?' })]);
    const only = setup(g, { approvals: { yes: false, approve: ['a'] } });
    const partial = await only.run();
    expect(partial.status).toBe('not-confirmed');
    expect(partial.unapproved.map((gate) => gate.step)).toEqual(['b']);
    expect(only.calls).toEqual([]);
    const both = setup(g, { approvals: { yes: false, approve: ['a', 'b'] } });
    const full = await both.run();
    expect(full.status).toBe('succeeded');
    expect(full.approvals.map((a) => [a.step, a.via, a.by])).toEqual([['a', 'approve', 'alice'], ['b', 'approve', 'alice']]);
  });

  it('asks the prompter for gates; a declined gate stops the run as not-confirmed', async () => {
    const prompter = scriptedPrompter([
      { question: 'Go prod?', answer: true },
      { question: 'Really?', answer: false },
    ]);
    const g = graph([step('a', 'fake', {}, { confirm: 'Go ${{ params.who }}?' }), step('gate', 'confirm', { message: 'Really?' }), step('c', 'fake', {})]);
    const { calls, run } = setup(g, { prompter, params: { who: 'prod' } });
    const result = await run();
    expect(prompter.asked).toEqual(['Go prod?', 'Really?']);
    expect(result.status).toBe('not-confirmed');
    expect(calls.map((c) => c.step)).toEqual(['a']);
  });

  it('dry-run plans writes, runs reads, marks outputs unknown and lists gates without asking', async () => {
    const prompter = scriptedPrompter([]);
    const g = graph([
      step('check', 'fake', { write: false, outputs: { ok: 'yes' } }),
      step('deploy', 'fake', { run: 'deploy ${{ params.v }}' }, { confirm: 'Deploy?', outputs: {} }),
      step('after', 'fake', {}, { when: "steps.deploy.outputs.x == 'y'" }),
    ]);
    const { calls, sink, run } = setup(g, { dryRun: true, prompter, params: { v: '$(touch pwned)' } });
    const result = await run();
    expect(result.status).toBe('planned');
    expect(calls.map((c) => c.step)).toEqual(['check']);
    const planned = sink.of('step.planned');
    expect(planned.map((e) => e.step)).toEqual(['deploy', 'after']);
    expect(planned[0]!.gate).toBe('Deploy?');
    expect(planned[0]!.plan.details).toEqual(['deploy $(touch pwned)']);
    expect(planned[1]!.when).toContain('decided at run time');
    expect(prompter.asked).toEqual([]);
  });

  it('dry-run plans a check after a planned change or reading a planned output instead of running it', async () => {
    const g = graph(
      [
        step('check', 'fake', { write: false }),
        step('gate', 'confirm', { message: 'Go?' }),
        step('after_gate', 'fake', { write: false }),
        step('deploy', 'fake', { outputs: { x: 1 } }),
        step('verify', 'fake', { write: false }),
        needs(step('independent', 'fake', { write: false }), ['check']),
        needs(step('reads_output', 'fake', { write: false, v: '${{ steps.deploy.outputs.x }}' }), []),
        needs(step('verify_more', 'fake', { write: false }), ['verify']),
      ],
      { finally: [step('closing_check', 'fake', { write: false })] },
    );
    const { calls, sink, run } = setup(g, { dryRun: true });
    const result = await run();
    expect(result.status).toBe('planned');
    expect(calls.map((c) => c.step).sort()).toEqual(['after_gate', 'check', 'independent']);
    const deferred = Object.fromEntries(sink.of('step.planned').map((e) => [e.step, e.deferred]));
    expect(deferred.deploy).toBeUndefined();
    expect(deferred.verify).toBe('runs after the changes above; decided at run time (`deploy` was only planned)');
    expect(deferred.verify_more).toContain('`deploy` was only planned');
    expect(deferred.reads_output).toBe('runs after the changes above; decided at run time (it reads <unknown: steps.deploy.outputs.x>)');
    expect(deferred.closing_check).toContain('`deploy` was only planned');
    expect(sink.of('step.planned').find((e) => e.step === 'reads_output')!.plan.summary).toContain('<unknown: steps.deploy.outputs.x>');
  });

  it('dry-run: a check that reads a failed check\'s output is planned, not run', async () => {
    const g = graph([step('check', 'fake', { write: false, fail: 1 }), step('check2', 'fake', { write: false, v: 'x=${{ steps.check.outputs.x }}' })]);
    const { calls, sink, run } = setup(g, { dryRun: true });
    const result = await run();
    expect(result.status).toBe('failed');
    expect(calls.map((c) => c.step)).toEqual(['check']);
    expect(sink.of('step.planned').map((e) => [e.step, e.deferred])).toEqual([['check2', 'runs after the changes above; decided at run time (it reads x=<unknown: steps.check.outputs.x>)']]);
  });

  it('dry-run lists a wait (would wait 30s) and never sleeps', async () => {
    const { waitDefinition } = await import('../../../src/adapters/wait/definition');
    const g = graph([step('check', 'fake', { write: false }), step('pause', 'wait', { duration: '30s' })]);
    const clock = new ManualClock();
    const calls: Call[] = [];
    const fakes = fakeRegistry(calls, clock);
    const sink = new RecordingSink();
    const registry = { get: (key: string) => (key === 'wait' ? waitDefinition : fakes.get(key)), keys: () => [...fakes.keys(), 'wait'] };
    const started = clock.now();
    const result = await clock.run(runGraph({ graph: g, registry, prompter: noTerminal, sink, clock, redactor: identityRedactor, expr, runId: 'r', user: 'a', params: {}, config, dryRun: true }));
    expect(result.status).toBe('planned');
    expect(clock.now() - started).toBe(0);
    expect(sink.of('step.started').map((e) => e.step)).toEqual(['check']);
    const planned = sink.of('step.planned');
    expect(planned.map((e) => [e.step, e.plan.summary, e.listed])).toEqual([['pause', 'wait 30s', true]]);
  });

  it('`databases.X` is the configured URL; its password is never shown', async () => {
    const { Redactor } = await import('../../../src/state/redactor');
    const url = 'postgres://app:S3cret%2Fpass@db.internal:5432/app';
    const g = graph([step('dump', 'fake', { say: 'url ${{ databases.main }}', run: 'pg_dump "${{ databases.main }}"' })]);
    const { calls, sink, run } = setup(g, { redactor: new Redactor(), config: { ...config, databases: { main: { name: 'main', url } } } });
    await run();
    expect(calls[0]!.env.OPSCTL_V1).toBe(url);
    const said = sink.of('step.output')[0]!.text;
    expect(said).toContain('db.internal:5432/app');
    expect(said).not.toContain('S3cret');
  });

  it('passes script values as environment variables, never inside the script', async () => {
    const g = graph([step('s', 'fake', { run: 'echo ${{ params.v }}' })]);
    const { calls, run } = setup(g, { params: { v: '`id` $(touch pwned)' } });
    await run();
    expect(calls[0]!.input.run).toBe('echo ${OPSCTL_V1}');
    expect(calls[0]!.env.OPSCTL_V1).toBe('`id` $(touch pwned)');
  });

  it('on cancellation starts nothing new, aborts running steps, runs finally, and ends cancelled', async () => {
    const controller = new AbortController();
    const g = graph([step('long', 'fake', { hang: true }), step('next', 'fake', {})], { finally: [step('fin', 'fake', {})] });
    const { calls, sink, run } = setup(g, { signal: controller.signal });
    const running = run();
    setTimeout(() => controller.abort(new CancelledError('interrupted by SIGINT')), 5);
    const result = await running;
    expect(result.status).toBe('cancelled');
    expect(calls.map((c) => c.step)).toEqual(['long', 'fin']);
    expect(sink.of('step.cancelled').map((e) => e.step)).toEqual(['long']);
    expect(result.error).toContain('interrupted by SIGINT');
  });

  it('resumes: completed steps are not run and their outputs are restored; interrupted non-idempotent steps are gated', async () => {
    const g = graph([step('a', 'fake', {}), step('b', 'fake', { got: '${{ steps.a.outputs.v }}' }), step('c', 'fake', {}, { idempotent: true })]);
    const resumed = setup(g, { resume: { fromRunId: 'old', completed: { a: { outputs: { v: 'kept' } } }, interrupted: ['b'] } });
    const refused = await resumed.run();
    expect(refused.status).toBe('not-confirmed');
    expect(refused.unapproved.map((gate) => [gate.step, gate.source])).toEqual([['b', 'interrupted']]);
    const again = setup(g, { resume: { completed: { a: { outputs: { v: 'kept' } } }, interrupted: ['b'], rerunInterrupted: true } });
    const result = await again.run();
    expect(result.status).toBe('succeeded');
    expect(again.calls.map((c) => c.step)).toEqual(['b', 'c']);
    expect(again.calls[0]!.input.got).toBe('kept');
  });

  it('--only/--skip/--from leave steps out with a reason; an unknown id is a usage error', async () => {
    const g = graph([step('a', 'fake', {}), step('b', 'fake', {}), step('c', 'fake', {}), step('d', 'fake', {})]);
    const picked = setup(g, { selection: { from: 'b', skip: ['c'] } });
    await picked.run();
    expect(picked.calls.map((c) => c.step)).toEqual(['b', 'd']);
    await expect(setup(g, { selection: { only: ['bb'] } }).run()).rejects.toThrow(/no step `bb` \(did you mean `b`\?\)/);
  });

  it('F47: a step left out by --skip/--only passes its needs on: the next step waits for the one before and does not start when it fails', async () => {
    const g = graph([step('preflight', 'fake', { sleep: 2000, fail: 1 }), step('snapshot', 'fake', {}), step('migrate', 'fake', {})], { concurrency: 4 });
    for (const selection of [{ skip: ['snapshot'] }, { only: ['preflight', 'migrate'] }]) {
      const { calls, sink, run } = setup(g, { selection });
      const result = await run();
      expect(result.status).toBe('failed');
      expect(calls.map((c) => c.step)).toEqual(['preflight']);
      expect(sink.of('step.skipped').find((e) => e.step === 'migrate')?.reason).toMatch(/not started: `preflight` failed/);
    }
    const ok = setup(graph([step('a', 'fake', { sleep: 1000 }), step('b', 'fake', {}), step('c', 'fake', {})], { concurrency: 4 }), { selection: { skip: ['b'] } });
    await ok.run();
    const at = (type: string, id: string) => Date.parse(ok.sink.events.find((e) => e.type === type && 'step' in e && e.step === id)!.ts);
    expect(at('step.started', 'c')).toBeGreaterThanOrEqual(at('step.succeeded', 'a'));
  });

  it('F20: --from/--skip/--only leaving out a step whose outputs a selected step reads is a usage error before anything runs', async () => {
    const g = graph([
      step('build', 'fake', { outputs: { checksum: 'abc' } }),
      step('release', 'fake', {}),
      step('verify', 'fake', { sum: 'sha ${{ steps.build.outputs.checksum }}' }, { when: 'steps.release.exit_code == 0' }),
    ]);
    for (const selection of [{ from: 'verify' }, { skip: ['build'] }, { only: ['release', 'verify'] }]) {
      const s = setup(g, { selection });
      await expect(s.run()).rejects.toThrow(/step `verify` reads `steps\.build\.outputs\.checksum`, but `build` does not run/);
      expect(s.calls).toEqual([]);
      expect(s.sink.events).toEqual([]);
    }
    await expect(setup(g, { selection: { skip: ['release'] } }).run()).rejects.toThrow(/reads `steps\.release\.exit_code`/);
    const fine = setup(g, { selection: { from: 'build', skip: [] } });
    expect((await fine.run()).status).toBe('succeeded');
  });

  it('runs a called runbook with nested step ids', async () => {
    const child = graph([step('inner', 'fake', { p: '${{ params.x }}' })], { name: 'child', params: [{ name: 'x', type: 'string', required: true, secret: false, range: step('r', 'fake', {}).range }] });
    const callRegistryCalls: Call[] = [];
    const { sink, run, calls } = setup(graph([step('call', 'fake', { callChild: true })]), { loadRunbook: async () => child });
    void callRegistryCalls;
    // The fake action does not call runRunbook; exercise the context through a custom registry.
    const clock = new ManualClock();
    const registry = fakeRegistry(calls, clock);
    const base = registry.get('fake')!;
    const withRunbook = {
      get: (key: string) =>
        key === 'runbook'
          ? { ...base, key: 'runbook', load: async () => ({ plan: async () => ({ summary: 'call' }), run: async (input: Record<string, unknown>, ctx: Parameters<NonNullable<Awaited<ReturnType<typeof base.load>>['run']>>[1]) => ctx.runRunbook(String(input.name), { x: 'hello' }) }) }
          : registry.get(key),
      keys: () => ['fake', 'runbook'],
    };
    const nestedSink = new RecordingSink();
    const result = await clock.run(
      runGraph({ graph: graph([step('call', 'runbook', { name: 'child' })]), registry: withRunbook, prompter: noTerminal, sink: nestedSink, clock, redactor: identityRedactor, expr, runId: 'r', user: 'u', params: {}, config, loadRunbook: async () => child }),
    );
    void sink;
    void run;
    expect(result.status).toBe('succeeded');
    expect(nestedSink.of('step.succeeded').map((e) => e.step)).toEqual(['call/inner', 'call']);
    expect(calls.at(-1)!.input.p).toBe('hello');
  });

  it('emits events with a monotonic seq and closes the sink', async () => {
    const { sink, run } = setup(graph([step('a', 'fake', { say: 'hi' })]));
    await run();
    expect(sink.events.map((e) => e.seq)).toEqual(sink.events.map((_, i) => i + 1));
    expect(sink.events.map((e) => e.type)).toEqual(['run.started', 'step.started', 'step.output', 'step.succeeded', 'run.finished']);
    expect(sink.closed).toBe(true);
  });
});

describe('manual steps', () => {
  const g = graph([step('write', 'fake', {}), step('check_dashboards', 'manual', { message: 'Look at the dashboards' })]);

  it('without a terminal need --approve STEP up front; --yes does not mark them done', async () => {
    const yes = setup(g, { approvals: { yes: true, approve: [] } });
    const result = await yes.run();
    expect(result.status).toBe('not-confirmed');
    expect(yes.calls).toEqual([]);
    expect(result.error).toContain('--approve check_dashboards');
  });

  it('--approve STEP reaches the adapter as ctx.approval ("done")', async () => {
    const approved = setup(g, { approvals: { yes: false, approve: ['check_dashboards'] } });
    const result = await approved.run();
    expect(result.status).toBe('succeeded');
    expect(result.steps[1]!.outputs).toEqual({ decision: 'done', via: 'approve' });
  });
});

describe('dry-run with a failing check', () => {
  it('reports the failed check, plans the rest with its outputs unknown, and ends failed', async () => {
    const g = graph([step('check', 'fake', { write: false, fail: 1 }), step('deploy', 'fake', { v: '${{ steps.check.outputs.x }}' })]);
    const { sink, run } = setup(g, { dryRun: true });
    const result = await run();
    expect(result.status).toBe('failed');
    expect(result.failedStep).toBe('check');
    expect(sink.of('step.planned').map((e) => [e.step, e.plan.summary])).toEqual([['deploy', 'fake {"v":"<unknown: steps.check.outputs.x>"}']]);
  });
});
