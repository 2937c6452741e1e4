import { durationMs, str, waitFlag, type Input } from '../input';

export interface ServiceTarget {
  readonly cluster: string;
  readonly service: string;
  readonly wait: boolean;
  readonly intervalMs: number;
  readonly maxWaitMs: number;
}

export const ECS_POLL_MS = 15_000;
export const ECS_MAX_WAIT_MS = 30 * 60_000;

export function serviceTarget(input: Input): ServiceTarget {
  return {
    cluster: str(input, 'cluster'),
    service: str(input, 'service'),
    wait: waitFlag(input),
    intervalMs: durationMs(input, 'poll_interval', ECS_POLL_MS),
    maxWaitMs: durationMs(input, 'max_wait', ECS_MAX_WAIT_MS),
  };
}

/** Wait settings carried over to an undo action, so it waits like the step did. */
export function waitSettings(input: Input): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ['wait', 'poll_interval', 'max_wait']) if (input[key] !== undefined) out[key] = input[key];
  return out;
}
