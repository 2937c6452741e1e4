import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * What `opsctl list` learnt about each runbook file, kept between runs in a cache folder:
 * compiling every runbook of the search path (~65 shipped) took ~0.7 s, nine times bare Node.
 *
 * An entry is used again only when nothing it was computed from changed:
 *   - this build of opsctl (the size and mtime of this module's file: every build writes it anew),
 *   - the configuration in force (its JSON),
 *   - the file itself (path, size, mtime in ns),
 *   - and, for a runbook that calls others (`runbook:` steps), every file of the search path.
 * Anything unreadable or unwritable is a miss, never an error: the cache only saves time.
 * One file, `list.json`, keeps the last MAX_CONFIGS configurations (folders) `list` ran in.
 * `OPSCTL_CACHE_DIR` moves it (default `$XDG_CACHE_HOME/opsctl` or `~/.cache/opsctl`); `OPSCTL_CACHE_DIR=off` turns it off.
 */
export interface FileStamp {
  readonly path: string;
  readonly size: number;
  readonly mtimeNs: string;
}

export interface CachedEntry<T> {
  readonly stamp: FileStamp;
  /** True when the entry depends on other runbooks of the search path (it calls some). */
  readonly callsOthers: boolean;
  readonly value: T;
}

interface ConfigSection<T> {
  /** When this section was written (ms): the oldest sections go first. */
  readonly writtenAt: number;
  readonly searchPath: string;
  readonly entries: Readonly<Record<string, CachedEntry<T>>>;
}

/** One file for every configuration (folder) `list` ran with, the most recent MAX_CONFIGS kept. */
interface CacheFile<T> {
  readonly version: 2;
  readonly build: string;
  readonly configs: Readonly<Record<string, ConfigSection<T>>>;
}

const MAX_CONFIGS = 4;

export function stampOf(path: string): FileStamp | undefined {
  try {
    const st = statSync(path, { bigint: true });
    return { path, size: Number(st.size), mtimeNs: String(st.mtimeNs) };
  } catch {
    return undefined;
  }
}

const sameStamp = (a: FileStamp, b: FileStamp | undefined) => b !== undefined && a.path === b.path && a.size === b.size && a.mtimeNs === b.mtimeNs;

function cacheDir(env: NodeJS.ProcessEnv): string | undefined {
  const configured = env.OPSCTL_CACHE_DIR;
  if (configured === 'off') return undefined;
  if (configured) return configured;
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'opsctl');
}

/** Two 32-bit FNV-1a style hashes: a cache key, not a secret (node:crypto alone costs ~10 ms to import). */
function hash(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x9e3779b9;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return `${(a >>> 0).toString(16).padStart(8, '0')}${(b >>> 0).toString(16).padStart(8, '0')}`;
}

function buildStamp(): string {
  const self = stampOf(fileURLToPath(import.meta.url));
  return self ? `${self.path}:${self.size}:${self.mtimeNs}` : 'unknown';
}

export class ListCache<T> {
  readonly #file: string | undefined;
  readonly #build = buildStamp();
  readonly #config: string;
  readonly #searchPath: string;
  readonly #stamps: ReadonlyMap<string, FileStamp | undefined>;
  readonly #entries: Record<string, CachedEntry<T>> = {};
  #old: Readonly<Record<string, CachedEntry<T>>> = {};
  #others: Record<string, ConfigSection<T>> = {};
  #changed = false;
  #sameSearchPath = false;

  /** `files`: every runbook file of the search path, in order. */
  constructor(config: unknown, files: readonly string[], env: NodeJS.ProcessEnv = process.env) {
    const dir = cacheDir(env);
    this.#config = hash(JSON.stringify(config));
    this.#stamps = new Map(files.map((f) => [f, stampOf(f)]));
    // Calls resolve through the search path, else from the working directory.
    this.#searchPath = hash(JSON.stringify([process.cwd(), ...this.#stamps.values()]));
    this.#file = dir ? join(dir, 'list.json') : undefined;
    this.#read();
  }

  /** The value computed last time for this file, if nothing it depends on changed since. */
  get(path: string): T | undefined {
    const entry = this.#old[path];
    const stamp = this.#stamps.get(path);
    if (!entry || !sameStamp(entry.stamp, stamp)) return undefined;
    if (entry.callsOthers && !this.#sameSearchPath) return undefined;
    this.#entries[path] = entry;
    return entry.value;
  }

  set(path: string, value: T, callsOthers: boolean): void {
    const stamp = this.#stamps.get(path);
    if (!stamp) return;
    this.#entries[path] = { stamp, callsOthers, value };
    this.#changed = true;
  }

  /** Writes the entries used or computed in this run (atomically: a parallel `list` reads the old or the new file). */
  save(): void {
    if (!this.#file || (!this.#changed && Object.keys(this.#entries).length === Object.keys(this.#old).length && this.#sameSearchPath)) return;
    const kept = Object.entries(this.#others)
      .sort(([, a], [, b]) => b.writtenAt - a.writtenAt)
      .slice(0, MAX_CONFIGS - 1);
    // Strictly after every kept section, so the order holds for writes within one millisecond.
    const writtenAt = Math.max(Date.now(), ...kept.map(([, section]) => section.writtenAt + 1));
    const configs = Object.fromEntries([...kept, [this.#config, { writtenAt, searchPath: this.#searchPath, entries: this.#entries }]]);
    const data: CacheFile<T> = { version: 2, build: this.#build, configs };
    const tmp = `${this.#file}.${process.pid}.tmp`;
    try {
      mkdirSync(join(this.#file, '..'), { recursive: true, mode: 0o700 });
      writeFileSync(tmp, JSON.stringify(data), { mode: 0o600 });
      renameSync(tmp, this.#file);
    } catch {
      // a cache that cannot be written is only a slower next `list`
    }
  }

  #read(): void {
    if (!this.#file) return;
    try {
      const data = JSON.parse(readFileSync(this.#file, 'utf8')) as Partial<CacheFile<T>>;
      if (data.version !== 2 || data.build !== this.#build || typeof data.configs !== 'object' || data.configs === null) return;
      const { [this.#config]: mine, ...others } = data.configs;
      this.#others = others;
      if (!mine || typeof mine.entries !== 'object' || mine.entries === null) return;
      this.#old = mine.entries;
      this.#sameSearchPath = mine.searchPath === this.#searchPath;
    } catch {
      // no cache yet, or a damaged one: every file is a miss
    }
  }
}
