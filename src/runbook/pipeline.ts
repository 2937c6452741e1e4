import { isScalar } from 'yaml';
import type { AdapterRegistry } from '../adapters/types';
import type { EnvironmentConfig } from '../config/model';
import { compileGraph } from './compile';
import type { Diagnostic } from './diagnostics';
import { runbookFormat } from './format';
import { brokenParts, inBrokenPart, type BrokenParts } from './broken-parts';
import { ancestorsOf } from './graph';
import { Locator } from './locate';
import type { Step, StepGraph } from './model';
import { normalize, type Normalized } from './normalize';
import { parseYaml } from './parse-yaml';
import { checkStepShapes, RULES, STEP_WIDE_RULES, type RuleContext } from './rules';
import type { SourceFile } from './source-file';
import { validateNode } from './validate-schema';

export type LoadResult =
  | { readonly ok: true; readonly graph: StepGraph; readonly diagnostics: readonly Diagnostic[] }
  | {
      readonly ok: false;
      readonly diagnostics: readonly Diagnostic[];
      /**
       * The checks after the schema (params, expressions, the step graph) did not run on the
       * whole file (`all`) or on the parts with errors (`parts`): fixing these may show more.
       */
      readonly incomplete?: 'all' | 'parts';
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
  // With schema errors, the later checks still run over the parts without any (F9), unless the
  // errors leave nothing they could trust (see broken-parts.ts).
  const schemaErrors = diagnostics.filter((d) => d.severity === 'error' && d.code !== 'unknown-key');
  let broken: BrokenParts | undefined;
  if (schemaErrors.length) {
    broken = brokenParts(doc, schemaErrors);
    if (!broken) return { ok: false, diagnostics: sort(diagnostics), incomplete: 'all' };
  }

  const locator = new Locator(doc, source);
  const hashOf = options.hash;
  const runbookSource = {
    path: options.absolutePath ?? source.file,
    get hash() {
      return typeof hashOf === 'function' ? hashOf() : (hashOf ?? '');
    },
    text: source.text,
  };
  const normalizeDoc = () => normalize(parsed.value as Record<string, unknown>, locator, options.registry, runbookSource);
  if (broken) {
    const around = checkAround(broken, normalizeDoc, locator, options);
    return { ok: false, diagnostics: sort([...diagnostics, ...(around ?? [])]), incomplete: around ? 'parts' : 'all' };
  }
  const normalized = normalizeDoc();
  const context = ruleContext(normalized, locator, options);
  for (const rule of RULES) diagnostics.push(...rule(context));
  const sorted = sort(diagnostics);
  if (sorted.some((d) => d.severity === 'error')) return { ok: false, diagnostics: sorted };
  return { ok: true, graph: compileGraph(normalized.runbook, context.ancestors), diagnostics: sorted };
}

function ruleContext(normalized: Normalized, locator: Locator, options: CompileOptions, unchecked?: ReadonlySet<Step>): RuleContext {
  const environment = options.environment ? { environment: options.environment } : {};
  return { ...normalized, locator, registry: options.registry, ancestors: ancestorsOf(normalized.runbook.steps), ...(unchecked ? { unchecked } : {}), ...environment };
}

/**
 * The later checks over a runbook the schema found errors in: what they find inside a broken part
 * is dropped (it would judge a value already reported), and steps with errors are not judged
 * from the outside either (`unchecked`: their outputs are not known). A check that cannot cope
 * with a malformed value only costs its own findings; `undefined` when nothing could be checked.
 */
function checkAround(broken: BrokenParts, normalizeDoc: () => Normalized, locator: Locator, options: CompileOptions): Diagnostic[] | undefined {
  let normalized: Normalized;
  try {
    normalized = normalizeDoc();
  } catch {
    return undefined; // a shape normalize cannot read: the schema's errors are all there is to say
  }
  const steps = [...normalized.runbook.steps, ...normalized.runbook.finally];
  const context = ruleContext(normalized, locator, options, new Set(steps.filter((step) => inBrokenPart(broken, step.range.offset, true))));
  const found: Diagnostic[] = [];
  for (const rule of RULES) {
    try {
      found.push(...rule(context).filter((d) => !inBrokenPart(broken, d.range.offset, STEP_WIDE_RULES.has(rule))));
    } catch {
      // this check could not read a malformed value; the others still report
    }
  }
  return found;
}

function sort(diagnostics: Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => a.range.offset - b.range.offset);
}
