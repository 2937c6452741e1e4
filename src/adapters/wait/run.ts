import type { ActionImpl } from '../types';
import { InputReader } from '../core/input';
import { abortedOutcome, failure, success } from '../core/outcome';
import { formatDuration } from '../../util/duration';

/** Progress is reported about every this many ms during a long wait. */
export const WAIT_PROGRESS_EVERY_MS = 10_000;

function parse(input: Readonly<Record<string, unknown>>) {
  const r = new InputReader('wait', input);
  const ms = r.durationMs('duration');
  if (ms === undefined && !r.has('duration')) r.fail('`wait` needs `duration`, like `wait: 30s`');
  return r.done({ ms: ms ?? 0 });
}

const impl: ActionImpl = {
  async plan(input) {
    const parsed = parse(input);
    return { summary: parsed.ok ? `wait ${formatDuration(parsed.value.ms)}` : `wait (invalid: ${parsed.message})` };
  },

  async run(input, ctx) {
    const parsed = parse(input);
    if (!parsed.ok) return failure('invalid-input', parsed.message);
    const total = parsed.value.ms;
    const start = ctx.clock.now();
    let left = total;
    try {
      while (left > 0) {
        ctx.progress(`waiting ${formatDuration(left)} of ${formatDuration(total)}`);
        const chunk = Math.min(left, WAIT_PROGRESS_EVERY_MS);
        await ctx.clock.sleep(chunk, ctx.signal);
        left -= chunk;
      }
    } catch (error) {
      if (ctx.signal.aborted) return abortedOutcome(ctx.signal, `the wait of ${formatDuration(total)}`, ctx.timeoutMs);
      throw error;
    }
    return success({ waited_ms: Math.max(total, ctx.clock.now() - start) });
  },
};

export const { plan, run } = impl;
