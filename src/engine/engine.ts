import type { Step } from '../runbook/model';
import type { Approval } from '../state/store';
import { errorMessage, usageError } from '../util/errors';
import { createEmitter, nestedEmitter } from './emitter';
import type { RunStatus, StepStatus } from './events';
import { databaseUrls, exprContext, urlPassword } from './expr-context';
import { nestedGates, runChild } from './nested';
import { approveErrors, effectiveNeeds, planRun, unapprovedGates, type Gate, type RunPlan } from './plan';
import { stepPath, type RunContext, type RunOptions, type StepState } from './run-context';
import { executeStep, skip, type StepEnd } from './run-step';
import { ReadyQueue, type SlotState } from './scheduler';
import { selectionReadErrors } from './selection-reads';
import { certainlySkipped, staticText } from './static-when';
import { rollback, type UndoError } from './undo';
import { unreachable } from '../util/unreachable';

export type { RunOptions, ResumeOptions, CompletedStep } from './run-context';

export interface StepResult {
  readonly id: string;
  readonly phase: 'main' | 'finally';
  readonly title?: string;
  readonly status: StepStatus;
  readonly attempts: number;
  readonly durationMs?: number;
  readonly outputs: Readonly<Record<string, unknown>>;
  readonly exitCode?: number;
  readonly reason?: string;
  readonly message?: string;
  readonly skipReason?: string;
  readonly undo?: { readonly status: 'rolled-back' | 'rollback-failed'; readonly message?: string };
  readonly undoFacts?: Readonly<Record<string, unknown>>;
}

export interface RunResult {
  readonly runId: string;
  readonly status: RunStatus;
  readonly durationMs: number;
  readonly steps: readonly StepResult[];
  /** The step that failed first (the one that stopped the run). */
  readonly failedStep?: string;
  readonly error?: string;
  readonly undoErrors: readonly UndoError[];
  readonly approvals: readonly Approval[];
  /** Gates that stopped a run without a terminal before its first side effect. */
  readonly unapproved: readonly Gate[];
  readonly plan: RunPlan;
}

/**
 * Runs a step graph. Everything it touches is passed in (registry, prompter, sink, clock, signal,
 * redactor, expressions), so tests drive it with fakes. Outcomes are data: a failed step is a
 * `failed` result, not an exception; it throws only for a usage mistake (a selection naming no
 * step) or when `beforeFirstSideEffect` throws (a lock held by another run).
 */
