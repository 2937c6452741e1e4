import type { ActionOutcome } from '../types';
import { formatDuration } from '../../util/duration';
import { InputError } from './input';

/** The signal was aborted: the step timeout passed, or the person/engine cancelled the run. */
export function isTimeoutReason(reason: unknown): boolean {
  if (reason === 'timeout') return true;
  if (typeof reason === 'object' && reason !== null) {
    const { name, message, type } = reason as { name?: unknown; message?: unknown; type?: unknown };
    if (name === 'TimeoutError' || type === 'timeout') return true;
    if (typeof message === 'string' && /timed? ?out|timeout/i.test(message)) return true;
  }
  return false;
}

export function abortOutcome(signal: AbortSignal, doing: string, timeoutMs?: number, lastState?: string): ActionOutcome {
  const last = lastState ? `; last state: ${lastState}` : '';
  if (isTimeoutReason(signal.reason)) {
    const after = timeoutMs !== undefined ? ` (${formatDuration(timeoutMs)})` : '';
    return { type: 'failure', reason: 'timeout', message: `${doing}: the step timeout${after} passed before AWS reported the change complete${last}`, errorKind: 'timeout' };
  }
  return { type: 'failure', reason: 'cancelled', message: `${doing}: cancelled${last}`, errorKind: 'cancelled' };
}

export function invalidInput(error: InputError, key: string): ActionOutcome {
  return { type: 'failure', reason: 'invalid-input', message: `${key}: ${error.message}`, errorKind: 'InputError' };
}

/**
 * SDK results as plain data for outputs and the journal: Dates become ISO strings, `$metadata`
 * goes, undefined fields disappear.
 */
export function plain(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(plain);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (key === '$metadata' || item === undefined) continue;
      out[key] = plain(item);
    }
    return out;
  }
  return value;
}

export function success(outputs: Record<string, unknown>, extra: { result?: unknown; undoFacts?: Record<string, unknown> } = {}): ActionOutcome {
  const cleaned = plain(outputs) as Record<string, unknown>;
  return {
    type: 'success',
    outputs: cleaned,
    text: JSON.stringify(extra.result === undefined ? cleaned : plain(extra.result)),
    ...(extra.undoFacts ? { undoFacts: plain(extra.undoFacts) as Record<string, unknown> } : {}),
  };
}
