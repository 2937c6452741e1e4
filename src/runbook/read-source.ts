import { readFileSync, statSync } from 'node:fs';
import { sha256Hex } from '../util/sha256';
import type { Diagnostic } from './diagnostics';
import { displayPath, SourceFile } from './source-file';

/** Runbooks and configs are small; anything bigger is a mistake or an attack. */
export const MAX_FILE_BYTES = 1024 * 1024;

export type ReadResult =
  | {
      readonly ok: true;
      readonly source: SourceFile;
      readonly absolute: string;
      /** sha256 of the bytes, hex: computed when first read (a run records it; validate does not). */
      readonly hash: string;
    }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/**
 * Reads a runbook or opsctl.yaml. Synchronously inside: the files are small and local, and a
 * command that reads only these never starts libuv's thread pool (four threads) to do it.
 */
export async function readSource(absolute: string, cwd = process.cwd()): Promise<ReadResult> {
  const shown = displayPath(absolute, cwd);
  const fail = (code: string, message: string, hint?: string): ReadResult => ({
    ok: false,
    diagnostics: [{ severity: 'error', code, message, range: { file: shown, line: 1, col: 1, offset: 0, endOffset: 0 }, ...(hint ? { hint } : {}) }],
  });
  let size: number;
  try {
    const info = statSync(absolute);
    if (info.isDirectory()) return fail('not-a-file', `\`${shown}\` is a folder, not a runbook file`);
    size = info.size;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return fail('not-found', `\`${shown}\` does not exist`);
    return fail('unreadable', `cannot read \`${shown}\`: ${code ?? String(error)}`);
  }
  if (size > MAX_FILE_BYTES) {
    return fail('too-large', `\`${shown}\` is ${(size / 1024 / 1024).toFixed(1)} MiB; files over 1 MiB are refused`, 'split the runbook, or check that this is the file you meant');
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(absolute);
  } catch (error) {
    return fail('unreadable', `cannot read \`${shown}\`: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  let hash: string | undefined;
  return {
    ok: true,
    source: new SourceFile(shown, text),
    absolute,
    get hash() {
      return (hash ??= sha256Hex(bytes));
    },
  };
}