export async function runGraph(o: RunOptions): Promise<RunResult> {
  const graph = o.graph;
  const emit = o.nested ? nestedEmitter(o.nested.emit, o.nested.prefix, graph.runbook.name) : createEmitter(o.runId, o.sink, o.clock, o.redactor);
  const completed = new Set(Object.keys(o.resume?.completed ?? {}));
  const plan = planRun(graph, o.registry, {
    ...(o.selection ? { selection: o.selection } : {}),
    completed,
    ...(o.resume?.interrupted ? { interrupted: o.resume.interrupted } : {}),
    ...(o.resume?.rerunInterrupted ? { rerunInterrupted: true } : {}),
  });
  if (!o.nested) {
    const errors = [...plan.errors, ...approveErrors(plan, o.approvals?.approve ?? [])];
    if (plan.errors.length === 0) errors.push(...selectionReadErrors(graph, plan));
    if (errors.length > 0) throw usageError(errors.join('\n'), 'see the step ids with `opsctl graph RUNBOOK`');
  }

  const started = o.clock.now();
  // `${{ databases.X }}` puts a configured URL into a step: its password is never shown.
  for (const url of Object.values(databaseUrls(o.config))) {
    const password = urlPassword(url);
    if (password) o.redactor.add(password);
  }
  const gates = new Map<string, Gate[]>();
  for (const gate of plan.gates) gates.set(gate.step, [...(gates.get(gate.step) ?? []), gate]);
  const rc: RunContext = {
    options: o,
    emit,
    states: new Map(),
    unknownSteps: new Set(),
    plannedWrites: new Set(),
    startedAt: new Date(started).toISOString(),
    vars: {},
    status: 'running',
    approvals: [],
    completions: [],
    changedThenFailed: [],
    signal: o.signal ?? new AbortController().signal,
    promptChain: Promise.resolve(),
    gates,
    runChild: (parent, name, params, signal) => runChild(rc, runGraph, parent, name, params, signal),
  };
  const allSteps: Step[] = [...graph.order.map((id) => graph.steps.get(id)!), ...graph.finally];
  for (const step of allSteps) rc.states.set(step.id, { status: 'pending', outputs: {}, attempts: 0 });

  emit({
    type: 'run.started',
    runbook: graph.runbook.name,
    title: graph.runbook.title,
    dryRun: o.dryRun ?? false,
    params: redactParams(o),
    ...(o.environment ? { environment: o.environment.name } : {}),
    ...(o.resume?.fromRunId ? { resumedFrom: o.resume.fromRunId } : {}),
  });

  const finish = async (status: RunStatus, extra: { failedStep?: string; error?: string; undoErrors?: UndoError[]; unapproved?: Gate[] } = {}): Promise<RunResult> => {
    const durationMs = o.clock.now() - started;
    emit({ type: 'run.finished', status, durationMs, ...(extra.failedStep ? { failedStep: extra.failedStep } : {}), ...(extra.error ? { error: extra.error } : {}) });
    if (!o.nested) await o.sink.close?.();
    return {
      runId: o.runId,
      status,
      durationMs,
      steps: allSteps.map((step) => stepResult(step, rc.states.get(step.id)!)),
      ...(extra.failedStep ? { failedStep: extra.failedStep } : {}),
      ...(extra.error ? { error: o.redactor.redact(extra.error) } : {}),
      undoErrors: extra.undoErrors ?? [],
      approvals: rc.approvals,
      unapproved: extra.unapproved ?? [],
      plan,
    };
  };

  try {
    for (const [name, value] of Object.entries(graph.runbook.vars)) {
      rc.vars = { ...rc.vars, [name]: o.expr.resolveValue(value, exprContext(rc)) };
    }
  } catch (error) {
    return finish('failed', { error: `the runbook's vars could not be evaluated: ${errorMessage(error)}` });
  }

  if (!o.dryRun && !o.prompter.interactive) {
    // A gate behind a `when` that params/vars/environment already make false is never reached.
    const stepOf = (id: string) => graph.steps.get(id) ?? graph.finally.find((s) => s.id === id);
    const runnable = plan.steps.filter((planned) => {
      const step = stepOf(planned.id);
      return planned.disposition.type === 'run' && !(step && certainlySkipped(step, (when) => o.expr.evaluateCondition(when, exprContext(rc))));
    });
    const withNested: RunPlan = { ...plan, gates: [...plan.gates, ...(await nestedGates(o, graph, runnable.map((step) => step.id), 0, new Set([graph.runbook.name]), (text) => staticText(text, (t) => o.expr.resolveValue(t, exprContext(rc)))))] };
    const unapproved = unapprovedGates(withNested, o.approvals ?? { yes: false, approve: [] }, (step) => stepPath(rc, step)).filter(
      (gate) => gate.step.includes('/') || runnable.some((step) => step.id === gate.step),
    );
    if (unapproved.length > 0) {
      const names = unapproved.map((gate) => stepPath(rc, gate.step));
      for (const gate of unapproved) {
        const path = stepPath(rc, gate.step);
        const reason =
          gate.source === 'manual'
            ? `a manual task needs a person and there is no terminal; pass --approve ${path} once it is done`
            : gate.source === 'interrupted'
              ? `no terminal to ask: it was running when the previous run stopped and may have half-run; check it, then pass --rerun-interrupted (or --approve ${path})`
              : `no terminal to ask; pass --approve ${path} or --yes`;
        emit({ type: 'step.declined', step: gate.step, by: o.user, reason });
      }
      const manualOnly = unapproved.every((gate) => gate.source === 'manual');
      return finish('not-confirmed', {
        unapproved,
        error: `${names.length === 1 ? 'a step needs' : `${names.length} steps need`} confirmation and there is no terminal to ask: ${names.map((n) => `\`${n}\``).join(', ')}; ${o.nested ? `runbook \`${graph.runbook.name}\` was not started` : 'nothing was run'}. Pass ${names.map((n) => `--approve ${n}`).join(' ')}${manualOnly ? '' : ' (or --yes for every confirmation; manual tasks need --approve)'}${unapproved.some((gate) => gate.source === 'interrupted') ? '; a step that was running when the previous run stopped may have half-run: check it, then pass --rerun-interrupted to run it again' : ''}`,
      });
    }
  }

  if (!o.dryRun && o.beforeFirstSideEffect) {
    try {
      await o.beforeFirstSideEffect();
    } catch (error) {
      await finish('failed', { error: errorMessage(error) });
      throw error;
    }
  }

  // Looked up by id: a find over every step for each step made runs of 10,000 steps O(n²).
  const stepById = new Map<string, Step>();
  for (const step of allSteps) if (!stepById.has(step.id)) stepById.set(step.id, step);
  for (const planned of plan.steps) {
    const step = stepById.get(planned.id)!;
    const state = rc.states.get(planned.id)!;
    if (planned.disposition.type === 'restored') {
      const previous = o.resume!.completed[planned.id]!;
      state.status = 'succeeded';
      state.outputs = { ...previous.outputs };
      if (previous.exitCode !== undefined) state.exitCode = previous.exitCode;
      if (previous.undoFacts) state.undoFacts = previous.undoFacts;
      rc.completions.push(planned.id);
      emit({ type: 'step.skipped', step: planned.id, reason: `already succeeded${o.resume?.fromRunId ? ` in run ${o.resume.fromRunId}` : ''}; outputs restored` });
    } else if (planned.disposition.type === 'deselected') {
      skip(rc, step, state, planned.disposition.reason);
    }
  }

  // Main phase: the scheduler starts ready steps; the first failure stops new starts.
  const slots = new Map<string, SlotState>();
  for (const planned of plan.steps) if (planned.phase === 'main') slots.set(planned.id, planned.disposition.type === 'run' ? 'waiting' : 'settled');
  const running = new Map<string, Promise<void>>();
  let failedStep: string | undefined;
  let declined = false;
  let stopping = false;
  // Why `beforeStep` stopped the run (it lost its lock), if it did.
  let refused: string | undefined;
  const concurrency = o.concurrency ?? graph.runbook.concurrency;
  const onEnd = (id: string, end: StepEnd) => {
    slots.set(id, 'settled');
    queue.settle(id);
    running.delete(id);
    switch (end) {
      case 'ok':
      case 'continue':
        return;
      case 'failed':
        failedStep ??= id;
        // A dry-run shows the whole plan: a failed check is reported, its outputs become unknown.
        if (o.dryRun) rc.unknownSteps.add(id);
        else stopping = true;
        return;
      case 'declined':
        declined = true;
        stopping = true;
        return;
      case 'cancelled':
        if (!rc.signal.aborted) failedStep ??= id;
        stopping = true;
        return;
      default:
        return unreachable(end);
    }
  };
  const queue = new ReadyQueue(graph.order, effectiveNeeds(graph, plan), slots);
  for (;;) {
    if (rc.signal.aborted) stopping = true;
    if (!stopping && !o.dryRun && o.beforeStep && running.size < Math.max(1, concurrency)) {
      try {
        await o.beforeStep();
      } catch (error) {
        refused = errorMessage(error);
        stopping = true;
      }
    }
    const ready = stopping ? [] : queue.take(Math.max(1, concurrency) - running.size);
    for (const id of ready) {
      slots.set(id, 'running');
      const step = graph.steps.get(id)!;
      running.set(
        id,
        executeStep(rc, step).then(
          (end) => onEnd(id, end),
          (error: unknown) => {
            const state = rc.states.get(id)!;
            state.status = 'failed';
            state.reason = 'unknown-error';
            state.message = errorMessage(error);
            emit({ type: 'step.failed', step: id, durationMs: 0, reason: 'unknown-error', message: state.message });
            onEnd(id, 'failed');
          },
        ),
      );
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }

  const cancelled = rc.signal.aborted;
  const failedState = failedStep ? rc.states.get(failedStep) : undefined;
  const stopReason = cancelled ? 'the run was cancelled' : failedStep ? `\`${failedStep}\` failed` : declined ? 'a confirmation was declined' : refused ? 'the run stopped' : '';
  for (const [id, slot] of slots) {
    if (slot === 'waiting') skip(rc, graph.steps.get(id)!, rc.states.get(id)!, `not started: ${stopReason}`);
  }

  let status: RunStatus = cancelled ? 'cancelled' : failedStep ? 'failed' : declined ? 'not-confirmed' : o.dryRun ? 'planned' : 'succeeded';
  let error = failedState ? `step \`${stepPath(rc, failedStep!)}\` ${failureWords(failedState)}` : undefined;
  if (cancelled) error = `cancelled: ${errorMessage(rc.signal.reason)}`;
  if (refused !== undefined && !cancelled) {
    status = 'failed';
    error = error ? `${error}; and ${refused}` : refused;
  }
  if (declined && !error) {
    const refused = [...rc.states.entries()].find(([, state]) => state.reason === 'declined');
    error = refused ? `step \`${stepPath(rc, refused[0])}\` was not confirmed: ${refused[1].message ?? 'declined'}` : 'a confirmation was declined; the run stopped';
  }
  if ((status === 'not-confirmed' || status === 'cancelled') && !o.nested && !o.dryRun) {
    // Stopped half-way: say what was changed and how to take it back.
    const changed = rc.completions.filter((id) => graph.steps.get(id)?.undo !== undefined);
    if (changed.length > 0) error = `${error ?? 'the run stopped'}; ${changed.length === 1 ? 'a step' : `${changed.length} steps`} made changes (${names(changed)}): undo them with: opsctl rollback --run ${o.runId}`;
  }

  let undoErrors: UndoError[] = [];
  if (status === 'failed' && graph.runbook.onFailure === 'rollback' && !o.dryRun && refused === undefined) {
    rc.status = status;
    const undone = await rollback(rc, graph);
    undoErrors = undone.errors;
    const finish = o.nested ? '' : `; finish it with: opsctl rollback --run ${o.runId}`;
    if (undone.interrupted) {
      // Interrupted, not failed: exit 130, and the steps still to undo are named.
      status = 'cancelled';
      const { undone: done, notUndone } = undone.interrupted;
      error = `${error}; the rollback was interrupted (${errorMessage(rc.signal.reason)})${done.length ? ` after undoing ${names(done)}` : ''}${notUndone.length ? `; not undone: ${names(notUndone)}${finish}` : ''}`;
    } else if (undoErrors.length > 0) {
      error = `${error}; and the rollback failed too: ${undoErrors.map((u) => `undo of \`${u.step}\`: ${u.message}`).join('; ')}${finish.replace('finish it', 'once the cause is fixed, finish it')}`;
    }
  }

  // Finally steps always run, with a signal of their own: a cancelled run still cleans up.
  rc.status = status;
  rc.signal = o.nested ? rc.signal : new AbortController().signal;
  for (const step of graph.finally) {
    const planned = plan.steps.find((p) => p.id === step.id && p.phase === 'finally');
    if (planned?.disposition.type !== 'run') continue;
    const end = await executeStep(rc, step);
    if (end === 'failed' && (status === 'succeeded' || status === 'planned')) {
      status = 'failed';
      failedStep = step.id;
      error = `finally step \`${stepPath(rc, step.id)}\` failed: ${rc.states.get(step.id)!.message ?? ''}`;
    }
  }

  return finish(status, { ...(failedStep ? { failedStep } : {}), ...(error ? { error } : {}), undoErrors });
}

