import { isScalar } from 'yaml';
import type { AdapterRegistry } from '../adapters/types';
import type { EnvironmentConfig } from '../config/model';
import { compileGraph } from './compile';
import type { Diagnostic } from './diagnostics';
import { runbookFormat } from './format';
import { ancestorsOf } from './graph';
import { Locator } from './locate';
import type { StepGraph } from './model';
import { normalize } from './normalize';
import { parseYaml } from './parse-yaml';
import { checkStepShapes, RULES } from './rules';
import type { SourceFile } from './source-file';
import { validateNode } from './validate-schema';

export type LoadResult =
  | { readonly ok: true; readonly graph: StepGraph; readonly diagnostics: readonly Diagnostic[] }
  | {
      readonly ok: false;
      readonly diagnostics: readonly Diagnostic[];
      /** The checks after the schema (params, expressions, the step graph) did not run: fixing these errors may show more. */
      readonly incomplete?: boolean;
    };

export interface CompileOptions {
  readonly registry: AdapterRegistry;
  readonly environment?: EnvironmentConfig;
  /** Absolute path recorded in the runbook (defaults to the display path). */
  readonly absolutePath?: string;
  /** The file's sha256, or a function giving it (called each time `source.hash` is read: let it remember). */
  readonly hash?: string | (() => string);
}

/**
 * parse → schema → normalize → rules → compile, over a file already read. Pure: the same text
 * always gives the same result. Stops after a stage whose errors would make the next one lie.
 */
export function compileSource(source: SourceFile, options: CompileOptions): LoadResult {
  const parsed = parseYaml(source);
  if (!parsed.ok) return { ok: false, diagnostics: parsed.diagnostics };
  const doc = parsed.doc;
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    return { ok: false, diagnostics: [{ severity: 'error', code: 'empty', message: 'the file is empty', range: source.range(0, 0), hint: 'a runbook starts with `apiVersion: opsctl/v1` and `kind: Runbook`' }] };
  }
  const diagnostics: Diagnostic[] = [];
  validateNode({ source, doc, diagnostics }, doc.contents, runbookFormat(options.registry).root, '');
  diagnostics.push(...checkStepShapes(doc, source, options.registry));
  if (diagnostics.some((d) => d.severity === 'error' && d.code !== 'unknown-key')) return { ok: false, diagnostics: sort(diagnostics), incomplete: true };

  const locator = new Locator(doc, source);
  const hashOf = options.hash;
  const normalized = normalize(parsed.value as Record<string, unknown>, locator, options.registry, {
    path: options.absolutePath ?? source.file,
    get hash() {
      return typeof hashOf === 'function' ? hashOf() : (hashOf ?? '');
    },
    text: source.text,
  });
  const context = { ...normalized, locator, registry: options.registry, ancestors: ancestorsOf(normalized.runbook.steps), ...(options.environment ? { environment: options.environment } : {}) };
  for (const rule of RULES) diagnostics.push(...rule(context));
  const sorted = sort(diagnostics);
  if (sorted.some((d) => d.severity === 'error')) return { ok: false, diagnostics: sorted };
  return { ok: true, graph: compileGraph(normalized.runbook, context.ancestors), diagnostics: sorted };
}

function sort(diagnostics: Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => a.range.offset - b.range.offset);
}
