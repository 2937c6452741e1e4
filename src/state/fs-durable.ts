import { closeSync, fdatasyncSync, fstatSync, fsyncSync, openSync, readFileSync, readSync, renameSync, writeSync } from 'node:fs';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { randomHex } from '../util/random-hex';

/**
 * Small durable-file primitives for the file backend. A crash (kill -9, power loss) leaves either
 * the old or the new content of a JSON file, and an NDJSON file whose last line may be cut.
 */

/** Writes `data` as JSON beside `path`, fsyncs it, renames it over `path`, and fsyncs the folder. */
export async function writeJsonAtomic(path: string, data: unknown): Promise<void> {
  const tmp = tempPath(path);
  await writeFileSynced(tmp, `${JSON.stringify(data, null, 2)}\n`, 'wx');
  try {
    await rename(tmp, path);
  } catch (error) {
    await unlink(tmp).catch(() => undefined);
    throw error;
  }
  await syncDir(dirname(path));
}

export async function writeFileSynced(path: string, text: string, flags: 'wx' | 'w' | 'a'): Promise<void> {
  const handle = await open(path, flags, 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Appends lines and fsyncs. If a crash cut the file's last line, a newline is written first so
 * the cut line stays one unreadable line instead of spoiling the next good one.
 */
export async function appendLinesSynced(path: string, lines: readonly string[]): Promise<void> {
  if (lines.length === 0) return;
  const handle = await open(path, 'a+', 0o600);
  try {
    const { size } = await handle.stat();
    let prefix = '';
    if (size > 0) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      if (last[0] !== 0x0a) prefix = '\n';
    }
    await handle.appendFile(`${prefix}${lines.join('\n')}\n`, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * The same, synchronously, on a file kept open (the journal of a live run): the journal appends
 * at step transitions so that when the engine hears "emitted", the transition is on disk (a
 * kill -9 right after cannot lose it). The first append
 * checks that a crash did not leave a cut last line (a newline is written first if it did); then each
 * append is one write and one fdatasync (an append's new size is data fdatasync flushes), not an
 * open, a read and a close around an fsync every time.
 */
export class SyncAppender {
  #fd: number | undefined;

  constructor(readonly path: string) {}

  append(lines: readonly string[]): void {
    if (lines.length === 0) return;
    let prefix = '';
    if (this.#fd === undefined) {
      const fd = openSync(this.path, 'a+', 0o600);
      try {
        const { size } = fstatSync(fd);
        if (size > 0) {
          const last = Buffer.alloc(1);
          readSync(fd, last, 0, 1, size - 1);
          if (last[0] !== 0x0a) prefix = '\n';
        }
      } catch (error) {
        closeSync(fd);
        throw error;
      }
      this.#fd = fd;
    }
    const data = Buffer.from(`${prefix}${lines.join('\n')}\n`, 'utf8');
    for (let offset = 0; offset < data.length; ) offset += writeSync(this.#fd, data, offset);
    fdatasyncSync(this.#fd);
  }

  close(): void {
    if (this.#fd === undefined) return;
    const fd = this.#fd;
    this.#fd = undefined;
    closeSync(fd);
  }
}

export function writeJsonAtomicSync(path: string, data: unknown): void {
  const tmp = tempPath(path);
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(data, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

export function readJsonSync<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Parses NDJSON, skipping lines a crash cut short (or any other unreadable line). */
export function parseNdjson<T>(text: string): T[] {
  const out: T[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      out.push(JSON.parse(line) as T);
    } catch {
      // A line cut by a crash: what came before it is intact; nothing after it was written by that process.
    }
  }
  return out;
}

export async function readNdjson<T>(path: string): Promise<T[]> {
  const text = await readIfExists(path);
  return text === undefined ? [] : parseNdjson<T>(text);
}

export async function readJson<T>(path: string): Promise<T | undefined> {
  const text = await readIfExists(path);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

export async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (isCode(error, 'ENOENT')) return undefined;
    throw error;
  }
}

export async function syncDir(path: string): Promise<void> {
  // Some filesystems refuse to open or fsync a directory; the rename is still atomic there.
  try {
    const handle = await open(path, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    /* best effort */
  }
}

export function tempPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomHex(8)}.tmp`);
}

export function isCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as NodeJS.ErrnoException).code === code;
}
