import { describe, expect, it } from 'vitest';
import { fakeContext, instantClock, load, runAction, scriptedPrompter } from './helpers';

describe('wait', () => {
  it('sleeps on the clock in chunks, reporting progress', async () => {
    const clock = instantClock();
    const ctx = fakeContext({ clock });
    expect(await runAction('wait', { duration: '25s' }, ctx)).toMatchObject({ type: 'success', outputs: { waited_ms: 25_000 } });
    expect(clock.slept).toEqual([10_000, 10_000, 5_000]);
    expect(ctx.recorded.progress).toEqual(['waiting 25s of 25s', 'waiting 15s of 25s', 'waiting 5s of 25s']);
  });

  it('ends as cancelled when the run is cancelled, and reports invalid durations', async () => {
    const controller = new AbortController();
    controller.abort(new Error('SIGINT'));
    const outcome = await runAction('wait', { duration: '1h' }, fakeContext({ signal: controller.signal }));
    expect(outcome).toMatchObject({ type: 'failure', reason: 'cancelled' });
    expect(await runAction('wait', { duration: 'soon' })).toMatchObject({ type: 'failure', reason: 'invalid-input' });
    expect((await (await load('wait')).plan({ duration: '90s' }, fakeContext())).summary).toBe('wait 1m30s');
  });
});

describe('log', () => {
  it('returns the line as outputs and shows it as progress', async () => {
    const ctx = fakeContext();
    expect(await runAction('log', { message: 'maintenance window opened', level: 'warn' }, ctx)).toMatchObject({
      type: 'success',
      outputs: { message: 'maintenance window opened', level: 'warn' },
    });
    expect(ctx.recorded.progress).toEqual(['warn: maintenance window opened']);
    expect(await runAction('log', { message: 'x', level: 'loud' })).toMatchObject({ type: 'failure', reason: 'invalid-input' });
  });
});

describe('confirm', () => {
  it('succeeds without asking when the engine already passed the gate', async () => {
    const prompter = scriptedPrompter([]);
    const outcome = await runAction('confirm', { message: 'Go?' }, fakeContext({ prompter, approval: { via: 'approve', by: 'ana' } }));
    expect(outcome).toMatchObject({ type: 'success', outputs: { approved: true, by: 'ana', via: 'approve' } });
    expect(prompter.asked).toEqual([]);
  });

  it('asks, and succeeds only on an answered yes', async () => {
    const yes = scriptedPrompter([{ type: 'answered', value: true }]);
    expect(await runAction('confirm', { message: 'Migrate?' }, fakeContext({ prompter: yes }))).toMatchObject({ type: 'success', outputs: { approved: true } });
    expect(yes.asked).toEqual(['Migrate?']);
    const no = scriptedPrompter([{ type: 'answered', value: false }]);
    expect(await runAction('confirm', { message: 'Migrate?' }, fakeContext({ prompter: no }))).toMatchObject({ type: 'failure', reason: 'declined' });
    const cancelled = scriptedPrompter([{ type: 'cancelled' }]);
    expect(await runAction('confirm', { message: 'Migrate?' }, fakeContext({ prompter: cancelled }))).toMatchObject({ type: 'failure', reason: 'declined', errorKind: 'prompt-cancelled' });
  });

  it('is declined without a terminal, naming --approve', async () => {
    const outcome = await runAction('confirm', { message: 'Go?' }, fakeContext({ stepId: 'gate', prompter: scriptedPrompter([], false) }));
    expect(outcome).toMatchObject({ type: 'failure', reason: 'declined', errorKind: 'no-terminal' });
    if (outcome.type === 'failure') expect(outcome.message).toContain('--approve gate');
  });
});

