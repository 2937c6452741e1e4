import { link, mkdir, readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { LockHolder, LockResult } from './store';
import { isCode, readIfExists, readJson, syncDir, tempPath, writeFileSynced, writeJsonAtomic } from './fs-durable';
import { staleReason, type LivenessProbe } from './lock-liveness';

/** A takeover guard older than this was left by a process that died mid-takeover. */
const GUARD_STALE_MS = 10_000;

/**
 * Locks as files: `locks/<key>.json` holds the holder. Creation is atomic and exclusive (the
 * holder is written to a temporary file, then hard-linked into place, which fails if the lock
 * exists), so the lock file is never seen half written. Taking over a dead holder happens under a
 * `.takeover` guard so two runs cannot both take it.
 */
export class FileLocks {
  constructor(
    private readonly dir: string,
    private readonly probe: () => LivenessProbe,
    private readonly now: () => number,
  ) {}

  async acquire(holder: LockHolder): Promise<LockResult> {
    await mkdir(this.dir, { recursive: true });
    const path = this.pathOf(holder.key);
    for (let attempt = 0; attempt < 20; attempt++) {
      if (await this.tryCreate(path, holder)) return { acquired: true };
      const current = await readJson<LockHolder>(path);
      if (!current) {
        // Released between our attempt and the read, or a file no opsctl wrote whole (lock files
        // appear by link and change by rename, so a torn one is damage): it holds nobody.
        if ((await readIfExists(path)) !== undefined) await this.removeCorrupt(path);
        continue;
      }
      const reason = staleReason(current, this.probe());
      if (!reason) return { acquired: false, holder: current };
      if (await this.replaceIfStill(path, current, holder)) return { acquired: true, takenOver: { holder: current, reason } };
      await new Promise((r) => setTimeout(r, 25));
    }
    const current = await readJson<LockHolder>(path);
    if (current) return { acquired: false, holder: current };
    throw new Error(`could not take lock \`${holder.key}\`: it keeps changing hands; try again`);
  }

  async heartbeat(key: string, runId: string): Promise<void> {
    const path = this.pathOf(key);
    const current = await readJson<LockHolder>(path);
    if (!current || current.runId !== runId) {
      throw new Error(
        current
          ? `lock \`${key}\` is no longer held by run ${runId}: run ${current.runId} (${current.user}@${current.host}) took it over`
          : `lock \`${key}\` is no longer held by run ${runId}: it was released`,
      );
    }
    await writeJsonAtomic(path, { ...current, heartbeatAt: new Date(this.now()).toISOString() });
  }

  async release(key: string, runId: string): Promise<void> {
    const path = this.pathOf(key);
    const current = await readJson<LockHolder>(path);
    if (current?.runId === runId) await this.unlinkQuiet(path);
  }

  async forceRelease(key: string): Promise<LockHolder | undefined> {
    const path = this.pathOf(key);
    const current = await readJson<LockHolder>(path);
    if (current) await this.unlinkQuiet(path);
    return current;
  }

  async list(): Promise<LockHolder[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if (isCode(error, 'ENOENT')) return [];
      throw error;
    }
    const holders: LockHolder[] = [];
    for (const name of names.filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort()) {
      const holder = await readJson<LockHolder>(join(this.dir, name));
      if (holder) holders.push(holder);
    }
    return holders.sort((a, b) => a.key.localeCompare(b.key));
  }

  pathOf(key: string): string {
    return join(this.dir, `${lockFileName(key)}.json`);
  }

  private async tryCreate(path: string, holder: LockHolder): Promise<boolean> {
    const tmp = tempPath(path);
    await writeFileSynced(tmp, `${JSON.stringify(holder, null, 2)}\n`, 'wx');
    try {
      await link(tmp, path);
      await syncDir(this.dir);
      return true;
    } catch (error) {
      if (isCode(error, 'EEXIST')) return false;
      throw error;
    } finally {
      await unlink(tmp).catch(() => undefined);
    }
  }

  /**
   * Puts `holder` in place of `stale` if the lock file still names it (same run, same start).
   * Under the guard, and by rename, so the lock is never free in between: a run that merely finds
   * it free cannot slip in while a dead holder is being replaced.
   */
  private async replaceIfStill(path: string, stale: LockHolder, holder: LockHolder): Promise<boolean> {
    const guard = `${path}.takeover`;
    try {
      await writeFileSynced(guard, `${process.pid}\n`, 'wx');
    } catch (error) {
      if (!isCode(error, 'EEXIST')) throw error;
      const info = await stat(guard).catch(() => undefined);
      if (info && this.now() - info.mtimeMs > GUARD_STALE_MS) await this.unlinkQuiet(guard);
      return false;
    }
    try {
      const again = await readJson<LockHolder>(path);
      if (!again || again.runId !== stale.runId || again.since !== stale.since) return false;
      await writeJsonAtomic(path, holder);
      return true;
    } finally {
      await this.unlinkQuiet(guard);
    }
  }

  private async removeCorrupt(path: string): Promise<void> {
    const guard = `${path}.takeover`;
    try {
      await writeFileSynced(guard, `${process.pid}\n`, 'wx');
    } catch (error) {
      if (!isCode(error, 'EEXIST')) throw error;
      return;
    }
    try {
      if ((await readIfExists(path)) !== undefined && !(await readJson<LockHolder>(path))) await this.unlinkQuiet(path);
    } finally {
      await this.unlinkQuiet(guard);
    }
  }

  private async unlinkQuiet(path: string): Promise<void> {
    try {
      await unlink(path);
    } catch (error) {
      if (!isCode(error, 'ENOENT')) throw error;
    }
  }
}

/** Lock keys are free text (`deploy@production`); file names keep letters, digits and `.@_-`. */
export function lockFileName(key: string): string {
  return key.replace(/[^A-Za-z0-9.@_-]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).replace(/^\./, '%2e');
}
