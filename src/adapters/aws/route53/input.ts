import { durationMs, optStr, str, waitFlag, type Input } from '../input';
import type { SyncWait } from './zone';

export function syncWait(input: Input): SyncWait {
  return { wait: waitFlag(input), intervalMs: durationMs(input, 'poll_interval', 5_000), maxWaitMs: durationMs(input, 'max_wait', 10 * 60_000) };
}

export const zoneOf = (input: Input) => str(input, 'zone');
export const commentOf = (input: Input, what: string) => optStr(input, 'comment') ?? `opsctl: ${what}`;

/** Wait settings carried over to an undo action. */
export function waitSettings(input: Input): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ['wait', 'poll_interval', 'max_wait']) if (input[key] !== undefined) out[key] = input[key];
  return out;
}
