import { describe, expect, it } from 'vitest';
import { describeFailure, isRetryable, retryDelay, shouldRetry } from '../../../src/engine/retry';
import type { RetryPolicy } from '../../../src/runbook/model';

const policy = (over: Partial<Omit<RetryPolicy, 'on'>> & { on?: Partial<RetryPolicy['on']> } = {}): RetryPolicy => ({
  attempts: 4,
  delayMs: 1000,
  backoff: 2,
  jitter: 0,
  ...over,
  on: { any: false, exitCodes: [], timeout: false, errorKinds: [], ...over.on },
});

describe('retry', () => {
  it('retries exactly what `on` names: exit codes, timeouts, error kinds, or anything', () => {
    expect(isRetryable(policy({ on: { exitCodes: [75] } }), { reason: 'exit-non-zero', exitCode: 75 })).toBe(true);
    expect(isRetryable(policy({ on: { exitCodes: [75] } }), { reason: 'exit-non-zero', exitCode: 1 })).toBe(false);
    expect(isRetryable(policy({ on: { timeout: true } }), { reason: 'timeout' })).toBe(true);
    expect(isRetryable(policy({ on: { exitCodes: [1] } }), { reason: 'timeout' })).toBe(false);
    expect(isRetryable(policy({ on: { errorKinds: ['ThrottlingException'] } }), { reason: 'aws-error', errorKind: 'ThrottlingException' })).toBe(true);
    expect(isRetryable(policy({ on: { errorKinds: ['http-error'] } }), { reason: 'http-error' })).toBe(true);
    expect(isRetryable(policy({ on: { any: true } }), { reason: 'connection-error' })).toBe(true);
  });

  it('never retries a cancellation or a refusal', () => {
    for (const reason of ['cancelled', 'declined', 'invalid-input', 'manual-failed'] as const) {
      expect(isRetryable(policy({ on: { any: true } }), { reason })).toBe(false);
    }
  });

  it('stops after the last attempt', () => {
    const p = policy({ attempts: 3, on: { any: true } });
    expect(shouldRetry(p, 2, { reason: 'exit-non-zero' })).toBe(true);
    expect(shouldRetry(p, 3, { reason: 'exit-non-zero' })).toBe(false);
  });

  it('backs off exponentially, capped by max_delay, scaled by jitter', () => {
    const p = policy({ maxDelayMs: 3000 });
    expect([1, 2, 3, 4].map((n) => retryDelay(p, n))).toEqual([1000, 2000, 3000, 3000]);
    const jittered = policy({ jitter: 0.5 });
    expect(retryDelay(jittered, 1, () => 0)).toBe(500);
    expect(retryDelay(jittered, 1, () => 1)).toBe(1500);
    expect(retryDelay(jittered, 1, () => 0.5)).toBe(1000);
  });
});

describe('describeFailure (F39)', () => {
  it('names the kind only when it adds something', () => {
    expect(describeFailure({ reason: 'timeout', errorKind: 'timeout' })).toBe('timeout');
    expect(describeFailure({ reason: 'http-error', errorKind: 'ECONNRESET' })).toBe('http-error (ECONNRESET)');
    expect(describeFailure({ reason: 'exit-non-zero', exitCode: 3 })).toBe('exit code 3');
  });
});
