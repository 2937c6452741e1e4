import type { ActionDefinition } from '../adapters/types';
import { scanTemplate, stringify } from '../expr';
import type { Config } from '../config/model';
import type { ExprContextData, StepContextData } from './expr-port';
import type { RunContext } from './run-context';

/** The expression context at this moment of the run (DESIGN.md §2 Expressions). */
export function exprContext(rc: RunContext): ExprContextData {
  const o = rc.options;
  const steps = stepsView(rc);
  return {
    params: o.params,
    vars: rc.vars,
    secrets: o.secrets ?? {},
    environment: { name: o.environment?.name ?? '', protected: o.environment?.protected ?? false, vars: o.environment?.vars ?? {} },
    env: o.env ?? process.env,
    steps,
    run: { id: o.runId, user: o.user, dry_run: o.dryRun ?? false, status: rc.status, started_at: rc.startedAt },
    ...(o.incident ? { incident: o.incident } : {}),
    databases: databaseUrls(o.config),
    unknownSteps: rc.unknownSteps,
  };
}

const views = new WeakMap<RunContext, Readonly<Record<string, StepContextData>>>();

/**
 * `steps.X` as a live read-only view of the run's step states, made once per run: building a
 * record of every step at each evaluation cost O(steps) per step, O(n²) over a run (10,000
 * steps: seconds). Each read sees the state as it is at that moment, as a fresh copy did.
 */
function stepsView(rc: RunContext): Readonly<Record<string, StepContextData>> {
  const known = views.get(rc);
  if (known) return known;
  const entry = (id: string | symbol): StepContextData | undefined => {
    const state = typeof id === 'string' ? rc.states.get(id) : undefined;
    if (!state) return undefined;
    return {
      status: state.status,
      outputs: state.outputs,
      ...(state.exitCode !== undefined ? { exit_code: state.exitCode } : {}),
      ...(state.durationMs !== undefined ? { duration_ms: state.durationMs } : {}),
    };
  };
  const view = new Proxy({} as Record<string, StepContextData>, {
    get: (_target, id) => entry(id),
    has: (_target, id) => typeof id === 'string' && rc.states.has(id),
    ownKeys: () => [...rc.states.keys()],
    getOwnPropertyDescriptor: (_target, id) => {
      const value = entry(id);
      return value === undefined ? undefined : { value, enumerable: true, configurable: true, writable: false };
    },
    set: () => false,
    defineProperty: () => false,
    deleteProperty: () => false,
  });
  views.set(rc, view);
  return view;
}

/** `databases.NAME` in expressions: the URL of each database named in opsctl.yaml. */
export function databaseUrls(config: Config): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, database] of Object.entries(config.databases ?? {})) out[name] = database.url;
  return out;
}

/** The password in a database URL, if it has one (registered with the redactor so it is never shown). */
export function urlPassword(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (!parsed.password) return undefined;
  try {
    return decodeURIComponent(parsed.password);
  } catch {
    return parsed.password;
  }
}

export interface ResolvedAction {
  readonly input: Record<string, unknown>;
  /** Script fields with values filled in (redacted), for plans. */
  readonly scriptDisplay: Record<string, string>;
  /** Values that script fields reference as `${OPSCTL_V1}`…: they reach the process as env. */
  readonly scriptEnv: Record<string, string>;
  /** Values a dry-run does not know yet (outputs of planned steps), as shown. */
  readonly unknowns: readonly string[];
}

/**
 * Evaluates an action's input: script fields through `scriptify` (a value never becomes code),
 * everything else through `resolveValue`. Throws the expression error, which the caller turns
 * into an `invalid-input` failure naming the step.
 */
export function resolveAction(rc: RunContext, input: Readonly<Record<string, unknown>>, definition: ActionDefinition | undefined): ResolvedAction {
  const ctx = exprContext(rc);
  const scriptFields = definition?.scriptFields ?? [];
  const bindFields = definition?.bindFields ?? [];
  const resolved: Record<string, unknown> = {};
  const scriptDisplay: Record<string, string> = {};
  const scriptEnv: Record<string, string> = {};
  const unknowns: string[] = [];
  for (const [key, value] of Object.entries(input)) {
    if (scriptFields.includes(key) && typeof value === 'string') {
      const script = rc.options.expr.scriptify(value, ctx);
      resolved[key] = script.script;
      scriptDisplay[key] = rc.options.redactor.redact(script.display);
      Object.assign(scriptEnv, script.env);
      unknowns.push(...(script.unknowns ?? []));
    } else if (bindFields.includes(key) && typeof value === 'string') {
      const bound = bindReferences(rc, value, ctx);
      resolved[key] = bound.text;
      scriptDisplay[key] = rc.options.redactor.redact(bound.display);
      Object.assign(scriptEnv, bound.env);
      unknowns.push(...bound.unknowns);
    } else {
      resolved[key] = rc.options.expr.resolveValue(value, ctx);
      unknowns.push(...unknownsIn(rc, resolved[key]));
    }
  }
  return { input: resolved, scriptDisplay, scriptEnv, unknowns: [...new Set(unknowns)] };
}

/**
 * A bind field's `${{ }}` replaced by `${OPSCTL_Bn}` references, their values (as text) in `env`:
 * the adapter binds them as parameters itself (SQL `$n`); the text around them stays as written.
 */
function bindReferences(rc: RunContext, text: string, ctx: ExprContextData): { text: string; display: string; env: Record<string, string>; unknowns: string[] } {
  const scan = scanTemplate(text);
  if (!scan.ok) throw new Error(scan.message);
  const env: Record<string, string> = {};
  const names = new Map<string, string>();
  const unknowns: string[] = [];
  let out = '';
  let display = '';
  for (const part of scan.parts) {
    if (part.kind === 'text') {
      out += part.text;
      display += part.text;
      continue;
    }
    const value = rc.options.expr.resolveValue(`\${{ ${part.source} }}`, ctx);
    const shown = stringify(value);
    if (rc.options.expr.isUnknown(value) && !unknowns.includes(shown)) unknowns.push(shown);
    let name = names.get(part.source);
    if (!name) {
      name = `OPSCTL_B${names.size + 1}`;
      names.set(part.source, name);
      env[name] = shown;
    }
    out += `\${${name}}`;
    display += shown;
  }
  return { text: out, display, env, unknowns };
}

/** The Unknown values inside a resolved value (deeply), as shown. */
export function unknownsIn(rc: RunContext, value: unknown): string[] {
  if (rc.options.expr.isUnknown(value)) return [String(value)];
  if (Array.isArray(value)) return value.flatMap((item) => unknownsIn(rc, item));
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap((item) => unknownsIn(rc, item));
  return [];
}


/** A step's `env:` values, evaluated; they reach the action's process environment. */
export function resolveEnv(rc: RunContext, env: Readonly<Record<string, string>>): { readonly env: Record<string, string>; readonly unknowns: readonly string[] } {
  const ctx = exprContext(rc);
  const out: Record<string, string> = {};
  const unknowns: string[] = [];
  for (const [key, value] of Object.entries(env)) {
    const resolved = rc.options.expr.resolveValue(value, ctx);
    unknowns.push(...unknownsIn(rc, resolved));
    out[key] = String(resolved);
  }
  return { env: out, unknowns };
}
