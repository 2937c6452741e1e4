import { hostname } from 'node:os';
import { locksTable } from '../../state/format-runs';
import { defaultProbe, staleReason } from '../../state/lock-liveness';
import { currentUser } from '../../state/run-record';
import type { LockHolder, StateStore } from '../../state/store';
import { clockFromEnv } from '../../util/clock';
import { usageError } from '../../util/errors';
import { paintFor, withStore } from './runs';

/** `opsctl lock list`: every lock, who holds it since when, and whether the holder looks dead. */
export async function list(options: { output?: string }): Promise<void> {
  const now = clockFromEnv().now();
  await withStore(options.output, async (store, format) => {
    const locks = await store.listLocks();
    const staleOf = (lock: LockHolder) => staleReason(lock, defaultProbe(now));
    if (format === 'json') {
      process.stdout.write(`${JSON.stringify({ type: 'lock.list', locks: locks.map((l) => ({ ...l, stale: staleOf(l) ?? null })) })}\n`);
    } else {
      process.stdout.write(`${locksTable(locks, (l) => describeStale(staleOf(l)), paintFor(format)).join('\n')}\n`);
    }
  });
}

/**
 * `opsctl lock release KEY --force`: frees a lock whoever holds it. The release is written into
 * the holder's own journal (who, from where, when), so the run's history shows why it lost it.
 */
export async function release(key: string, options: { force?: boolean; output?: string }): Promise<void> {
  await withStore(options.output, async (store, format) => {
    const holder = (await store.listLocks()).find((l) => l.key === key);
    if (!holder) throw usageError(`no lock \`${key}\` is held`, 'see the held locks with `opsctl lock list`');
    if (!options.force) {
      throw usageError(
        `lock \`${key}\` is held by run ${holder.runId} (${holder.user} on ${holder.host}, pid ${holder.pid}, since ${holder.since})`,
        `if that run is really gone, release it with \`opsctl lock release ${key} --force\``,
      );
    }
    const released = await store.forceReleaseLock(key);
    if (!released) throw usageError(`lock \`${key}\` was released by someone else in the meantime`);
    const by = currentUser();
    const at = new Date(clockFromEnv().now()).toISOString();
    await journalRelease(store, released, by, at);
    if (format === 'json') {
      process.stdout.write(`${JSON.stringify({ type: 'lock.released', key, holder: released, by, host: hostname(), at })}\n`);
    } else {
      process.stdout.write(`Released lock \`${key}\` held by run ${released.runId} (${released.user} on ${released.host} since ${released.since}).\n`);
    }
  });
}

async function journalRelease(store: StateStore, holder: LockHolder, by: string, at: string): Promise<void> {
  const run = await store.getRun(holder.runId);
  if (!run) return;
  const events = await store.readEvents(holder.runId);
  const seq = events.reduce((max, e) => Math.max(max, e.seq), 0) + 1;
  await store.appendEvents(holder.runId, [
    { type: 'log', level: 'warn', message: `lock \`${holder.key}\` force-released by ${by} on ${hostname()} (pid ${process.pid})`, runId: holder.runId, seq, ts: at },
  ]);
}

function describeStale(reason: ReturnType<typeof staleReason>): string | undefined {
  switch (reason) {
    case undefined:
      return undefined;
    case 'dead-process':
      return 'its process is gone';
    case 'expired':
      return 'no heartbeat for over a minute';
  }
}

export default list;
