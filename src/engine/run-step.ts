import path from 'node:path';
import type { ActionContext, ActionDefinition, ActionImpl, ActionOutcome, Effect, FailureReason, PlanDescription } from '../adapters/types';
import type { Step } from '../runbook/model';
import { errorMessage } from '../util/errors';
import { actionContext, planContext as planContextFor, runEnv, type CallParts } from './action-context';
import { runAttempt } from './attempt';
import { exprContext, resolveAction, resolveEnv, unknownsIn, type ResolvedAction } from './expr-context';
import { passGate } from './gates';
import { failedOutputs, selectOutputs } from './outputs';
import { confirmMessage } from './plan';
import { describeFailure, retryDelay, shouldRetry } from './retry';
import { stepPath, type RunContext, type StepState } from './run-context';

/** How a step ended, as far as the scheduler cares. */
export type StepEnd = 'ok' | 'failed' | 'continue' | 'declined' | 'cancelled';

const DEFAULT_GRACE_MS = 15_000;

/**
 * Carries out one step: `when`, its gates, input evaluation, then a plan (dry-run writes) or
 * attempts with timeout and retry; output selection; the step's terminal event.
 */
export async function executeStep(rc: RunContext, step: Step): Promise<StepEnd> {
  const o = rc.options;
  const state = rc.states.get(step.id)!;
  let started = o.clock.now();

  let whenNote: string | undefined;
  if (step.when !== undefined) {
    let decision: unknown;
    try {
      decision = o.expr.evaluateCondition(step.when, exprContext(rc));
    } catch (error) {
      return fail(rc, step, state, started, 'invalid-input', `\`when\` could not be evaluated: ${errorMessage(error)}`);
    }
    if (o.expr.isUnknown(decision)) whenNote = `decided at run time: ${step.when}`;
    else if (decision !== true) {
      skip(rc, step, state, `\`when: ${step.when}\` is false`);
      return 'ok';
    }
  }

  const isConfirm = step.action.kind === 'confirm';
  const definition = isConfirm ? undefined : o.registry.get(step.action.kind);
  if (!isConfirm && !definition) {
    return fail(rc, step, state, started, 'invalid-input', `there is no action \`${step.action.kind}\` in this opsctl`);
  }

  let resolved: ResolvedAction;
  let stepEnv: Record<string, string>;
  let cwd: string;
  const unknowns: string[] = [];
  try {
    resolved = resolveAction(rc, step.action.input, definition);
    const envResult = resolveEnv(rc, step.env);
    stepEnv = envResult.env;
    unknowns.push(...resolved.unknowns, ...envResult.unknowns);
    const base = o.cwd ?? process.cwd();
    const cwdValue = step.cwd !== undefined ? o.expr.resolveValue(step.cwd, exprContext(rc)) : undefined;
    if (cwdValue !== undefined) unknowns.push(...unknownsIn(rc, cwdValue));
    cwd = cwdValue !== undefined ? path.resolve(base, String(cwdValue)) : base;
  } catch (error) {
    return fail(rc, step, state, started, 'invalid-input', `its input could not be evaluated: ${errorMessage(error)}`);
  }
  state.input = resolved.input;

  const gateMessages: string[] = [];
  for (const gate of rc.gates.get(step.id) ?? []) {
    try {
      gateMessages.push(
        gate.source === 'confirm-step' ? confirmMessage(resolved.input) : gate.source === 'confirm-field' ? String(o.expr.resolveValue(gate.message, exprContext(rc))) : gate.message,
      );
    } catch (error) {
      return fail(rc, step, state, started, 'invalid-input', `its confirmation message could not be evaluated: ${errorMessage(error)}`);
    }
  }

  const effect: Effect = definition ? safeEffect(definition, resolved.input, step) : 'read';
  const env: Record<string, string> = { ...runEnv(rc), ...stepEnv, ...resolved.scriptEnv };
  const parts: CallParts = { stepId: step.id, cwd, env, scriptDisplay: resolved.scriptDisplay, signal: rc.signal, effect };
  const planContext = planContextFor(rc, parts);

  let approval: ActionContext['approval'];
  if (o.dryRun) {
    // A check runs against reality only when reality is what it would see in a real run: not
    // with values a planned step would have produced, nor after a change that was only planned.
    const deferred = effect === 'read' && !isConfirm ? deferral(rc, step, unknowns) : undefined;
    const nestedDryRun = step.action.kind === 'runbook' && whenNote === undefined;
    const listed = definition?.dryRun === 'list';
    const readNow = effect === 'read' && !isConfirm && !listed && !o.noChecks && whenNote === undefined && deferred === undefined;
    if (!nestedDryRun && !readNow) {
      // Values not known yet reach `plan` as Unknown markers: adapters show them (`<unknown: …>`) or defer their checks.
      const plan: PlanDescription = isConfirm ? { summary: `confirm: ${gateMessages[0] ?? ''}` } : await describe(definition!, resolved.input, planContext);
      rc.emit({
        type: 'step.planned',
        step: step.id,
        ...(step.title ? { title: step.title } : {}),
        effect,
        plan,
        ...(gateMessages.length > 0 ? { gate: gateMessages.join(' / ') } : {}),
        ...(whenNote ? { when: whenNote } : {}),
        ...(deferred && !o.noChecks && !listed ? { deferred } : {}),
        ...(listed ? { listed: true } : {}),
      });
      state.status = 'planned';
      state.durationMs = 0;
      rc.unknownSteps.add(step.id);
      if (effect === 'write') rc.plannedWrites.add(step.id);
      return 'ok';
    }
  } else {
    const gates = rc.gates.get(step.id) ?? [];
    for (const [index, message] of gateMessages.entries()) {
      // A manual step asks its own questions; the engine only hands it `--approve` ("done").
      if (gates[index]?.source === 'manual') continue;
      state.status = 'awaiting-confirmation';
      const result = await passGate(rc, step.id, message);
      if (result.type === 'declined') {
        state.status = 'cancelled';
        state.reason = 'declined';
        state.message = result.reason;
        state.durationMs = o.clock.now() - started;
        return 'declined';
      }
      approval = { via: result.approval.via, by: result.approval.by };
    }
    if (!approval && (o.approvals?.approve ?? []).includes(stepPath(rc, step.id))) approval = { via: 'approve', by: o.user };
    // A step's duration measures its work, not the minutes a person spent at its prompt.
    if (gateMessages.length > 0) started = o.clock.now();
    if (isConfirm) {
      const outputs = { approved: true, by: o.user, ...(approval ? { via: approval.via } : {}) };
      succeed(rc, step, state, started, { type: 'success', outputs }, outputs);
      return 'ok';
    }
  }

  let impl: ActionImpl;
  try {
    impl = await definition!.load();
  } catch (error) {
    return fail(rc, step, state, started, 'unknown-error', `the \`${step.action.kind}\` action could not be loaded: ${errorMessage(error)}`);
  }

  const context = actionContext(rc, parts, approval);

  let undoFacts: Readonly<Record<string, unknown>> | undefined;
  for (let attempt = 1; ; attempt++) {
    state.status = 'running';
    state.attempts = attempt;
    rc.emit({ type: 'step.started', step: step.id, ...(step.title ? { title: step.title } : {}), attempt, effect });
    const result = await runAttempt({
      impl,
      input: resolved.input,
      context,
      attempt,
      ...(step.timeoutMs !== undefined ? { timeoutMs: step.timeoutMs } : {}),
      runSignal: rc.signal,
      clock: o.clock,
      graceMs: o.graceMs ?? DEFAULT_GRACE_MS,
    });
    let outcome: ActionOutcome = result.outcome;
    if (outcome.type === 'success') {
      const selected = selectOutputs(step.outputs, { outputs: outcome.outputs, ...(outcome.text !== undefined ? { text: outcome.text } : {}) });
      if (selected.ok) {
        if (outcome.skipped) {
          skip(rc, step, state, outcome.skipReason ?? 'skipped by the person doing it');
          return 'ok';
        }
        succeed(rc, step, state, started, outcome, selected.outputs);
        return 'ok';
      }
      outcome = {
        type: 'failure',
        reason: 'expectation-failed',
        message: selected.message,
        ...(outcome.exitCode !== undefined ? { exitCode: outcome.exitCode } : {}),
        // It ran, so what it changed is still to be undone.
        ...(outcome.undoFacts ? { undoFacts: outcome.undoFacts } : {}),
      };
    }
    // Facts of an earlier attempt still stand when a retry fails without changing anything.
    undoFacts = outcome.undoFacts ?? undoFacts;
    if (result.end !== 'cancelled' && !rc.signal.aborted && shouldRetry(step.retry, attempt, outcome)) {
      const delayMs = retryDelay(step.retry, attempt, o.random);
      rc.emit({ type: 'step.retrying', step: step.id, attempt: attempt + 1, delayMs, reason: `${describeFailure(outcome)}: ${outcome.message}` });
      try {
        await o.clock.sleep(delayMs, rc.signal);
        continue;
      } catch {
        return cancel(rc, step, state, started);
      }
    }
    state.exitCode = outcome.exitCode;
    state.reason = outcome.reason;
    state.message = outcome.message;
    state.durationMs = o.clock.now() - started;
    if (outcome.outputs) state.outputs = failedOutputs(step.outputs, outcome.outputs);
    if (undoFacts) {
      state.undoFacts = undoFacts;
      rc.changedThenFailed.push(step.id);
    }
    const known = { ...(outcome.outputs ? { outputs: state.outputs } : {}), ...(undoFacts ? { undoFacts } : {}) };
    if (result.end === 'cancelled' || outcome.reason === 'cancelled') return cancel(rc, step, state, started);
    if (result.end === 'timed-out') {
      state.status = 'timed-out';
      rc.emit({ type: 'step.timed-out', step: step.id, durationMs: state.durationMs, timeoutMs: step.timeoutMs ?? 0, ...(outcome.message ? { message: outcome.message } : {}), ...known });
    } else {
      state.status = 'failed';
      rc.emit({
        type: 'step.failed',
        step: step.id,
        durationMs: state.durationMs,
        reason: outcome.reason,
        message: outcome.message,
        ...(outcome.exitCode !== undefined ? { exitCode: outcome.exitCode } : {}),
        ...known,
      });
    }
    // A gate declined inside a called runbook is still a declined gate (exit 3), not a failure.
    if (outcome.reason === 'declined') return 'declined';
    return step.onFailure === 'continue' ? 'continue' : 'failed';
  }
}

