import type { AdapterRegistry } from '../adapters/types';
import type { Action, RetryPolicy, Step, StepGraph } from '../runbook/model';
import { ancestorsOf } from '../runbook/graph';
import { errorMessage } from '../util/errors';
import type { CompletedStep } from './resume-source';

export interface UndoGraph {
  readonly graph: StepGraph;
  /** Steps of the original run, restored (not run) so undo inputs can read `steps.X.outputs`. */
  readonly restored: Readonly<Record<string, CompletedStep>>;
  /** Undo steps in the order they run (most recently completed first). */
  readonly undo: readonly { readonly id: string; readonly of: string }[];
  /** Succeeded steps that are not undone, and why. */
  readonly notUndone: readonly { readonly step: string; readonly why: string }[];
}

const NO_RETRY: RetryPolicy = { attempts: 1, delayMs: 0, backoff: 1, jitter: 0, on: { any: false, exitCodes: [], timeout: false, errorKinds: [] } };

/**
 * `rollback --run RUN_ID` as a step graph the engine runs like any other: the original run's
 * succeeded steps restored (their outputs readable), then one step per undo, in reverse order of
 * completion, each after the one before. A failed undo stops the rollback (the run fails, naming
 * it); running `rollback --run` again, once the cause is fixed, goes on without repeating the undos
 * that succeeded (`alreadyUndone`). `undo: auto`
 * becomes the concrete inverse the adapter computes from the journaled undo facts. The first undo
 * carries the one confirmation of the rollback.
 */
export async function buildUndoGraph(
  original: StepGraph,
  completed: Readonly<Record<string, CompletedStep>>,
  completionOrder: readonly string[],
  registry: AdapterRegistry,
  runId: string,
  /** Steps whose undo already succeeded in an earlier (failed) rollback of the run: step → that run. */
  alreadyUndone: ReadonlyMap<string, string> = new Map(),
): Promise<UndoGraph> {
  const restoredSteps: Step[] = [];
  const restored: Record<string, CompletedStep> = {};
  for (const id of completionOrder) {
    const step = original.steps.get(id);
    const done = completed[id];
    if (!step || !done) continue;
    // A restored `finally` step stays restored: the rollback runs only its undos, never the
    // original run's clean-up or notifications again.
    restoredSteps.push({ ...step, phase: 'main', needs: [] });
    restored[id] = done;
  }

  const taken = new Set(original.steps.keys());
  const undoSteps: Step[] = [];
  const undo: { id: string; of: string }[] = [];
  const notUndone: { step: string; why: string }[] = [];
  for (const id of [...completionOrder].reverse()) {
    const step = original.steps.get(id);
    const done = completed[id];
    if (!step || !done) continue;
    const undoneBy = alreadyUndone.get(id);
    if (undoneBy) {
      notUndone.push({ step: id, why: `already undone by run ${undoneBy}` });
      continue;
    }
    const action = await undoAction(step, done, registry);
    if (typeof action === 'string') {
      if (action !== '') notUndone.push({ step: id, why: action });
      continue;
    }
    let undoId = `undo-${id}`;
    for (let n = 2; taken.has(undoId); n++) undoId = `undo-${id}-${n}`;
    taken.add(undoId);
    const previous = undoSteps.at(-1);
    undoSteps.push({
      id: undoId,
      title: `Undo ${step.title ?? step.id}`,
      phase: 'main',
      action,
      needs: previous ? [previous.id] : [],
      retry: NO_RETRY,
      onFailure: 'abort',
      idempotent: false,
      readonly: false,
      outputs: {},
      env: step.env,
      ...(step.cwd !== undefined ? { cwd: step.cwd } : {}),
      ...(step.timeoutMs !== undefined ? { timeoutMs: step.timeoutMs } : {}),
      range: step.range,
    });
    undo.push({ id: undoId, of: id });
  }
  const first = undoSteps[0];
  if (first) {
    undoSteps[0] = {
      ...first,
      confirm: `Undo ${undo.length === 1 ? 'the change' : `the ${undo.length} changes`} of run ${runId} (${undo.map((u) => u.of).join(', ')}), in this order?`,
    };
  }

  const steps = [...restoredSteps, ...undoSteps];
  const dependents = new Map<string, string[]>();
  for (const step of steps) for (const need of step.needs) dependents.set(need, [...(dependents.get(need) ?? []), step.id]);
  const runbook = original.runbook;
  const graph: StepGraph = {
    runbook: { ...runbook, title: `Undo run ${runId}: ${runbook.title}`, steps, finally: [], onFailure: 'abort', concurrency: 1 },
    order: steps.map((s) => s.id),
    steps: new Map(steps.map((s) => [s.id, s])),
    dependents,
    ancestors: ancestorsOf(steps),
    finally: [],
  };
  return { graph, restored, undo, notUndone };
}

/** The action that undoes `step`, or why there is none ('' when the step changed nothing). */
async function undoAction(step: Step, done: CompletedStep, registry: AdapterRegistry): Promise<Action | string> {
  const definition = registry.get(step.action.kind);
  if (step.undo === undefined) {
    const writes = step.readonly ? false : definition ? safeEffect(() => definition.effect(step.action.input, step)) !== 'read' : true;
    return writes ? 'it has no `undo`' : '';
  }
  if (step.undo !== 'auto') return step.undo;
  if (!definition) return `there is no \`${step.action.kind}\` action to compute its undo`;
  try {
    const impl = await definition.load();
    const inverse = impl.undo?.(step.action.input, done.undoFacts ?? {});
    if (!inverse) return `\`${step.action.kind}\` could not compute its undo from what the run recorded`;
    return { kind: inverse.kind, input: inverse.input, range: step.range };
  } catch (error) {
    return `its undo could not be computed: ${errorMessage(error)}`;
  }
}

function safeEffect(effect: () => 'read' | 'write'): 'read' | 'write' {
  try {
    return effect();
  } catch {
    return 'write';
  }
}
