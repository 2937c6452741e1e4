import type { EventSink, RunEvent, StepStatus } from '../engine/events';

/** What a checklist needs to know of one step after the run: its end, outputs and stdout. */
export interface StepRecord {
  readonly status: StepStatus;
  readonly outputs: Readonly<Record<string, unknown>>;
  readonly stdout: string;
  /** Failure message, or the reason a step was skipped. */
  readonly message?: string;
}

export interface StepCollector {
  readonly sink: EventSink;
  readonly records: ReadonlyMap<string, StepRecord>;
  /** Start and end of the run as the events tell them. */
  readonly run: { startedAt?: string; finishedAt?: string; runId?: string; status?: string };
}

/** Keeps at most this much stdout per step: checks print a few lines; the tail is what matters. */
const MAX_STDOUT = 64 * 1024;

/** An EventSink that records each top-level step's end, for the checklist verdicts. */
export function collectSteps(): StepCollector {
  const records = new Map<string, StepRecord>();
  const run: StepCollector['run'] = {};
  const update = (step: string, patch: Partial<StepRecord>): void => {
    if (step.includes('/')) return; // a step of a called runbook: the caller's step is the item
    const previous: StepRecord = records.get(step) ?? { status: 'pending', outputs: {}, stdout: '' };
    records.set(step, { ...previous, ...patch });
  };
  const sink: EventSink = {
    emit(event: RunEvent): void {
      switch (event.type) {
        case 'run.started':
          run.startedAt = event.ts;
          run.runId = event.runId;
          return;
        case 'run.finished':
          run.finishedAt = event.ts;
          run.status = event.status;
          return;
        case 'step.planned':
          return update(event.step, { status: 'planned' });
        case 'step.started':
          return update(event.step, { status: 'running' });
        case 'step.output': {
          if (event.stream !== 'stdout' || event.step.includes('/')) return;
          const previous = records.get(event.step)?.stdout ?? '';
          const text = previous + event.text + (event.text.endsWith('\n') ? '' : '\n');
          return update(event.step, { stdout: text.length > MAX_STDOUT ? text.slice(-MAX_STDOUT) : text });
        }
        case 'step.succeeded':
          return update(event.step, { status: 'succeeded', outputs: event.outputs });
        case 'step.failed':
          return update(event.step, { status: 'failed', message: event.message });
        case 'step.timed-out':
          return update(event.step, { status: 'timed-out', message: `timed out after ${Math.round(event.timeoutMs / 1000)} s` });
        case 'step.cancelled':
          return update(event.step, { status: 'cancelled', message: 'cancelled' });
        case 'step.skipped':
          return update(event.step, { status: 'skipped', message: event.reason });
        case 'step.declined':
          // Not a failed check: nobody confirmed it (no terminal, or a person said no).
          return update(event.step, { status: 'awaiting-confirmation', message: event.reason });
        default:
          return;
      }
    },
  };
  return { sink, records, run };
}
