import type { ActionContext, ActionOutcome } from '../types';
import { formatDuration } from '../../util/duration';
import { abortOutcome } from './outcome';

/** One look at the world while waiting. */
export type PollCheck<T> =
  | { readonly state: 'done'; readonly value: T }
  | { readonly state: 'failed'; readonly outcome: ActionOutcome }
  | { readonly state: 'pending'; readonly progress: string };

export type PollResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly outcome: ActionOutcome };

export interface PollOptions<T> {
  readonly ctx: ActionContext;
  /** Says what is awaited, for messages: "service `api` to become stable". */
  readonly what: string;
  readonly intervalMs: number;
  /** The wait's own bound (`max_wait`); the step timeout bounds it too, through `ctx.signal`. */
  readonly maxWaitMs: number;
  readonly check: () => Promise<PollCheck<T>>;
}

/**
 * Our own waiter loop (the SDK waiters give no progress): look, report progress when it changes,
 * sleep on the injected clock, stop at `max_wait` or when the signal aborts. SDK errors thrown by
 * `check` propagate to the caller, which turns them into an outcome naming the operation.
 */
export async function poll<T>(options: PollOptions<T>): Promise<PollResult<T>> {
  const { ctx, what, intervalMs, maxWaitMs, check } = options;
  const started = ctx.clock.now();
  let last = '';
  for (;;) {
    let seen: PollCheck<T>;
    try {
      seen = await check();
    } catch (error) {
      // Aborted in the middle of a look (the step timeout, Ctrl-C): say what was last seen, as a
      // stop between looks does, rather than the SDK's "request aborted".
      if (!ctx.signal.aborted) throw error;
      return { ok: false, outcome: abortOutcome(ctx.signal, `Waiting for ${what}`, ctx.timeoutMs, last) };
    }
    if (seen.state === 'done') return { ok: true, value: seen.value };
    if (seen.state === 'failed') return { ok: false, outcome: seen.outcome };
    if (seen.progress !== last) {
      ctx.progress(seen.progress);
      last = seen.progress;
    }
    const remaining = maxWaitMs - (ctx.clock.now() - started);
    if (remaining <= 0) {
      return {
        ok: false,
        outcome: {
          type: 'failure',
          reason: 'timeout',
          message: `Waiter timed out: max_wait ${formatDuration(maxWaitMs)} passed while waiting for ${what}; last state: ${last}. Raise \`max_wait\` if this is expected to take longer.`,
          errorKind: 'WaiterTimedOut',
        },
      };
    }
    try {
      // The last look happens at max_wait itself, not an interval before it.
      await ctx.clock.sleep(Math.min(intervalMs, remaining), ctx.signal);
    } catch (error) {
      if (!ctx.signal.aborted) throw error;
      return { ok: false, outcome: abortOutcome(ctx.signal, `Waiting for ${what}`, ctx.timeoutMs, last) };
    }
  }
}
