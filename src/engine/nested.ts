import type { ActionOutcome } from '../adapters/types';
import type { StepGraph } from '../runbook/model';
import { errorMessage } from '../util/errors';
import type { RunResult } from './engine';
import { applyParams } from './params';
import { planRun, type Gate } from './plan';
import { stepPath, type RunContext, type RunOptions } from './run-context';

/**
 * Gates inside runbooks this run calls by a literal name (`runbook: { name: child }`), or by one
 * made from params/vars only, as `call/gate`, so a run without a terminal stops before its first
 * side effect for them too.
 */
export async function nestedGates(
  o: RunOptions,
  graph: StepGraph,
  ids: readonly string[],
  depth: number,
  seen: ReadonlySet<string>,
  /** For the top run: a name built from params/vars (`${{ params.which }}`) evaluated now; undefined when it depends on outputs. */
  resolveName?: (text: string) => string | undefined,
): Promise<Gate[]> {
  if (!o.loadRunbook || depth > 8) return [];
  const gates: Gate[] = [];
  for (const id of ids) {
    const step = graph.steps.get(id) ?? graph.finally.find((s) => s.id === id);
    const written = step?.action.kind === 'runbook' ? step.action.input.name : undefined;
    const name = typeof written === 'string' && written.includes('${{') ? resolveName?.(written) : written;
    if (typeof name !== 'string' || name.includes('${{') || seen.has(name)) continue;
    let child: StepGraph;
    try {
      child = await o.loadRunbook(name);
    } catch {
      continue; // reported when the step runs
    }
    const childPlan = planRun(child, o.registry);
    const inner = await nestedGates(o, child, childPlan.steps.map((s) => s.id), depth + 1, new Set([...seen, name]));
    for (const gate of [...childPlan.gates, ...inner]) gates.push({ ...gate, step: `${id}/${gate.step}` });
  }
  return gates;
}

export async function runChild(rc: RunContext, run: (options: RunOptions) => Promise<RunResult>, parent: string, name: string, params: Readonly<Record<string, unknown>>, signal: AbortSignal): Promise<ActionOutcome> {
  const o = rc.options;
  const path = stepPath(rc, parent);
  if (!o.loadRunbook) return { type: 'failure', reason: 'invalid-input', message: 'this run cannot call other runbooks (no runbook loader)' };
  let graph;
  try {
    graph = await o.loadRunbook(name);
  } catch (error) {
    return { type: 'failure', reason: 'invalid-input', message: `runbook \`${name}\` could not be loaded: ${errorMessage(error)}` };
  }
  const applied = applyParams(graph.runbook.params, params, name);
  if (!applied.ok) {
    const problems = [...applied.missing.map((spec) => `param \`${spec.name}\` is required`), ...applied.invalid];
    return { type: 'failure', reason: 'invalid-input', message: `runbook \`${name}\`: ${problems.join('; ')}` };
  }
  const { selection: _selection, resume: _resume, beforeFirstSideEffect: _before, concurrency: _concurrency, ...inherited } = o;
  const result = await run({ ...inherited, graph, params: applied.values, signal, nested: { emit: rc.emit, prefix: parent, path } });
  const steps: Record<string, unknown> = {};
  for (const step of result.steps) steps[step.id] = { status: step.status, outputs: step.outputs };
  if (result.status === 'succeeded' || result.status === 'planned') return { type: 'success', outputs: { status: result.status, steps } };
  const reason = result.status === 'not-confirmed' ? 'declined' : result.status === 'cancelled' ? 'cancelled' : 'runbook-failed';
  return { type: 'failure', reason, message: `runbook \`${name}\` ${result.status}${result.error ? `: ${result.error}` : ''}`, outputs: { status: result.status, steps } };
}
