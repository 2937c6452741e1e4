import type { ActionOutcome, FailureReason } from '../types';
import { formatDuration } from '../../util/duration';
import { errorMessage } from '../../util/errors';

/** Small builders so every adapter words its outcomes the same way. */
export const success = (outputs: Readonly<Record<string, unknown>> = {}, extra: { text?: string; exitCode?: number; skipped?: boolean; skipReason?: string } = {}): ActionOutcome => ({
  type: 'success',
  outputs,
  ...extra,
});

export const failure = (
  reason: FailureReason,
  message: string,
  extra: { exitCode?: number; errorKind?: string; outputs?: Readonly<Record<string, unknown>> } = {},
): ActionOutcome => ({ type: 'failure', reason, message, ...extra });

/**
 * The engine aborts `ctx.signal` with an Error named `TimeoutError` when the step's timeout
 * passes; any other reason (Ctrl-C, SIGTERM, a failing sibling) is a cancellation.
 */
export function isTimeoutAbort(signal: AbortSignal): boolean {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason.name === 'TimeoutError' : typeof reason === 'object' && reason !== null && (reason as { name?: unknown }).name === 'TimeoutError';
}

/** The outcome of a step whose signal aborted; `what` says what was under way ("the command"). */
export function abortedOutcome(signal: AbortSignal, what: string, timeoutMs?: number, extra: { exitCode?: number; outputs?: Readonly<Record<string, unknown>> } = {}): ActionOutcome {
  if (isTimeoutAbort(signal)) {
    const after = timeoutMs === undefined ? '' : ` after ${formatDuration(timeoutMs)}`;
    return failure('timeout', `${what} timed out${after}`, { errorKind: 'timeout', ...extra });
  }
  const said = signal.reason instanceof Error ? signal.reason.message : typeof signal.reason === 'string' ? signal.reason : '';
  const why = said && !/^(cancell?ed|aborted|this operation was aborted)\.?$/i.test(said.trim()) ? ` (${said})` : '';
  return failure('cancelled', `${what} was cancelled${why}`, { errorKind: 'cancelled', ...extra });
}

/** Wraps a stray exception once, so a bug in an adapter still ends as data. */
export function unexpected(kind: string, error: unknown): ActionOutcome {
  return failure('unknown-error', `\`${kind}\` failed unexpectedly: ${errorMessage(error)}`);
}
