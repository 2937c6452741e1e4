import { formatDuration } from '../util/duration';

/**
 * Abort reasons. An attempt's signal aborts with a `TimeoutError` when its `timeout` passes and
 * with a `CancelledError` when the run is cancelled (SIGINT, a declined gate): adapters and the
 * engine tell the two apart by `name`, so a timeout can be retried and a cancellation never is.
 */
export class TimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`timed out after ${formatDuration(timeoutMs)}`);
    this.name = 'TimeoutError';
  }
}

export class CancelledError extends Error {
  constructor(message = 'cancelled') {
    super(message);
    this.name = 'CancelledError';
  }
}

/**
 * A timed-out step's message: `timed out after 15m` and what the adapter said when it stopped
 * (the last rollout state of an ECS wait, the query that was running), unless it said only that.
 */
export function timeoutMessage(timeoutMs: number, said: string): string {
  const after = `timed out after ${formatDuration(timeoutMs)}`;
  const words = said.trim();
  if (words === '' || words === after) return after;
  return words.includes(after) ? words : `${after}: ${words}`;
}

export function isTimeout(reason: unknown): boolean {
  return reason instanceof Error && reason.name === 'TimeoutError';
}
