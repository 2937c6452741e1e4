import { ancestorsOf, topologicalOrder } from './graph';
import type { Runbook, Step, StepGraph } from './model';

/** The checked runbook as a graph: topological order keeping list order, dependents, ancestors. */
export function compileGraph(runbook: Runbook, ancestors: ReadonlyMap<string, ReadonlySet<string>> = ancestorsOf(runbook.steps)): StepGraph {
  const steps = new Map<string, Step>();
  for (const step of [...runbook.steps, ...runbook.finally]) steps.set(step.id, step);
  const dependents = new Map<string, string[]>(runbook.steps.map((s) => [s.id, []]));
  for (const step of runbook.steps) for (const need of step.needs) dependents.get(need)?.push(step.id);
  return {
    runbook,
    order: topologicalOrder(runbook.steps),
    steps,
    dependents,
    ancestors,
    finally: runbook.finally,
  };
}