/**
 * Why a dry-run must not run this check now (undefined: it may): its input holds values of
 * planned steps, or it comes after a change the dry-run only planned.
 */
function deferral(rc: RunContext, step: Step, unknowns: readonly string[]): string | undefined {
  const after = 'runs after the changes above; decided at run time';
  if (unknowns.length > 0) return `${after} (it reads ${unknowns.join(', ')})`;
  const planned = plannedAncestor(rc, step);
  return planned === undefined ? undefined : `${after} (\`${planned}\` was only planned)`;
}

/** A step this one depends on (through `needs`, transitively) that a dry-run only planned; `finally` steps follow every step. */
function plannedAncestor(rc: RunContext, step: Step): string | undefined {
  if (rc.plannedWrites.size === 0) return undefined;
  const graph = rc.options.graph;
  if (step.phase === 'finally') return [...graph.order, ...graph.finally.map((s) => s.id)].find((id) => rc.plannedWrites.has(id));
  const seen = new Set<string>();
  const stack = [...step.needs];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    if (rc.plannedWrites.has(id)) return id;
    stack.push(...(graph.steps.get(id)?.needs ?? []));
  }
  return undefined;
}

function succeed(rc: RunContext, step: Step, state: StepState, started: number, outcome: Extract<ActionOutcome, { type: 'success' }>, outputs: Record<string, unknown>): void {
  state.status = 'succeeded';
  state.outputs = outputs;
  state.durationMs = rc.options.clock.now() - started;
  if (outcome.exitCode !== undefined) state.exitCode = outcome.exitCode;
  if (outcome.undoFacts) state.undoFacts = outcome.undoFacts;
  rc.completions.push(step.id);
  // A called runbook in a dry-run that planned steps leaves changes for later, as a planned write does.
  if (rc.options.dryRun && step.action.kind === 'runbook' && calledRunbookPlanned(outputs)) rc.plannedWrites.add(step.id);
  rc.emit({
    type: 'step.succeeded',
    step: step.id,
    durationMs: state.durationMs,
    outputs,
    ...(outcome.exitCode !== undefined ? { exitCode: outcome.exitCode } : {}),
    ...(outcome.undoFacts ? { undoFacts: outcome.undoFacts } : {}),
  });
}

