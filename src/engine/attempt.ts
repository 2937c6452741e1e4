import type { ActionContext, ActionImpl, ActionOutcome } from '../adapters/types';
import type { Clock } from '../util/clock';
import { errorMessage } from '../util/errors';
import { CancelledError, TimeoutError, isTimeout, timeoutMessage } from './errors';

export interface AttemptOptions {
  readonly impl: ActionImpl;
  readonly input: Record<string, unknown>;
  /** The action context without the per-attempt fields. */
  readonly context: Omit<ActionContext, 'signal' | 'attempt' | 'timeoutMs'>;
  readonly attempt: number;
  readonly timeoutMs?: number;
  /** The run's signal: cancelling the run cancels the attempt. */
  readonly runSignal: AbortSignal;
  readonly clock: Clock;
  /** How long an adapter may take to stop after its signal aborted before we stop waiting. */
  readonly graceMs: number;
}

export type AttemptEnd = 'finished' | 'timed-out' | 'cancelled';

export interface AttemptResult {
  readonly outcome: ActionOutcome;
  readonly end: AttemptEnd;
}

/**
 * One attempt of an action. The attempt's signal aborts with a TimeoutError when `timeoutMs`
 * passes (timed by the injected clock) and with the run's reason when the run is cancelled. An
 * adapter that throws is wrapped into an `unknown-error` failure; one that ignores its signal is
 * abandoned after `graceMs`.
 */
export async function runAttempt(options: AttemptOptions): Promise<AttemptResult> {
  const controller = new AbortController();
  // Only a step with a timeout gets a timer (aborting an unused one cost a DOMException per step).
  const timer = options.timeoutMs !== undefined && options.timeoutMs > 0 ? new AbortController() : undefined;
  const onRunAbort = () => controller.abort(options.runSignal.reason ?? new CancelledError());
  if (options.runSignal.aborted) onRunAbort();
  else options.runSignal.addEventListener('abort', onRunAbort, { once: true });
  if (timer && options.timeoutMs !== undefined) {
    const ms = options.timeoutMs;
    options.clock.sleep(ms, timer.signal).then(
      () => controller.abort(new TimeoutError(ms)),
      () => undefined,
    );
  }
  try {
    const context: ActionContext = {
      ...options.context,
      signal: controller.signal,
      attempt: options.attempt,
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    };
    const outcome = await withGrace(invoke(options.impl, options.input, context), controller.signal, options.graceMs);
    if (!controller.signal.aborted) return { outcome, end: 'finished' };
    if (isTimeout(controller.signal.reason)) {
      if (outcome.type === 'success') return { outcome, end: 'finished' };
      return {
        outcome: { ...outcome, type: 'failure', reason: 'timeout', message: timeoutMessage(options.timeoutMs ?? 0, outcome.message) },
        end: 'timed-out',
      };
    }
    return {
      outcome: { type: 'failure', reason: 'cancelled', message: errorMessage(controller.signal.reason) || 'cancelled' },
      end: 'cancelled',
    };
  } finally {
    timer?.abort();
    options.runSignal.removeEventListener('abort', onRunAbort);
  }
}

async function invoke(impl: ActionImpl, input: Record<string, unknown>, context: ActionContext): Promise<ActionOutcome> {
  try {
    return await impl.run(input, context);
  } catch (error) {
    if (context.signal.aborted) {
      return { type: 'failure', reason: isTimeout(context.signal.reason) ? 'timeout' : 'cancelled', message: errorMessage(context.signal.reason) };
    }
    return { type: 'failure', reason: 'unknown-error', message: errorMessage(error) };
  }
}

/** Resolves with the action's outcome, or a failure once the signal has been aborted for `graceMs`. */
function withGrace(work: Promise<ActionOutcome>, signal: AbortSignal, graceMs: number): Promise<ActionOutcome> {
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      timer = setTimeout(() => {
        resolve({ type: 'failure', reason: isTimeout(signal.reason) ? 'timeout' : 'cancelled', message: `the action did not stop within ${graceMs} ms of being told to` });
      }, graceMs);
      timer.unref?.();
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    work.then((outcome) => {
      if (timer) clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(outcome);
    });
  });
}
