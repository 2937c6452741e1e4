/**
 * Pure scheduling: given where each step is, which ones may start now. Ready steps start in list
 * (topological) order, up to `concurrency` at once; a step is ready when every step it `needs`
 * has settled (succeeded, skipped, planned, restored, or failed with `on_failure: continue`).
 */
export type SlotState = 'waiting' | 'running' | 'settled';

export interface SchedulerInput {
  readonly order: readonly string[];
  readonly needs: (id: string) => readonly string[];
  readonly state: ReadonlyMap<string, SlotState>;
  readonly concurrency: number;
  /** After a failure or cancellation nothing new starts. */
  readonly stopping: boolean;
}

export function readySteps(input: SchedulerInput): string[] {
  if (input.stopping) return [];
  let running = 0;
  for (const state of input.state.values()) if (state === 'running') running++;
  const free = Math.max(0, Math.max(1, input.concurrency) - running);
  const ready: string[] = [];
  for (const id of input.order) {
    if (ready.length >= free) break;
    if ((input.state.get(id) ?? 'waiting') !== 'waiting') continue;
    if (input.needs(id).every((dep) => (input.state.get(dep) ?? 'settled') === 'settled')) ready.push(id);
  }
  return ready;
}

/** True when nothing is running and nothing more can start. */
export function isDrained(input: SchedulerInput): boolean {
  for (const state of input.state.values()) if (state === 'running') return false;
  return readySteps(input).length === 0;
}

/**
 * The engine's incremental form of `readySteps` (same decisions: ready steps start in list
 * order, up to the free slots). Each waiting step keeps a count of its needs not settled yet, so
 * settling a step costs O(its dependents) and a round O(steps started): a scan of every step per
 * round made a run of 10,000 steps O(n²).
 */
export class ReadyQueue {
  readonly #index = new Map<string, number>();
  readonly #blocked = new Map<string, number>();
  readonly #dependents = new Map<string, string[]>();
  /** Order positions of waiting steps whose needs have all settled, ascending. */
  readonly #ready: number[] = [];
  readonly #order: readonly string[];

  constructor(order: readonly string[], needs: (id: string) => readonly string[], state: ReadonlyMap<string, SlotState>) {
    this.#order = order;
    order.forEach((id, i) => this.#index.set(id, i));
    order.forEach((id, i) => {
      if ((state.get(id) ?? 'waiting') !== 'waiting') return;
      let blocked = 0;
      for (const dep of needs(id)) {
        if ((state.get(dep) ?? 'settled') === 'settled') continue;
        blocked++;
        const list = this.#dependents.get(dep);
        if (list) list.push(id);
        else this.#dependents.set(dep, [id]);
      }
      if (blocked === 0) this.#ready.push(i);
      else this.#blocked.set(id, blocked);
    });
  }

  /** Up to `free` ready steps, in list order; they count as started. */
  take(free: number): string[] {
    return this.#ready.splice(0, Math.max(0, free)).map((i) => this.#order[i]!);
  }

  /** A step settled: the steps that waited only on it become ready. */
  settle(id: string): void {
    for (const dependent of this.#dependents.get(id) ?? []) {
      const left = (this.#blocked.get(dependent) ?? 1) - 1;
      if (left > 0) {
        this.#blocked.set(dependent, left);
        continue;
      }
      this.#blocked.delete(dependent);
      const at = this.#index.get(dependent)!;
      let lo = 0;
      let hi = this.#ready.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.#ready[mid]! < at) lo = mid + 1;
        else hi = mid;
      }
      this.#ready.splice(lo, 0, at);
    }
    this.#dependents.delete(id);
  }
}
