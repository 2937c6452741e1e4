import { parseCel, withRunState, type ASTNode } from './cel';
import { runFailed, type ExprContext } from './context';
import { ExpressionError } from './errors';
import { extractReferences } from './references';
import { scanTemplate, singleExpression } from './template';
import { Unknown } from './unknown';
import { fromCel, toCel } from './values';

/** Evaluates one CEL expression (without `${{ }}`); plain JS values come back. */
export function evaluateExpression(source: string, ctx: ExprContext): unknown {
  const parsed = parseCel(source);
  if (!parsed.ok) throw new ExpressionError(parsed.message, source);
  if (ctx.unknownSteps?.size) {
    const { references } = extractReferences(parsed.ast);
    const unknown = references.some((r) => r.root === 'steps' && r.path[0] !== undefined && ctx.unknownSteps?.has(r.path[0]));
    if (unknown) return Unknown.of(source);
  }
  try {
    // `failed` is read only when the expression calls success()/failure(): it walks every step.
    const value = withRunState({ get failed() { return runFailed(ctx); } }, () => parsed.evaluate(activation(ctx, rootsOf(parsed.ast))));
    return fromCel(value);
  } catch (error) {
    throw new ExpressionError(explain(error, ctx), source);
  }
}

/**
 * A `when` condition: either a bare CEL expression (`success() && params.force`) or one
 * `${{ }}`. Returns true/false, or an Unknown when it reads outputs not known yet.
 */
export function evaluateCondition(source: string, ctx: ExprContext): boolean | Unknown {
  const expression = conditionSource(source);
  const value = evaluateExpression(expression, ctx);
  if (value instanceof Unknown || typeof value === 'boolean') return value;
  throw new ExpressionError(`a condition must be true or false, but this one is ${describe(value)}`, expression);
}

/** The CEL source of a `when`: the inside of a lone `${{ }}`, else the text itself. */
export function conditionSource(source: string): string {
  const scan = scanTemplate(source);
  if (scan.ok) {
    const single = singleExpression(scan.parts);
    if (single) return single.source;
  }
  return source.trim();
}

const rootCache = new WeakMap<ASTNode, ReadonlySet<string>>();

/**
 * Every name the expression reads (each `id` node, wherever it sits), so that only those roots
 * are converted for CEL: converting `steps` and `env` whole at each evaluation made a run of n
 * steps with expressions O(n²). A name bound by a macro is only converted needlessly, never missed.
 */
function rootsOf(ast: ASTNode): ReadonlySet<string> {
  const known = rootCache.get(ast);
  if (known) return known;
  const names = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const node = value as { op?: unknown; args?: unknown };
    if (node.op === 'id' && typeof node.args === 'string') names.add(node.args);
    else if (typeof node.op === 'string') visit(node.args);
  };
  visit(ast);
  rootCache.set(ast, names);
  return names;
}

function activation(ctx: ExprContext, used: ReadonlySet<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const roots: Record<string, unknown> = {
    params: ctx.params,
    vars: ctx.vars,
    secrets: ctx.secrets,
    environment: ctx.environment,
    env: ctx.env,
    steps: ctx.steps,
    run: ctx.run,
    incident: ctx.incident,
    databases: ctx.databases,
    checklist: ctx.checklist,
  };
  for (const [name, value] of Object.entries(roots)) if (value !== undefined && used.has(name)) out[name] = toCel(value);
  return out;
}

function explain(error: unknown, ctx: ExprContext): string {
  const e = error as { summary?: string; message?: string };
  const summary = e.summary ?? e.message ?? String(error);
  const variable = /^Unknown variable: (\w+)/.exec(summary);
  if (variable) {
    const name = variable[1] ?? '';
    if (name === 'incident') return '`incident` is only available inside an incident (`opsctl incident run`)';
    if (name in ctx || ['params', 'vars', 'secrets', 'environment', 'env', 'steps', 'run', 'databases'].includes(name)) return `\`${name}\` is not available here`;
    return `unknown name \`${name}\``;
  }
  const key = /^No such key: (.*)$/.exec(summary);
  if (key) return `no value named \`${key[1]}\``;
  return summary;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return `the string "${value}"`;
  return `${typeof value} ${JSON.stringify(value)}`;
}
