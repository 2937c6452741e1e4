import type { Step } from './model';

/** Pure graph helpers over main steps' `needs`; tolerant of unknown ids (rules report those). */

/** Topological order; among ready steps the one written first goes first. Cyclic steps are left out. */
export function topologicalOrder(steps: readonly Step[]): string[] {
  const index = new Map(steps.map((step, i) => [step.id, i]));
  const waiting = steps.map((step) => new Set(step.needs.filter((n) => index.has(n) && n !== step.id)).size);
  const dependents: number[][] = steps.map(() => []);
  steps.forEach((step, i) => {
    for (const need of new Set(step.needs)) {
      const j = index.get(need);
      if (j !== undefined && need !== step.id) dependents[j]?.push(i);
    }
  });
  const ready = new MinHeap();
  waiting.forEach((count, i) => count === 0 && ready.push(i));
  const order: string[] = [];
  const done = new Set<string>();
  for (let i = ready.pop(); i !== undefined; i = ready.pop()) {
    const step = steps[i] as Step;
    if (done.has(step.id)) continue;
    done.add(step.id);
    order.push(step.id);
    for (const j of dependents[i] ?? []) {
      waiting[j] = (waiting[j] ?? 0) - 1;
      if (waiting[j] === 0) ready.push(j);
    }
  }
  return order;
}

/**
 * id → every step it depends on, directly or through its ancestors. Kept as bit sets: a chain
 * of 1,000 steps has half a million ancestor pairs, which plain Sets build slowly.
 */
export function ancestorsOf(steps: readonly Step[]): Map<string, ReadonlySet<string>> {
  const ids = [...new Set(steps.map((s) => s.id))];
  const index = new Map(ids.map((id, i) => [id, i]));
  const words = Math.ceil(ids.length / 32) || 1;
  const byId = new Map(steps.map((s) => [s.id, s]));
  const bits = new Map<string, Uint32Array>();
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string): Uint32Array | undefined => {
    const seen = state.get(id);
    if (seen === 'done') return bits.get(id);
    if (seen === 'visiting') return undefined; // a cycle: reported by its own rule
    state.set(id, 'visiting');
    const own = new Uint32Array(words);
    for (const need of byId.get(id)?.needs ?? []) {
      const j = index.get(need);
      if (j === undefined || need === id) continue;
      const theirs = visit(need);
      if (theirs) for (let w = 0; w < words; w++) own[w] = (own[w] ?? 0) | (theirs[w] ?? 0);
      own[j >> 5] = (own[j >> 5] ?? 0) | (1 << (j & 31));
    }
    bits.set(id, own);
    state.set(id, 'done');
    return own;
  };
  // Visit in an order where needs come first, so the recursion stays shallow on long chains.
  for (const id of [...topologicalOrder(steps), ...ids]) visit(id);
  const out = new Map<string, ReadonlySet<string>>();
  for (const id of ids) out.set(id, new BitSetView(bits.get(id) ?? new Uint32Array(words), ids, index));
  return out;
}

/** A read-only Set of ids backed by a bit set. */
class BitSetView implements ReadonlySet<string> {
  constructor(
    private readonly bits: Uint32Array,
    private readonly ids: readonly string[],
    private readonly index: ReadonlyMap<string, number>,
  ) {}

  has(id: string): boolean {
    const i = this.index.get(id);
    return i !== undefined && ((this.bits[i >> 5] ?? 0) & (1 << (i & 31))) !== 0;
  }

  get size(): number {
    let count = 0;
    for (const word of this.bits) {
      let w = word;
      while (w) {
        w &= w - 1;
        count++;
      }
    }
    return count;
  }

  *values(): SetIterator<string> {
    for (let i = 0; i < this.ids.length; i++) if (((this.bits[i >> 5] ?? 0) & (1 << (i & 31))) !== 0) yield this.ids[i] as string;
  }

  keys(): SetIterator<string> {
    return this.values();
  }

  *entries(): SetIterator<[string, string]> {
    for (const id of this.values()) yield [id, id];
  }

  [Symbol.iterator](): SetIterator<string> {
    return this.values();
  }

  forEach(fn: (value: string, key: string, set: ReadonlySet<string>) => void, thisArg?: unknown): void {
    for (const id of this.values()) fn.call(thisArg, id, id, this);
  }
}

class MinHeap {
  private readonly items: number[] = [];

  push(value: number): void {
    const items = this.items;
    items.push(value);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((items[parent] as number) <= value) break;
      items[i] = items[parent] as number;
      i = parent;
    }
    items[i] = value;
  }

  pop(): number | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= items.length) break;
      const right = left + 1;
      const child = right < items.length && (items[right] as number) < (items[left] as number) ? right : left;
      if ((items[child] as number) >= last) break;
      items[i] = items[child] as number;
      i = child;
    }
    items[i] = last;
    return top;
  }
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