describe('manual', () => {
  it('records done with a note', async () => {
    const prompter = scriptedPrompter([
      { type: 'answered', value: 'done' },
      { type: 'answered', value: ' rotated the key, ticket OPS-12 ' },
    ]);
    const outcome = await runAction('manual', { message: 'Rotate the API key in the vault' }, fakeContext({ prompter }));
    expect(outcome).toEqual({ type: 'success', outputs: { decision: 'done', note: 'rotated the key, ticket OPS-12' } });
    expect(prompter.asked).toEqual(['Rotate the API key in the vault', 'Note (optional):']);
  });

  it('skip is a skipped success; fail is a manual-failed failure with the note', async () => {
    const skip = scriptedPrompter([{ type: 'answered', value: 'skip' }, { type: 'answered', value: 'not needed on staging' }]);
    expect(await runAction('manual', { message: 'Check the dashboard' }, fakeContext({ prompter: skip }))).toEqual({
      type: 'success',
      outputs: { decision: 'skip', note: 'not needed on staging' },
      skipped: true,
    });
    const fail = scriptedPrompter([{ type: 'answered', value: 'fail' }, { type: 'answered', value: 'error rate 12%' }]);
    const outcome = await runAction('manual', { message: 'Check the dashboard' }, fakeContext({ stepId: 'look', prompter: fail }));
    expect(outcome).toMatchObject({ type: 'failure', reason: 'manual-failed', outputs: { decision: 'fail', note: 'error rate 12%' } });
    if (outcome.type === 'failure') expect(outcome.message).toBe('manual step `look` was marked failed: error rate 12%');
  });

  it('requires a note when evidence is asked for', async () => {
    const prompter = scriptedPrompter([{ type: 'answered', value: 'done' }, { type: 'answered', value: '' }]);
    await expect(runAction('manual', { message: 'Verify backups', evidence: true }, fakeContext({ prompter }))).rejects.toThrow('A note is required');
    expect(prompter.asked.at(-1)).toBe('Note (required):');
  });

  it('fails without a terminal, naming --approve, and counts --approve as done', async () => {
    const outcome = await runAction('manual', { message: 'Do it' }, fakeContext({ stepId: 'task', prompter: scriptedPrompter([], false) }));
    expect(outcome).toMatchObject({ type: 'failure', reason: 'manual-failed', errorKind: 'no-terminal' });
    if (outcome.type === 'failure') expect(outcome.message).toContain('--approve task');
    const approved = await runAction('manual', { message: 'Do it' }, fakeContext({ stepId: 'task', prompter: scriptedPrompter([], false), approval: { via: 'approve', by: 'ana' } }));
    expect(approved).toMatchObject({ type: 'success', outputs: { decision: 'done', by: 'ana' } });
    // --yes alone is not evidence that a person did the task.
    const yes = await runAction('manual', { message: 'Do it' }, fakeContext({ prompter: scriptedPrompter([], false), approval: { via: 'yes', by: 'ci' } }));
    expect(yes).toMatchObject({ type: 'failure', reason: 'manual-failed' });
  });
});

describe('runbook', () => {
  it('calls the runbook through the engine with its params and passes its outcome through', async () => {
    const ctx = fakeContext({
      runRunbook: async (name, params) => {
        ctx.recorded.calls.push({ name, params });
        return name === 'broken' ? { type: 'failure', reason: 'declined', message: 'gate declined' } : { type: 'success', outputs: { ok: true } };
      },
    });
    expect(await runAction('runbook', { name: 'backup', params: { database: 'main', keep: 30 } }, ctx)).toEqual({ type: 'success', outputs: { ok: true } });
    expect(ctx.recorded.calls).toEqual([{ name: 'backup', params: { database: 'main', keep: 30 } }]);
    expect(await runAction('runbook', { name: 'broken' }, ctx)).toMatchObject({ type: 'failure', reason: 'declined' });
    const plan = await (await load('runbook')).plan({ name: 'backup', params: { database: 'main', keep: 30 } }, fakeContext());
    expect(plan.summary).toBe('run runbook `backup` with database=main, keep=30');
  });
});

describe('abort reasons', () => {
  it('tells a timeout (an Error named TimeoutError) from a cancellation, and words both', async () => {
    const { abortedOutcome } = await import('../../../src/adapters/core/outcome');
    const timedOut = new AbortController();
    timedOut.abort(Object.assign(new Error('timed out after 5000 ms'), { name: 'TimeoutError' }));
    expect(abortedOutcome(timedOut.signal, 'the script', 5000)).toEqual({ type: 'failure', reason: 'timeout', message: 'the script timed out after 5s', errorKind: 'timeout' });
    const plain = new AbortController();
    plain.abort(Object.assign(new Error('cancelled'), { name: 'CancelledError' }));
    expect(abortedOutcome(plain.signal, 'the script')).toEqual({ type: 'failure', reason: 'cancelled', message: 'the script was cancelled', errorKind: 'cancelled' });
    const sigint = new AbortController();
    sigint.abort(new Error('interrupted by SIGINT'));
    expect(abortedOutcome(sigint.signal, 'the wait')).toMatchObject({ reason: 'cancelled', message: 'the wait was cancelled (interrupted by SIGINT)' });
  });
});
