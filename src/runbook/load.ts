import type { AdapterRegistry } from '../adapters/types';
import type { Config } from '../config/model';
import { compileSource, type LoadResult } from './pipeline';
import { readSource } from './read-source';
import { resolveRunbook } from './search';
import { OpsctlError } from '../util/errors';
import { displayPath } from './source-file';

export type { LoadResult } from './pipeline';

export interface LoadOptions {
  readonly registry: AdapterRegistry;
  readonly config: Config;
  /** Environment name: enables the rules that depend on it (protected environments). */
  readonly environment?: string;
  readonly cwd?: string;
}

/**
 * read → parse → schema → normalize → rules → compile (DESIGN.md §3). A name resolves
 * through the search path, a path is read as a file. Bad input comes back as diagnostics.
 */
export async function loadRunbook(pathOrName: string, options: LoadOptions): Promise<LoadResult> {
  const cwd = options.cwd ?? process.cwd();
  let absolute: string;
  try {
    absolute = await resolveRunbook(pathOrName, options.config, cwd);
  } catch (error) {
    if (!(error instanceof OpsctlError)) throw error;
    return {
      ok: false,
      diagnostics: [{ severity: 'error', code: 'not-found', message: error.message, range: { file: pathOrName, line: 1, col: 1, offset: 0, endOffset: 0 }, ...(error.hint ? { hint: error.hint } : {}) }],
    };
  }
  return loadRunbookFile(absolute, options);
}

export async function loadRunbookFile(absolute: string, options: LoadOptions): Promise<LoadResult> {
  const read = await readSource(absolute, options.cwd ?? process.cwd());
  if (!read.ok) return { ok: false, diagnostics: read.diagnostics };
  const environment = options.environment !== undefined ? options.config.environments[options.environment] : undefined;
  return compileSource(read.source, {
    registry: options.registry,
    absolutePath: absolute,
    hash: read.hash,
    ...(environment ? { environment } : {}),
  });
}

export { displayPath };
