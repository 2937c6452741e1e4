import { extractReferences, globalFunctions, parseCel, typeCheck, type Reference } from '../../expr';
import { CONTEXT_ROOTS, ENVIRONMENT_FIELDS, RUN_FIELDS, STEP_FIELDS } from '../../expr/context';
import { didYouMean, didYouMeanHint } from '../did-you-mean';
import type { Diagnostic } from '../diagnostics';
import type { ParamSpec, Step } from '../model';
import { collectExpressions, type ExpressionSite } from './collect-expressions';
import { diagnostic, type Rule, type RuleContext } from './types';

/**
 * Expressions parse; they read only known contexts, declared params/vars/secrets and existing
 * steps; and a step reads `steps.X` only when it depends on X (directly or through ancestors).
 */
export const expressionsCheck: Rule = (ctx) => {
  const out: Diagnostic[] = [];
  const source = ctx.locator.source;
  const readers = new Map<string, Step>();
  for (const [step, path] of ctx.stepPaths) readers.set(`${String(path[0])}:${String(path[1])}`, step);
  let paramTypes: Record<string, string> | undefined;
  for (const site of collectExpressions(ctx.locator.doc, source.text, ctx.registry)) {
    const at = (start = 0, end = site.end - site.offset) => source.range(site.offset + start, site.offset + end);
    if (site.templateError) {
      out.push(diagnostic('error', 'bad-expression', site.templateError, at(0, 3)));
      continue;
    }
    const parsed = parseCel(site.source);
    if (!parsed.ok) {
      out.push(diagnostic('error', 'bad-expression', `expression does not parse: ${parsed.message}`, at(parsed.start, Math.max(parsed.end, parsed.start + 1)), 'expressions are CEL: https://cel.dev'));
      continue;
    }
    const { references, calls } = extractReferences(parsed.ast);
    if (site.variables) {
      // An adapter's own condition: it reads the answer (`json`, `rows` …), not the run's contexts.
      const field = site.path.slice(site.path[2] === 'undo' ? 4 : 3).join('.');
      for (const ref of references) {
        if (site.variables.includes(ref.root)) continue;
        const hint = didYouMeanHint(ref.root, site.variables) ?? `\`${field}\` is evaluated over the answer: ${site.variables.join(', ')}; for a value of the run, use \`\${{ }}\``;
        out.push(diagnostic('error', 'unknown-variable', `\`${field}\` can read ${site.variables.map((v) => `\`${v}\``).join(', ')}, not \`${ref.root}\``, at(ref.start, ref.end), hint));
      }
    }
    const functions = globalFunctions();
    for (const call of calls) {
      if (!functions.includes(call.name)) {
        out.push(diagnostic('error', 'unknown-function', `unknown function \`${call.name}()\``, at(call.start, call.start + call.name.length), didYouMeanHint(call.name, functions) ?? `functions: ${functions.join(', ')}`));
      }
    }
    let referencesOk = calls.every((call) => functions.includes(call.name));
    for (const ref of site.variables ? [] : references) {
      const problem = checkReference(ref, site, ctx, readers);
      if (problem) out.push(diagnostic(problem.severity ?? 'error', problem.code, problem.message, at(ref.start, ref.end), problem.hint));
      if (problem && problem.severity !== 'warning') referencesOk = false;
    }
    // The params' types are declared: a type error over them is known now, not mid-run (F31).
    if (referencesOk && !site.variables && references.some((ref) => ref.root === 'params')) {
      const checked = typeCheck(site.source, (paramTypes ??= typesOf(ctx.runbook.params)));
      if (!checked.ok) {
        out.push(diagnostic('error', 'type-error', `expression has a type error: ${checked.message}`, at(), 'the types come from the params\' declarations: convert with string(), int() or double(), or compare values of one type'));
      } else if (isCondition(site) && checked.type !== 'bool' && checked.type !== 'dyn') {
        out.push(diagnostic('error', 'type-error', `\`when\` must be true or false, and this is ${article(checked.type)}`, at(), 'compare it: e.g. params.mode == "full", or size(params.name) > 0'));
      }
    }
  }
  return out;
};

/** A param's CEL type, when the run can promise it: declared, and given or defaulted. */
function typesOf(params: readonly ParamSpec[]): Record<string, string> {
  const types: Record<string, string> = {};
  for (const param of params) {
    const promised = param.required || param.default !== undefined;
    // A `number` may come as 3 (an int in CEL) or 2.5 (a double): dyn.
    const type = param.type === 'integer' ? 'int' : param.type === 'boolean' ? 'bool' : param.type === 'string' || param.type === 'enum' ? 'string' : 'dyn';
    types[param.name] = promised ? type : 'dyn';
  }
  return types;
}

function isCondition(site: ExpressionSite): boolean {
  return site.path.length === 3 && (site.path[0] === 'steps' || site.path[0] === 'finally') && site.path[2] === 'when';
}

function article(type: string): string {
  return type === 'int' ? 'an int' : `a ${type}`;
}

interface Problem {
  readonly code: string;
  readonly message: string;
  readonly hint?: string;
  readonly severity?: 'warning';
}

