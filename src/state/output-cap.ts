import type { RunEvent } from '../engine/events';

export type OutputEvent = Extract<RunEvent, { type: 'step.output' | 'step.progress' }>;

export interface OutputCapLimits {
  /** Characters kept from the start and from the end of each step's output. */
  readonly headChars: number;
  readonly tailChars: number;
  /** Lines kept at each end: short lines cost mostly JSON envelope, so characters alone do not bound a journal. */
  readonly maxLines: number;
}

interface StepOutput {
  headUsed: number;
  headLines: number;
  /** The kept tail is `tail.slice(tailStart)`: dropping from the front is O(1), compacted now and then. */
  tail: OutputEvent[];
  tailStart: number;
  tailUsed: number;
  droppedLines: number;
  droppedChars: number;
  firstDropped?: { readonly seq: number; readonly ts: string };
}

const KiB = 1024;

/**
 * Bounds what a journal keeps of each step's output: the first lines pass through at once, the
 * last ones wait in a window until the step ends, everything between is counted and dropped.
 * Pure bookkeeping: no I/O, no redaction.
 */
export class OutputCap {
  readonly #limits: OutputCapLimits;
  readonly #steps = new Map<string, StepOutput>();

  constructor(limits: OutputCapLimits) {
    this.#limits = limits;
  }

  /** True when the line belongs to the kept head (write it now); otherwise the cap holds it. */
  admit(event: OutputEvent): boolean {
    const size = textOf(event).length;
    let state = this.#steps.get(event.step);
    if (!state) {
      state = { headUsed: 0, headLines: 0, tail: [], tailStart: 0, tailUsed: 0, droppedLines: 0, droppedChars: 0 };
      this.#steps.set(event.step, state);
    }
    const { headChars, tailChars, maxLines } = this.#limits;
    if (state.headUsed + size <= headChars && state.headLines < maxLines && state.tail.length === state.tailStart) {
      state.headUsed += size;
      state.headLines += 1;
      return true;
    }
    state.tail.push(event);
    state.tailUsed += size;
    while ((state.tailUsed > tailChars || state.tail.length - state.tailStart > maxLines) && state.tailStart < state.tail.length) {
      const dropped = state.tail[state.tailStart] as OutputEvent;
      state.tailStart += 1;
      const droppedSize = textOf(dropped).length;
      state.tailUsed -= droppedSize;
      state.droppedLines += 1;
      state.droppedChars += droppedSize;
      state.firstDropped ??= { seq: dropped.seq, ts: dropped.ts };
    }
    if (state.tailStart > 1024 && state.tailStart * 2 > state.tail.length) {
      state.tail = state.tail.slice(state.tailStart);
      state.tailStart = 0;
    }
    return false;
  }

  /** At the end of a step (or attempt): a `log` note of what was dropped, if anything, then the kept tail. */
  release(step: string, runId: string): RunEvent[] {
    const state = this.#steps.get(step);
    if (!state) return [];
    this.#steps.delete(step);
    const out: RunEvent[] = [];
    if (state.droppedLines > 0) {
      const { headChars, maxLines } = this.#limits;
      out.push({
        type: 'log',
        step,
        level: 'warn',
        message: `output truncated: ${state.droppedLines} line${state.droppedLines === 1 ? '' : 's'} (${formatSize(state.droppedChars)}) not journaled; the first and the last ${formatSize(headChars)} (at most ${maxLines} lines each) are kept`,
        runId,
        // The note sits where the gap is.
        seq: state.firstDropped?.seq ?? 0,
        ts: state.firstDropped?.ts ?? new Date().toISOString(),
      });
    }
    for (let i = state.tailStart; i < state.tail.length; i++) out.push(state.tail[i] as OutputEvent);
    return out;
  }

  /** Steps still holding a tail (to release them all at close). */
  steps(): string[] {
    return [...this.#steps.keys()];
  }
}

export function textOf(event: OutputEvent): string {
  return event.type === 'step.output' ? event.text : event.message;
}

function formatSize(chars: number): string {
  if (chars < KiB) return `${chars} B`;
  if (chars < KiB * KiB) return `${(chars / KiB).toFixed(chars < 10 * KiB ? 1 : 0)} KiB`;
  return `${(chars / KiB / KiB).toFixed(1)} MiB`;
}
