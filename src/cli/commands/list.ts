import { relative } from 'node:path';
import type { AdapterRegistry } from '../../adapters/types';
import { loadConfig } from '../../config/load';
import type { Config } from '../../config/model';
import { packageRoot } from '../../config/package-root';
import type { ParamSpec } from '../../runbook/model';
import { findRunbooks, type RunbookEntry } from '../../runbook/search';
import { displayPath } from '../../runbook/source-file';
import { ListCache } from './list-cache';
import { loaderOutput } from './output-format';

interface Listed {
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly params: readonly Omit<ParamSpec, 'range'>[];
  readonly path: string;
  readonly source: string;
  readonly builtin: boolean;
  readonly shadowed: boolean;
  readonly valid: boolean;
  readonly errors: number;
}

/** `opsctl list`: every runbook of the search path with its title, params and where it came from. */
export default async function list(options: { output?: string }): Promise<void> {
  const output = loaderOutput(options.output);
  const config = await loadConfig();
  const entries = await findRunbooks(config);
  // Compiling every runbook is most of the cost of `list`: results are cached per file (list-cache.ts).
  const cache = new ListCache<Compiled>(config, entries.map((e) => e.path));
  let compile: ((path: string) => Promise<{ compiled: Compiled; callsOthers: boolean }>) | undefined;
  const listed: Listed[] = [];
  for (const entry of entries) {
    let compiled = cache.get(entry.path);
    if (!compiled) {
      compile ??= await compiler(config);
      const result = await compile(entry.path);
      compiled = result.compiled;
      cache.set(entry.path, compiled, result.callsOthers);
    }
    listed.push({
      name: compiled.name ?? entry.name,
      ...(compiled.title !== undefined ? { title: compiled.title } : {}),
      ...(compiled.description ? { description: compiled.description } : {}),
      params: compiled.params,
      path: entry.path,
      source: sourceOf(entry),
      builtin: entry.builtin,
      shadowed: entry.shadowed,
      valid: compiled.valid,
      errors: compiled.errors,
    });
  }
  cache.save();
  if (output === 'json') {
    process.stdout.write(`${JSON.stringify({ searchPath: config.runbookPaths, runbooks: listed }, null, 2)}\n`);
    return;
  }
  if (listed.length === 0) {
    process.stdout.write(`no runbooks found in ${config.runbookPaths.join(', ')}\n`);
    return;
  }
  const rows = listed.map((r) => [
    r.name,
    r.valid ? (r.title ?? '') : `(invalid: ${r.errors} error${r.errors === 1 ? '' : 's'}; see \`opsctl validate ${displayPath(r.path)}\`)`,
    clip(r.params.map(paramLabel).join(' '), 60),
    `${r.source}${r.shadowed ? ' (shadowed)' : ''}`,
  ]);
  process.stdout.write(table(['NAME', 'TITLE', 'PARAMS', 'SOURCE'], rows));
}

/** What compiling a runbook file tells `list` (cached between runs). */
type Compiled = Pick<Listed, 'title' | 'description' | 'params' | 'valid' | 'errors'> & { readonly name?: string };

/** The loader and the adapters are imported only when some file is not in the cache. */
async function compiler(config: Config): Promise<(path: string) => Promise<{ compiled: Compiled; callsOthers: boolean }>> {
  const [{ createRegistry }, { loadRunbookFile }, { runbookCalls }] = await Promise.all([import('../../adapters/registry'), import('../../runbook/load'), import('../../runbook/calls')]);
  const registry: AdapterRegistry = createRegistry();
  return async (path) => {
    const loaded = await loadRunbookFile(path, { registry, config });
    const runbook = loaded.ok ? loaded.graph.runbook : undefined;
    const compiled: Compiled = {
      ...(runbook ? { name: runbook.name, title: runbook.title } : {}),
      ...(runbook?.description ? { description: runbook.description } : {}),
      params: (runbook?.params ?? []).map(({ range: _range, ...param }) => param),
      valid: loaded.ok,
      errors: loaded.diagnostics.filter((d) => d.severity === 'error').length,
    };
    // An invalid file may be invalid because of what it calls: it depends on the search path too.
    return { compiled, callsOthers: !runbook || runbookCalls(runbook).length > 0 };
  };
}

/** `version*` required, `replicas=4` with a default, `token` otherwise. */
function paramLabel(param: Omit<ParamSpec, 'range'>): string {
  if (param.required) return `${param.name}*`;
  if (param.default !== undefined && !param.secret) return `${param.name}=${param.default}`;
  return param.name;
}

function clip(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

function sourceOf(entry: RunbookEntry): string {
  return entry.builtin ? `shipped: ${relative(packageRoot(), entry.path)}` : displayPath(entry.path);
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}