function names(ids: readonly string[]): string {
  return ids.map((id) => `\`${id}\``).join(', ');
}

/** `failed: …`, or `timed out after 15m: …` (a timeout's message starts with those words). */
function failureWords(state: StepState): string {
  const message = state.message ?? state.reason ?? '';
  if (state.status !== 'timed-out') return `failed: ${message}`;
  return message.startsWith('timed out') ? message : `timed out: ${message}`;
}

function redactParams(o: RunOptions): Record<string, unknown> {
  const secret = new Set(o.graph.runbook.params.filter((p) => p.secret).map((p) => p.name));
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(o.params)) out[key] = secret.has(key) ? '***' : value;
  return out;
}

function stepResult(step: Step, state: StepState): StepResult {
  return {
    id: step.id,
    phase: step.phase,
    ...(step.title ? { title: step.title } : {}),
    status: state.status,
    attempts: state.attempts,
    outputs: state.outputs,
    ...(state.durationMs !== undefined ? { durationMs: state.durationMs } : {}),
    ...(state.exitCode !== undefined ? { exitCode: state.exitCode } : {}),
    ...(state.reason ? { reason: state.reason } : {}),
    ...(state.message ? { message: state.message } : {}),
    ...(state.skipReason ? { skipReason: state.skipReason } : {}),
    ...(state.undo ? { undo: state.undo } : {}),
    ...(state.undoFacts ? { undoFacts: state.undoFacts } : {}),
  };
}