function calledRunbookPlanned(outputs: Readonly<Record<string, unknown>>): boolean {
  const steps = outputs.steps;
  if (steps === null || typeof steps !== 'object') return false;
  return Object.values(steps).some((inner) => inner !== null && typeof inner === 'object' && (inner as { status?: unknown }).status === 'planned');
}

export function skip(rc: RunContext, step: Step, state: StepState, reason: string): void {
  state.status = 'skipped';
  state.skipReason = reason;
  state.durationMs = 0;
  rc.emit({ type: 'step.skipped', step: step.id, reason });
}

function fail(rc: RunContext, step: Step, state: StepState, started: number, reason: FailureReason, message: string): StepEnd {
  state.status = 'failed';
  state.reason = reason;
  state.message = message;
  state.durationMs = rc.options.clock.now() - started;
  rc.emit({ type: 'step.failed', step: step.id, durationMs: state.durationMs, reason, message });
  return step.onFailure === 'continue' ? 'continue' : 'failed';
}

function cancel(rc: RunContext, step: Step, state: StepState, started: number): StepEnd {
  state.status = 'cancelled';
  state.reason = 'cancelled';
  state.durationMs = rc.options.clock.now() - started;
  rc.emit({ type: 'step.cancelled', step: step.id, durationMs: state.durationMs });
  return 'cancelled';
}

async function describe(definition: ActionDefinition, input: Record<string, unknown>, context: Parameters<ActionImpl['plan']>[1]): Promise<PlanDescription> {
  try {
    const impl = await definition.load();
    return await impl.plan(input, context);
  } catch (error) {
    return { summary: `${definition.key} (could not be described: ${errorMessage(error)})` };
  }
}

function safeEffect(definition: ActionDefinition, input: Record<string, unknown>, step: Step): Effect {
  try {
    return definition.effect(input, step);
  } catch {
    return 'write';
  }
}

