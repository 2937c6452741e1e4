import type { ActionContext, Effect, PlanContext } from '../adapters/types';
import { stepPath, type RunContext } from './run-context';

/** What differs between one adapter call and the next; the rest comes from the run. */
export interface CallParts {
  readonly stepId: string;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly scriptDisplay: Readonly<Record<string, string>>;
  readonly signal: AbortSignal;
  readonly effect?: Effect;
}

/**
 * The one place where what an adapter sees of the run is put together, for a step, its retries
 * and its undo alike, so none of them can miss a guard (redaction, safe cuts of long lines).
 */
export function planContext(rc: RunContext, parts: CallParts): PlanContext {
  const o = rc.options;
  return {
    stepId: stepPath(rc, parts.stepId),
    config: o.config,
    ...(o.environment ? { environment: o.environment } : {}),
    noChecks: o.noChecks ?? false,
    signal: parts.signal,
    cwd: parts.cwd,
    env: parts.env,
    scriptDisplay: parts.scriptDisplay,
    ...(parts.effect ? { effect: parts.effect } : {}),
    redact: (text: string) => o.redactor.redact(text),
    safeCut: (text: string, at: number) => o.redactor.safeCut?.(text, at) ?? at,
  };
}

export function actionContext(
  rc: RunContext,
  parts: CallParts,
  approval?: ActionContext['approval'],
): Omit<ActionContext, 'signal' | 'attempt' | 'timeoutMs'> {
  const o = rc.options;
  return {
    ...planContext(rc, parts),
    runId: o.runId,
    prompter: o.prompter,
    clock: o.clock,
    output: (stream, text) => rc.emit({ type: 'step.output', step: parts.stepId, stream, text }),
    progress: (message) => rc.emit({ type: 'step.progress', step: parts.stepId, message }),
    registerSecret: (value) => o.redactor.add(value),
    runRunbook: (name, params) => rc.runChild(parts.stepId, name, params, parts.signal),
    ...(approval ? { approval } : {}),
  };
}

/** The process environment of the run, without unset variables; made once per run. */
export function runEnv(rc: RunContext): Readonly<Record<string, string>> {
  const known = runEnvs.get(rc);
  if (known) return known;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(rc.options.env ?? process.env)) if (value !== undefined) out[key] = value;
  runEnvs.set(rc, out);
  return out;
}

const runEnvs = new WeakMap<RunContext, Readonly<Record<string, string>>>();
