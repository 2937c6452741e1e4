import { closeSync, existsSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import type { Config } from '../config/model';
import { didYouMean } from './did-you-mean';
import { usageError } from '../util/errors';

/** A runbook file found in the search path. */
export interface RunbookEntry {
  /** The `name:` written in the file, else the file name without extension. */
  readonly name: string;
  readonly path: string;
  /** The search-path folder it was found in. */
  readonly root: string;
  /** True when the shipped `runbooks/` folder holds it. */
  readonly builtin: boolean;
  /** A runbook earlier in the search path has the same name, so this one is never picked. */
  readonly shadowed: boolean;
}

const EXTENSIONS = new Set(['.yaml', '.yml']);

/** Every runbook of the search path, in search-path order (config folders first, shipped last). */
export async function findRunbooks(config: Config): Promise<RunbookEntry[]> {
  const entries: RunbookEntry[] = [];
  const seen = new Set<string>();
  const shipped = config.runbookPaths.at(-1);
  for (const root of config.runbookPaths) {
    for (const path of yamlFilesUnder(root)) {
      const name = await runbookName(path);
      entries.push({ name, path, root, builtin: root === shipped, shadowed: seen.has(name) });
      seen.add(name);
    }
  }
  return entries;
}

/** True when the argument reads as a file path rather than a runbook name. */
export function looksLikePath(nameOrPath: string): boolean {
  return nameOrPath.includes('/') || nameOrPath.includes('\\') || EXTENSIONS.has(extname(nameOrPath)) || nameOrPath.startsWith('.');
}

/** A name resolves through the search path; a path is taken as a file (relative to `cwd`). */
export async function resolveRunbook(nameOrPath: string, config: Config, cwd = process.cwd()): Promise<string> {
  if (looksLikePath(nameOrPath)) return resolve(cwd, nameOrPath);
  const entries = await findRunbooks(config);
  const match = entries.find((e) => e.name === nameOrPath) ?? entries.find((e) => basename(e.path, extname(e.path)) === nameOrPath);
  if (match) return match.path;
  if (existsSync(resolve(cwd, nameOrPath)) && statSync(resolve(cwd, nameOrPath)).isFile()) return resolve(cwd, nameOrPath);
  const suggestion = didYouMean(nameOrPath, entries.map((e) => e.name));
  throw usageError(
    `no runbook named \`${nameOrPath}\` in the search path (${config.runbookPaths.join(', ')})`,
    suggestion ? `did you mean \`${suggestion}\`? (\`opsctl list\` shows them all)` : '`opsctl list` shows the runbooks found; a file path works too: ./runbooks/x.yaml',
  );
}

/**
 * YAML files under a folder, recursively, sorted by their path under it; a missing folder holds
 * none. Hidden entries and those `skip` names are left out, and links to folders are not followed.
 * A link named like a YAML file counts when it leads to a file, or always with `danglingLinks`
 * (a caller that reports the file it cannot read). Read synchronously: an asynchronous walk would
 * load fs/promises and start libuv's thread pool, a few milliseconds of a `list` or `validate`
 * that has nothing else to wait for.
 */
export function yamlFilesUnder(root: string, options: { readonly skip?: (name: string) => boolean; readonly danglingLinks?: boolean } = {}): string[] {
  const found: string[] = [];
  const walk = (relativeDir: string): void => {
    let entries;
    try {
      entries = readdirSync(join(root, relativeDir), { withFileTypes: true });
    } catch {
      return; // missing or unreadable: it holds no runbooks
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.') || options.skip?.(entry.name)) continue;
      const relativePath = relativeDir ? `${relativeDir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(relativePath);
      else if (EXTENSIONS.has(extname(entry.name)) && (entry.isFile() || (entry.isSymbolicLink() && (options.danglingLinks || isFile(join(root, relativePath)))))) found.push(relativePath);
    }
  };
  walk('');
  return found.sort().map((n) => join(root, n));
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false; // a dangling link
  }
}

/**
 * The top-level `name:` of a runbook file, read cheaply (no full parse): the first 64 KiB, read
 * synchronously (an async readFile per file was four thread-pool round trips each, ~65 files).
 */
async function runbookName(path: string): Promise<string> {
  try {
    const text = readHead(path, 64 * 1024);
    const match = /^name:[ \t]*['"]?([A-Za-z0-9_.-]+)['"]?[ \t]*(#.*)?$/m.exec(text);
    if (match?.[1]) return match[1];
  } catch {
    // unreadable files are reported when loaded
  }
  return basename(path, extname(path));
}

let headBuffer: Buffer | undefined;

function readHead(path: string, bytes: number): string {
  const fd = openSync(path, 'r');
  try {
    const buffer = headBuffer && headBuffer.length >= bytes ? headBuffer : (headBuffer = Buffer.allocUnsafe(bytes));
    const read = readSync(fd, buffer, 0, bytes, 0);
    return buffer.toString('utf8', 0, read);
  } finally {
    closeSync(fd);
  }
}