function checkReference(ref: Reference, site: ExpressionSite, ctx: RuleContext, readers: ReadonlyMap<string, Step>): Problem | undefined {
  const [first, second, third] = ref.path;
  const runbook = ctx.runbook;
  const member = (names: readonly string[], what: string, code: string): Problem | undefined => {
    if (first === undefined || names.includes(first)) return undefined;
    const hint = didYouMeanHint(first, names) ?? (names.length ? `declared ${what}: ${names.join(', ')}` : `this runbook declares no ${what}`);
    return { code, message: `unknown ${what.replace(/s$/, '')} \`${ref.root}.${first}\``, hint };
  };
  switch (ref.root) {
    case 'params':
      return member(runbook.params.map((p) => p.name), 'params', 'unknown-param');
    case 'vars': {
      const names = Object.keys(runbook.vars);
      const unknown = member(names, 'vars', 'unknown-var');
      if (unknown || first === undefined || site.path[0] !== 'vars') return unknown;
      const reader = String(site.path[1]);
      // vars are evaluated top to bottom: each may read only the ones above it.
      if (names.indexOf(first) >= names.indexOf(reader)) {
        return { code: 'var-order', message: `var \`${reader}\` reads \`vars.${first}\`, which ${first === reader ? 'is itself' : 'is defined after it'}`, hint: 'vars are evaluated top to bottom; move it above, or compute it from params' };
      }
      return undefined;
    }
    case 'secrets':
      return member(runbook.secrets.map((s) => s.name), 'secrets', 'unknown-secret');
    case 'environment':
      return first !== undefined && !(ENVIRONMENT_FIELDS as readonly string[]).includes(first)
        ? { code: 'unknown-field', message: `\`environment\` has no field \`${first}\``, hint: didYouMeanHint(first, ENVIRONMENT_FIELDS) ?? `fields: ${ENVIRONMENT_FIELDS.join(', ')}` }
        : undefined;
    case 'run':
      return first !== undefined && !(RUN_FIELDS as readonly string[]).includes(first)
        ? { code: 'unknown-field', message: `\`run\` has no field \`${first}\``, hint: didYouMeanHint(first, RUN_FIELDS) ?? `fields: ${RUN_FIELDS.join(', ')}` }
        : undefined;
    case 'env':
    case 'incident':
    // Names under `databases:` come from opsctl.yaml, which a runbook is not validated against.
    case 'databases':
      return undefined;
    case 'steps':
      return first === undefined ? undefined : checkStepReference(first, second, third, site, ctx, readers);
    default: {
      const params = runbook.params.map((p) => p.name);
      const hint = params.includes(ref.root)
        ? `did you mean \`params.${ref.root}\`?`
        : (didYouMeanHint(ref.root, CONTEXT_ROOTS) ?? `contexts: ${CONTEXT_ROOTS.join(', ')}`);
      return { code: 'unknown-context', message: `unknown context \`${ref.root}\``, hint };
    }
  }
}

function checkStepReference(id: string, field: string | undefined, output: string | undefined, site: ExpressionSite, ctx: RuleContext, readers: ReadonlyMap<string, Step>): Problem | undefined {
  const main = ctx.runbook.steps;
  const fin = ctx.runbook.finally;
  const target = main.find((s) => s.id === id) ?? fin.find((s) => s.id === id);
  if (!target) {
    return { code: 'unknown-step', message: `unknown step \`steps.${id}\``, hint: didYouMeanHint(id, [...main, ...fin].map((s) => s.id)) };
  }
  if (field !== undefined && !(STEP_FIELDS as readonly string[]).includes(field)) {
    const hint = didYouMean(field, STEP_FIELDS) ? `did you mean \`steps.${id}.${didYouMean(field, STEP_FIELDS)}\`?` : `a step has: ${STEP_FIELDS.join(', ')}`;
    return { code: 'unknown-field', message: `\`steps.${id}\` has no field \`${field}\``, hint };
  }
  const reader = readers.get(`${String(site.path[0])}:${String(site.path[1])}`);
  if (reader === undefined) {
    return { code: 'steps-unavailable', message: `\`steps.${id}\` cannot be read in \`${String(site.path[0])}\`: no step has run when it is evaluated`, hint: 'read step results inside a step' };
  }
  if (reader.phase === 'main') {
    const inUndo = site.path[2] === 'undo';
    if (target.phase === 'finally') return { code: 'not-an-ancestor', message: `step \`${reader.id}\` reads \`steps.${id}\`, a finally step that runs after it` };
    if (target === reader && !inUndo) return { code: 'reads-itself', message: `step \`${reader.id}\` reads its own \`steps.${id}\` before it has run`, hint: 'its results can be read by the steps after it, or by its `undo`' };
    if (target !== reader && !ctx.ancestors.get(reader.id)?.has(id)) {
      return {
        code: 'not-an-ancestor',
        message: `step \`${reader.id}\` reads \`steps.${id}\` but does not depend on \`${id}\``,
        hint: `add \`${id}\` to the \`needs\` of \`${reader.id}\` (or of a step it needs), so \`${id}\` has run first`,
      };
    }
  } else if (target.phase === 'finally' && fin.indexOf(target) >= fin.indexOf(reader)) {
    return { code: 'not-an-ancestor', message: `finally step \`${reader.id}\` reads \`steps.${id}\`, which runs ${target === reader ? 'as' : 'after'} it` };
  }
  if (field === 'outputs' && output !== undefined) return checkOutput(target, output, ctx);
  return undefined;
}

function checkOutput(step: Step, output: string, ctx: RuleContext): Problem | undefined {
  if (ctx.unchecked?.has(step)) return undefined;
  const declared = Object.keys(step.outputs);
  const builtin = ctx.registry.get(step.action.kind)?.outputs;
  if (builtin === undefined && declared.length === 0) return undefined;
  const known = [...declared, ...(builtin ?? [])];
  if (known.includes(output)) return undefined;
  return {
    severity: 'warning',
    code: 'unknown-output',
    message: `step \`${step.id}\` has no output \`${output}\``,
    hint: didYouMeanHint(output, known) ?? `its outputs: ${known.join(', ')}; declare more under \`outputs:\``,
  };
}
