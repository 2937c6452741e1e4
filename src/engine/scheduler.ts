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
