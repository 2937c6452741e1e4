import type { ASTNode, Environment } from '@marcbachmann/cel-js';
import { celLibrary } from './cel-library';

/**
 * The one CEL environment of opsctl. Context roots are dynamic (their shape comes from the
 * runbook), mixed list/map literals are allowed, and `success()`, `failure()`, `always()` read
 * the state of the run being evaluated (set around each synchronous evaluation). Made at the
 * first expression: a command that reads none does not pay for it.
 */
export interface RunState {
  readonly failed: boolean;
}

let current: RunState = { failed: false };
let shared: Environment | undefined;

function environment(): Environment {
  if (shared) return shared;
  const made = new (celLibrary().Environment)({ unlistedVariablesAreDyn: true, homogeneousAggregateLiterals: false })
    .registerFunction('success(): bool', () => !current.failed)
    .registerFunction('failure(): bool', () => current.failed)
    .registerFunction('always(): bool', () => true);
  // YAML does not tell 2 from 2.0, so `params.ratio * 100` must work whether ratio came out as an
  // int or a double: mixed arithmetic is done in doubles (CEL proper would refuse it).
  const arithmetic: Record<string, (a: number, b: number) => number> = { '+': (a, b) => a + b, '-': (a, b) => a - b, '*': (a, b) => a * b, '/': (a, b) => a / b };
  for (const [op, fn] of Object.entries(arithmetic)) {
    made.registerOperator(`double ${op} int`, (a: number, b: bigint) => fn(a, Number(b)));
    made.registerOperator(`int ${op} double`, (a: bigint, b: number) => fn(Number(a), b));
  }
  return (shared = made);
}

/** Names a `when` may call besides CEL's own functions. */
export const RUN_FUNCTIONS: readonly string[] = ['success', 'failure', 'always'];

let globals: readonly string[] | undefined;

/** Every function callable without a receiver (`size(x)`, `int(s)`, `success()` …). */
export function globalFunctions(): readonly string[] {
  return (globals ??= [...new Set(environment().getDefinitions().functions.filter((f) => !f.receiverType).map((f) => f.name))]);
}

export type Parsed =
  | { readonly ok: true; readonly ast: ASTNode; readonly evaluate: (context: Record<string, unknown>) => unknown }
  | { readonly ok: false; readonly message: string; readonly start: number; readonly end: number };

const cache = new Map<string, Parsed>();

export function parseCel(source: string): Parsed {
  const hit = cache.get(source);
  if (hit) return hit;
  let parsed: Parsed;
  try {
    const program = environment().parse(source);
    parsed = { ok: true, ast: program.ast, evaluate: (context) => program(context) as unknown };
  } catch (error) {
    const e = error as { summary?: string; message?: string; range?: { start: number; end: number } };
    parsed = { ok: false, message: e.summary ?? e.message ?? String(error), start: e.range?.start ?? 0, end: e.range?.end ?? source.length };
  }
  if (cache.size > 5000) cache.clear();
  cache.set(source, parsed);
  return parsed;
}

export type TypeChecked = { readonly ok: true; readonly type: string } | { readonly ok: false; readonly message: string };

const checkers = new Map<string, { readonly environment: Environment; readonly results: Map<string, TypeChecked> }>();

/**
 * Type-checks an expression that parsed, knowing the types of the params (`{ n: 'int' }`; a param
 * whose type the run cannot promise is `dyn`). Other roots are dynamic. `ok: false` only for a
 * type error the run would also hit (`no such overload: string + int`), not for unknown names,
 * which the reference checks report.
 */
export function typeCheck(source: string, params: Readonly<Record<string, string>>): TypeChecked {
  const key = JSON.stringify(params);
  let checker = checkers.get(key);
  if (!checker) {
    checker = { environment: environment().clone().registerVariable({ name: 'params', schema: params }), results: new Map() };
    checkers.set(key, checker);
  }
  // Runbooks repeat expressions (`params.who` in a hundred steps): each is checked once.
  const known = checker.results.get(source);
  if (known) return known;
  const result = checker.environment.check(source);
  const error = result.error as { name?: string; message?: string } | undefined;
  const message = (error?.message ?? '').split('\n')[0] ?? '';
  const checked: TypeChecked = result.valid ? { ok: true, type: result.type ?? 'dyn' } : error?.name === 'TypeError' && /overload/i.test(message) ? { ok: false, message } : { ok: true, type: 'dyn' };
  checker.results.set(source, checked);
  return checked;
}

/** Runs `fn` with the run state that `success()`/`failure()` read. Evaluation is synchronous. */
export function withRunState<T>(state: RunState, fn: () => T): T {
  const previous = current;
  current = state;
  try {
    return fn();
  } finally {
    current = previous;
  }
}

export type { ASTNode };
