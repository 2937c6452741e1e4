import { describe, expect, it } from 'vitest';
import { poll, type PollCheck } from '../../../../src/adapters/aws/poll';
import { fakeContext, instantClock, timeoutError } from '../helpers';

const pending = (progress: string): PollCheck<string> => ({ state: 'pending', progress });

describe('poll (the waiter loop)', () => {
  it('reports progress only when it changes and ends when the check is done', async () => {
    const clock = instantClock();
    const ctx = fakeContext({ clock });
    const answers: PollCheck<string>[] = [pending('a'), pending('a'), pending('b'), { state: 'done', value: 'ok' }];
    const result = await poll({ ctx, what: 'x', intervalMs: 5000, maxWaitMs: 60_000, check: async () => answers.shift()! });
    expect(result).toEqual({ ok: true, value: 'ok' });
    expect(ctx.recorded.progress).toEqual(['a', 'b']);
    expect(clock.slept).toEqual([5000, 5000, 5000]);
  });

  it('takes its last look at max_wait itself, then times out naming the last state', async () => {
    const clock = instantClock();
    let looks = 0;
    const result = await poll({ ctx: fakeContext({ clock }), what: 'the thing', intervalMs: 15_000, maxWaitMs: 20_000, check: async () => pending(`look ${++looks}`) });
    expect(clock.slept).toEqual([15_000, 5_000]);
    expect(looks).toBe(3);
    expect(result).toEqual({
      ok: false,
      outcome: { type: 'failure', reason: 'timeout', errorKind: 'WaiterTimedOut', message: 'Waiter timed out: max_wait 20s passed while waiting for the thing; last state: look 3. Raise `max_wait` if this is expected to take longer.' },
    });
  });

  it('stops at once when the signal aborts: timeout versus cancellation', async () => {
    const timedOut = new AbortController();
    timedOut.abort(timeoutError(2000));
    const a = await poll({ ctx: fakeContext({ clock: instantClock(), signal: timedOut.signal, timeoutMs: 2000 }), what: 'x', intervalMs: 10, maxWaitMs: 100, check: async () => pending('p') });
    expect(a).toMatchObject({ ok: false, outcome: { reason: 'timeout', message: 'Waiting for x: the step timeout (2s) passed before AWS reported the change complete; last state: p' } });
    const cancelled = new AbortController();
    cancelled.abort(Object.assign(new Error('interrupted'), { name: 'CancelledError' }));
    const b = await poll({ ctx: fakeContext({ clock: instantClock(), signal: cancelled.signal }), what: 'x', intervalMs: 10, maxWaitMs: 100, check: async () => pending('p') });
    expect(b).toMatchObject({ ok: false, outcome: { reason: 'cancelled', message: 'Waiting for x: cancelled; last state: p' } });
  });
});
