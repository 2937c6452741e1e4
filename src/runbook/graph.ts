import type { Step } from './model';

/** Pure graph helpers over main steps' `needs`; tolerant of unknown ids (rules report those). */

/** Topological order; among ready steps the one written first goes first. Cyclic steps are left out. */
export function topologicalOrder(steps: readonly Step[]): string[] {
  const index = new Map(steps.map((step, i) => [step.id, i]));
  const pending = new Map(steps.map((step) => [step.id, new Set(step.needs.filter((n) => index.has(n)))]));
  const order: string[] = [];
  for (;;) {
    let next: string | undefined;
    for (const step of steps) {
      const waiting = pending.get(step.id);
      if (waiting && waiting.size === 0) {
        next = step.id;
        break;
      }
    }
    if (next === undefined) return order;
    pending.delete(next);
    order.push(next);
    for (const waiting of pending.values()) waiting.delete(next);
  }
}

/** id → every step it depends on, directly or through its ancestors. */
export function ancestorsOf(steps: readonly Step[]): Map<string, Set<string>> {
  const byId = new Map(steps.map((step) => [step.id, step]));
  const memo = new Map<string, Set<string>>();
  const visit = (id: string, trail: Set<string>): Set<string> => {
    const known = memo.get(id);
    if (known) return known;
    const result = new Set<string>();
    if (trail.has(id)) return result;
    trail.add(id);
    for (const need of byId.get(id)?.needs ?? []) {
      if (!byId.has(need)) continue;
      result.add(need);
      for (const a of visit(need, trail)) result.add(a);
    }
    trail.delete(id);
    memo.set(id, result);
    return result;
  };
  for (const step of steps) visit(step.id, new Set());
  return memo;
}

/** Each elementary cycle once, as ids in `needs` order, starting at the step written first. */
export function findCycles(steps: readonly Step[]): string[][] {
  const byId = new Map(steps.map((step) => [step.id, step]));
  const index = new Map(steps.map((step, i) => [step.id, i]));
  const cycles: string[][] = [];
  const seen = new Set<string>();
  const done = new Set<string>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const visit = (id: string): void => {
    stack.push(id);
    onStack.add(id);
    for (const need of byId.get(id)?.needs ?? []) {
      // A step that needs itself is reported by `needs-self`, not as a cycle.
      if (!byId.has(need) || need === id) continue;
      if (onStack.has(need)) {
        const cycle = stack.slice(stack.indexOf(need));
        const first = cycle.reduce((a, b) => ((index.get(a) ?? 0) <= (index.get(b) ?? 0) ? a : b));
        const rotated = [...cycle.slice(cycle.indexOf(first)), ...cycle.slice(0, cycle.indexOf(first))];
        const key = [...rotated].sort().join('\u0000');
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push(rotated);
        }
      } else if (!done.has(need)) visit(need);
    }
    stack.pop();
    onStack.delete(id);
    done.add(id);
  };
  for (const step of steps) if (!done.has(step.id)) visit(step.id);
  return cycles;
}
