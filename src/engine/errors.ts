/**
 * Abort reasons. An attempt's signal aborts with a `TimeoutError` when its `timeout` passes and
 * with a `CancelledError` when the run is cancelled (SIGINT, a declined gate): adapters and the
 * engine tell the two apart by `name`, so a timeout can be retried and a cancellation never is.
 */
export class TimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`timed out after ${timeoutMs} ms`);
    this.name = 'TimeoutError';
  }
}

export class CancelledError extends Error {
  constructor(message = 'cancelled') {
    super(message);
    this.name = 'CancelledError';
  }
}

export function isTimeout(reason: unknown): boolean {
  return reason instanceof Error && reason.name === 'TimeoutError';
}
