import { hostname } from 'node:os';
import { ExitCode } from '../cli/exit-codes';
import type { Clock } from '../util/clock';
import { formatDuration } from '../util/duration';
import { OpsctlError, errorMessage } from '../util/errors';
import { LOCK_HEARTBEAT_MS } from './lock-liveness';
import type { LockHolder, LockResult, StateStore } from './store';

export interface RunLockRequest {
  readonly store: StateStore;
  readonly key: string;
  readonly runId: string;
  readonly user: string;
  readonly clock: Clock;
  /** `--wait-lock`: how long to wait for the holder to finish; 0 fails at once. */
  readonly waitMs?: number;
  readonly signal?: AbortSignal;
  /** Told once when waiting starts, and when a dead holder's lock is taken over. */
  readonly notify?: (message: string) => void;
  readonly heartbeatMs?: number;
  readonly pollMs?: number;
}

/** A held lock: renewed in the background until released. */
export interface RunLock {
  readonly key: string;
  readonly holder: LockHolder;
  release(): Promise<void>;
  /** The first heartbeat that failed (the lock was taken over or force-released), if any. */
  readonly lost: string | undefined;
  /**
   * Resolves while the run still holds its lock (waiting while a dropped postgres session is
   * re-taken); rejects with "lost the lock …" otherwise. Called before steps start.
   */
  check(): Promise<void>;
}

/**
 * Takes the run's lock: at once, or by waiting up to `waitMs` for the holder to finish.
 * A holder that is held by someone else throws exit 4 naming it (run id, user, host, since).
 */
export async function acquireRunLock(request: RunLockRequest): Promise<RunLock> {
  const { store, key, runId, clock } = request;
  const deadline = clock.now() + (request.waitMs ?? 0);
  let announced = false;
  for (;;) {
    const since = new Date(clock.now()).toISOString();
    const holder: LockHolder = { key, runId, user: request.user, host: hostname(), pid: process.pid, since, heartbeatAt: since };
    const result: LockResult = await store.acquireLock(holder);
    if (result.acquired) {
      if (result.takenOver) {
        const old = result.takenOver.holder;
        request.notify?.(
          `took over lock \`${key}\` from run ${old.runId} (${old.user} on ${old.host}, pid ${old.pid}): ${result.takenOver.reason === 'dead-process' ? 'its process is gone' : 'its heartbeat expired'}`,
        );
      }
      return startHeartbeat(request, holder);
    }
    const remaining = deadline - clock.now();
    if (request.signal?.aborted) throw interruptedWhileWaiting(key, result.holder);
    if (remaining <= 0) throw lockHeldError(key, result.holder, request.waitMs);
    if (!announced) {
      announced = true;
      request.notify?.(`waiting up to ${formatDuration(request.waitMs ?? remaining)} for lock \`${key}\`, ${describeHolder(result.holder)}`);
    }
    try {
      await clock.sleep(Math.min(request.pollMs ?? 1000, remaining), request.signal);
    } catch {
      throw interruptedWhileWaiting(key, result.holder);
    }
  }
}

function startHeartbeat(request: RunLockRequest, holder: LockHolder): RunLock {
  let lost: string | undefined;
  let released = false;
  let beat: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    beat = beat.then(() =>
      request.store.heartbeatLock(holder.key, holder.runId).catch((error: unknown) => {
        if (lost === undefined && !released) {
          lost = errorMessage(error);
          request.notify?.(`warning: ${lost}`);
        }
      }),
    );
  }, request.heartbeatMs ?? LOCK_HEARTBEAT_MS);
  timer.unref();
  return {
    key: holder.key,
    holder,
    get lost() {
      return lost;
    },
    async check() {
      if (lost === undefined && !released && request.store.checkLock) {
        try {
          await request.store.checkLock(holder.key, holder.runId);
        } catch (error) {
          lost ??= errorMessage(error);
        }
      }
      if (lost !== undefined) throw new OpsctlError(`lost the lock: ${lost}; no further step was started`, ExitCode.StepFailed);
    },
    async release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      await beat;
      await request.store.releaseLock(holder.key, holder.runId);
    },
  };
}

export function describeHolder(holder: LockHolder): string {
  return `held by run ${holder.runId} (${holder.user} on ${holder.host}, pid ${holder.pid}, since ${holder.since})`;
}

function interruptedWhileWaiting(key: string, holder: LockHolder): OpsctlError {
  return new OpsctlError(`interrupted while waiting for lock \`${key}\`, ${describeHolder(holder)}; nothing was run`, ExitCode.Interrupted);
}

export function lockHeldError(key: string, holder: LockHolder, waitedMs?: number): OpsctlError {
  return new OpsctlError(
    `lock \`${key}\` is ${describeHolder(holder)}${waitedMs ? `; waited ${formatDuration(waitedMs)}` : ''}`,
    ExitCode.LockHeld,
    `wait for it with \`--wait-lock 5m\`, see it with \`opsctl runs show ${holder.runId}\`, or, if that run is gone, \`opsctl lock release ${key} --force\``,
  );
}

/**
 * The lock a run takes: the runbook's `lock:` (already evaluated), none for `lock: false` or a run
 * that changes nothing, else `<name>@<environment>`.
 */
export function defaultLockKey(input: { readonly name: string; readonly environment?: string; readonly lock?: string | false; readonly writes: boolean }): string | undefined {
  if (input.lock === false) return undefined;
  if (typeof input.lock === 'string' && input.lock.trim() !== '') return input.lock.trim();
  if (!input.writes) return undefined;
  return `${input.name}@${input.environment ?? 'default'}`;
}
