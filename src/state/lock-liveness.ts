import { hostname } from 'node:os';
import type { LockHolder } from './store';

/** A holder that has not renewed its heartbeat for this long is presumed dead. */
export const LOCK_TTL_MS = 60_000;
/** How often a running opsctl renews its lock: a quarter of the TTL. */
export const LOCK_HEARTBEAT_MS = 15_000;

export type StaleReason = 'dead-process' | 'expired';

export interface LivenessProbe {
  readonly now: number;
  readonly ttlMs: number;
  readonly host: string;
  readonly isAlive: (pid: number) => boolean;
}

/** Why a holder no longer counts (its process died here, or its heartbeat expired), or undefined. */
export function staleReason(holder: LockHolder, probe: LivenessProbe): StaleReason | undefined {
  if (holder.host === probe.host && !probe.isAlive(holder.pid)) return 'dead-process';
  const beat = Date.parse(holder.heartbeatAt);
  if (Number.isNaN(beat) || probe.now - beat > probe.ttlMs) return 'expired';
  return undefined;
}

/** `kill -0`: ESRCH means no such process; EPERM means it exists but belongs to someone else. */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function defaultProbe(now: number, ttlMs = LOCK_TTL_MS): LivenessProbe {
  return { now, ttlMs, host: hostname(), isAlive: isProcessAlive };
}
