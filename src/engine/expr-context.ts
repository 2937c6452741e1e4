import type { ActionDefinition } from '../adapters/types';
import type { ExprContextData, StepContextData } from './expr-port';
import type { RunContext } from './run-context';

/** The expression context at this moment of the run (DESIGN.md §2 Expressions). */
export function exprContext(rc: RunContext): ExprContextData {
  const o = rc.options;
  const steps: Record<string, StepContextData> = {};
  for (const [id, state] of rc.states) {
    steps[id] = {
      status: state.status,
      outputs: state.outputs,
      ...(state.exitCode !== undefined ? { exit_code: state.exitCode } : {}),
      ...(state.durationMs !== undefined ? { duration_ms: state.durationMs } : {}),
    };
  }
  return {
    params: o.params,
    vars: rc.vars,
    secrets: o.secrets ?? {},
    environment: { name: o.environment?.name ?? '', protected: o.environment?.protected ?? false, vars: o.environment?.vars ?? {} },
    env: o.env ?? process.env,
    steps,
    run: { id: o.runId, user: o.user, dry_run: o.dryRun ?? false, status: rc.status, started_at: rc.startedAt },
    ...(o.incident ? { incident: o.incident } : {}),
    unknownSteps: rc.unknownSteps,
  };
}

export interface ResolvedAction {
  readonly input: Record<string, unknown>;
  /** Script fields with values filled in (redacted), for plans. */
  readonly scriptDisplay: Record<string, string>;
  /** Values that script fields reference as `${OPSCTL_V1}`…: they reach the process as env. */
  readonly scriptEnv: Record<string, string>;
}

/**
 * Evaluates an action's input: script fields through `scriptify` (a value never becomes code),
 * everything else through `resolveValue`. Throws the expression error, which the caller turns
 * into an `invalid-input` failure naming the step.
 */
export function resolveAction(rc: RunContext, input: Readonly<Record<string, unknown>>, definition: ActionDefinition | undefined): ResolvedAction {
  const ctx = exprContext(rc);
  const scriptFields = definition?.scriptFields ?? [];
  const resolved: Record<string, unknown> = {};
  const scriptDisplay: Record<string, string> = {};
  const scriptEnv: Record<string, string> = {};
  for (const [key, value] of Object.entries(input)) {
    if (scriptFields.includes(key) && typeof value === 'string') {
      const script = rc.options.expr.scriptify(value, ctx);
      resolved[key] = script.script;
      scriptDisplay[key] = rc.options.redactor.redact(script.display);
      Object.assign(scriptEnv, script.env);
    } else {
      resolved[key] = rc.options.expr.resolveValue(value, ctx);
    }
  }
  return { input: resolved, scriptDisplay, scriptEnv };
}

/** A step's `env:` values, evaluated; they reach the action's process environment. */
export function resolveEnv(rc: RunContext, env: Readonly<Record<string, string>>): Record<string, string> {
  const ctx = exprContext(rc);
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) out[key] = String(rc.options.expr.resolveValue(value, ctx));
  return out;
}
