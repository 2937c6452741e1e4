import { editDistance } from '../util/edit-distance';
import type { AdapterRegistry, Effect } from '../adapters/types';
import type { Step, StepGraph } from '../runbook/model';

/** Which steps a run carries out, which ask for a confirmation, and why the others do not run. */
export interface RunPlan {
  readonly steps: readonly PlannedStep[];
  /** Every gate of the run, known before the first side effect (DESIGN.md §3 Confirmations). */
  readonly gates: readonly Gate[];
  /** Selection flags naming steps that do not exist, in words a person can act on. */
  readonly errors: readonly string[];
}

export type Disposition =
  | { readonly type: 'run' }
  /** Left out by `--only`, `--skip` or `--from`. */
  | { readonly type: 'deselected'; readonly reason: string }
  /** Succeeded in the run being resumed: not run again, its outputs restored. */
  | { readonly type: 'restored' };

export interface PlannedStep {
  readonly id: string;
  readonly phase: 'main' | 'finally';
  readonly kind: string;
  readonly effect: Effect;
  readonly disposition: Disposition;
  /** `when` is evaluated at run time; a gate behind it still counts up front. */
  readonly conditional: boolean;
}

/** `manual` steps need a person: without a terminal only `--approve STEP` ("done") passes them. */
export type GateSource = 'confirm-field' | 'confirm-step' | 'interrupted' | 'manual';

export interface Gate {
  readonly step: string;
  /** The message template (may hold `${{ }}`); evaluated when the gate is reached. */
  readonly message: string;
  readonly source: GateSource;
}

export interface Selection {
  readonly only?: readonly string[];
  readonly skip?: readonly string[];
  readonly from?: string;
}

export interface PlanOptions {
  readonly selection?: Selection;
  readonly completed?: ReadonlySet<string>;
  /** Steps that were running when the resumed run died. */
  readonly interrupted?: readonly string[];
  readonly rerunInterrupted?: boolean;
}

/** Pure: the same graph and options always give the same plan (snapshot-tested). */
export function planRun(graph: StepGraph, registry: AdapterRegistry, options: PlanOptions = {}): RunPlan {
  const selection = options.selection ?? {};
  const errors = selectionErrors(graph, selection);
  const fromIndex = selection.from === undefined ? -1 : graph.order.indexOf(selection.from);
  const interrupted = new Set(options.interrupted ?? []);
  const steps: PlannedStep[] = [];
  const gates: Gate[] = [];

  const add = (step: Step, disposition: Disposition) => {
    steps.push({
      id: step.id,
      phase: step.phase,
      kind: step.action.kind,
      effect: effectOf(step, registry),
      disposition,
      conditional: step.when !== undefined,
    });
    if (disposition.type !== 'run') return;
    if (interrupted.has(step.id) && !step.idempotent && !options.rerunInterrupted) {
      gates.push({ step: step.id, source: 'interrupted', message: `Step \`${step.id}\` was running when the previous run stopped. Run it again?` });
    }
    const gate = gateOf(step);
    if (gate) gates.push(gate);
  };

  graph.order.forEach((id, index) => {
    const step = graph.steps.get(id);
    if (!step) return;
    add(step, mainDisposition(step, index, fromIndex, selection, options.completed));
  });
  for (const step of graph.finally) {
    add(step, options.completed?.has(step.id) ? { type: 'restored' } : { type: 'run' });
  }
  return { steps, gates, errors };
}

function mainDisposition(step: Step, index: number, fromIndex: number, selection: Selection, completed?: ReadonlySet<string>): Disposition {
  if (completed?.has(step.id)) return { type: 'restored' };
  if (selection.only && selection.only.length > 0 && !selection.only.includes(step.id)) {
    return { type: 'deselected', reason: 'not selected by --only' };
  }
  if (selection.skip?.includes(step.id)) return { type: 'deselected', reason: 'skipped by --skip' };
  if (fromIndex > 0 && index < fromIndex) return { type: 'deselected', reason: `before --from ${selection.from}` };
  return { type: 'run' };
}

/**
 * The needs the scheduler waits for: a step left out by `--skip`, `--only` or `--from` is not done
 * at t=0, it passes its own needs on to its dependents (transitively), so the steps after it still
 * wait for the ones before it, and do not start when one of those fails.
 */
