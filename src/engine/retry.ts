import type { FailureReason } from '../adapters/types';
import type { RetryPolicy } from '../runbook/model';

export interface RetryableFailure {
  readonly reason: FailureReason;
  readonly exitCode?: number;
  readonly errorKind?: string;
}

/** Whether `retry.on` covers this failure. Cancellations and refusals are never retried. */
export function isRetryable(policy: RetryPolicy, failure: RetryableFailure): boolean {
  switch (failure.reason) {
    case 'cancelled':
    case 'declined':
    case 'invalid-input':
    case 'manual-failed':
      return false;
    default:
      break;
  }
  const on = policy.on;
  if (on.any) return true;
  if (failure.reason === 'timeout') return on.timeout;
  if (failure.exitCode !== undefined && on.exitCodes.includes(failure.exitCode)) return true;
  if (on.errorKinds.length > 0) {
    if (on.errorKinds.includes(failure.reason)) return true;
    if (failure.errorKind !== undefined && on.errorKinds.includes(failure.errorKind)) return true;
  }
  return false;
}

/** Whether another attempt follows the one numbered `attempt` (from 1). */
export function shouldRetry(policy: RetryPolicy, attempt: number, failure: RetryableFailure): boolean {
  return attempt < policy.attempts && isRetryable(policy, failure);
}

/**
 * Delay before the attempt after `attempt`: `delay * backoff^(attempt-1)`, capped by `max_delay`,
 * then scaled by a factor in [1 - jitter, 1 + jitter] drawn from `random` (passed in for tests).
 */
export function retryDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const base = policy.delayMs * Math.pow(policy.backoff > 0 ? policy.backoff : 1, Math.max(0, attempt - 1));
  const capped = policy.maxDelayMs !== undefined ? Math.min(base, policy.maxDelayMs) : base;
  const jitter = Math.min(1, Math.max(0, policy.jitter));
  const factor = jitter === 0 ? 1 : 1 - jitter + 2 * jitter * random();
  return Math.max(0, Math.round(capped * factor));
}

export function describeFailure(failure: RetryableFailure): string {
  if (failure.reason === 'exit-non-zero' && failure.exitCode !== undefined) return `exit code ${failure.exitCode}`;
  // `timeout (timeout)` says it twice: a kind that repeats the reason adds nothing.
  return failure.errorKind && failure.errorKind !== failure.reason ? `${failure.reason} (${failure.errorKind})` : failure.reason;
}
