import type { AdapterRegistry } from '../adapters/types';
import type { Config } from '../config/model';
import { checkRunbookCalls, runbookCalls, type CallResolver, type CallTarget } from './calls';
import { Locator } from './locate';
import { parseYaml } from './parse-yaml';
import { compileSource, type LoadResult } from './pipeline';
import { readSource } from './read-source';
import { resolveRunbook } from './search';
import { OpsctlError } from '../util/errors';
import { checkingInput } from '../util/v8-tiering';
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
  const result = checkingInput(read.source.text.length, () =>
    compileSource(read.source, {
      registry: options.registry,
      absolutePath: absolute,
      hash: () => read.hash,
      ...(environment ? { environment } : {}),
    }),
  );
  if (!result.ok || runbookCalls(result.graph.runbook).length === 0) return result;
  // `runbook:` steps are checked against the runbooks they call (search path, params, cycles).
  const parsed = parseYaml(read.source);
  if (!parsed.ok) return result;
  const found = await checkRunbookCalls(result.graph.runbook, absolute, new Locator(parsed.doc, read.source), callResolver(options));
  if (found.length === 0) return result;
  const diagnostics = [...result.diagnostics, ...found].sort((a, b) => a.range.offset - b.range.offset);
  return diagnostics.some((d) => d.severity === 'error') ? { ok: false, diagnostics } : { ...result, diagnostics };
}

/** Resolves called runbooks as the run does (search path, else a path from the working directory), once each. */
function callResolver(options: LoadOptions): CallResolver {
  const cwd = options.cwd ?? process.cwd();
  const cache = new Map<string, Promise<CallTarget>>();
  const load = async (name: string): Promise<CallTarget> => {
    let absolute: string;
    try {
      absolute = await resolveRunbook(name, options.config, cwd);
    } catch (error) {
      if (!(error instanceof OpsctlError)) throw error;
      return { found: false, message: error.message, ...(error.hint ? { hint: error.hint } : {}) };
    }
    const read = await readSource(absolute, cwd);
    if (!read.ok) return { found: false, message: read.diagnostics.map((d) => d.message).join('; ') };
    const compiled = compileSource(read.source, { registry: options.registry, absolutePath: absolute, hash: () => read.hash });
    const errors = compiled.diagnostics.filter((d) => d.severity === 'error').length;
    return { found: true, key: absolute, errors, ...(compiled.ok ? { runbook: compiled.graph.runbook } : {}) };
  };
  return {
    resolve(name) {
      let hit = cache.get(name);
      if (!hit) cache.set(name, (hit = load(name)));
      return hit;
    },
  };
}

export { displayPath };