export function effectiveNeeds(graph: StepGraph, plan: RunPlan): (id: string) => readonly string[] {
  const deselected = new Set(plan.steps.filter((p) => p.phase === 'main' && p.disposition.type === 'deselected').map((p) => p.id));
  const memo = new Map<string, readonly string[]>();
  const resolve = (id: string, seen: Set<string>): readonly string[] => {
    const cached = memo.get(id);
    if (cached) return cached;
    const out = new Set<string>();
    for (const dep of graph.steps.get(id)?.needs ?? []) {
      if (!deselected.has(dep)) out.add(dep);
      else if (!seen.has(dep)) {
        seen.add(dep);
        for (const inherited of resolve(dep, seen)) out.add(inherited);
      }
    }
    const list = [...out];
    memo.set(id, list);
    return list;
  };
  return (id) => resolve(id, new Set([id]));
}

export function gateOf(step: Step): Gate | undefined {
  if (step.action.kind === 'confirm') {
    return { step: step.id, source: 'confirm-step', message: confirmMessage(step.action.input) };
  }
  if (step.confirm !== undefined) return { step: step.id, source: 'confirm-field', message: step.confirm };
  if (step.action.kind === 'manual') return { step: step.id, source: 'manual', message: confirmMessage(step.action.input) };
  return undefined;
}

/** A `confirm` action's message: `confirm: TEXT` normalizes to `{ message: TEXT }`. */
export function confirmMessage(input: Readonly<Record<string, unknown>>): string {
  for (const key of ['message', 'text', 'prompt']) {
    const value = input[key];
    if (typeof value === 'string') return value;
  }
  return 'Continue?';
}

export function effectOf(step: Step, registry: AdapterRegistry): Effect {
  if (step.action.kind === 'confirm') return 'read';
  const definition = registry.get(step.action.kind);
  // An action the registry does not know is treated as a write: dry-run must never perform it.
  if (!definition) return 'write';
  try {
    return definition.effect(step.action.input, step);
  } catch {
    return 'write';
  }
}

function selectionErrors(graph: StepGraph, selection: Selection): string[] {
  const errors: string[] = [];
  const known = new Set([...graph.order, ...graph.finally.map((step) => step.id)]);
  const check = (flag: string, id: string) => {
    if (known.has(id)) return;
    const suggestion = closest(id, [...known]);
    errors.push(`${flag} ${id}: runbook \`${graph.runbook.name}\` has no step \`${id}\`${suggestion ? ` (did you mean \`${suggestion}\`?)` : ''}`);
  };
  for (const id of selection.only ?? []) check('--only', id);
  for (const id of selection.skip ?? []) check('--skip', id);
  if (selection.from !== undefined) {
    if (!graph.order.includes(selection.from) && known.has(selection.from)) {
      errors.push(`--from ${selection.from}: \`${selection.from}\` is a finally step; --from takes a main step`);
    } else check('--from', selection.from);
  }
  return errors;
}

/** Which of the plan's gates are not passed by `--yes` / `--approve`. */
export function unapprovedGates(plan: RunPlan, approvals: { readonly yes: boolean; readonly approve: readonly string[] }, pathOf: (step: string) => string = (step) => step): Gate[] {
  return plan.gates.filter((gate) => !approvals.approve.includes(pathOf(gate.step)) && (gate.source === 'manual' || !approvals.yes));
}

/** `--approve X` naming a step without a gate is a mistake worth stopping for. */
export function approveErrors(plan: RunPlan, approve: readonly string[]): string[] {
  const gated = new Set(plan.gates.map((gate) => gate.step));
  return approve
    .filter((id) => !gated.has(id) && !id.includes('/'))
    .map((id) => {
      const exists = plan.steps.some((step) => step.id === id);
      return exists
        ? `--approve ${id}: step \`${id}\` has no confirmation to approve`
        : `--approve ${id}: there is no step \`${id}\`${closestSuffix(id, plan.gates.map((gate) => gate.step))}`;
    });
}

function closestSuffix(id: string, candidates: string[]): string {
  const suggestion = closest(id, candidates);
  return suggestion ? ` (did you mean \`${suggestion}\`?)` : '';
}

export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
