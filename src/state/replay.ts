import type { RunEvent, RunStatus, StepStatus } from '../engine/events';

/** What a journal says about one step, after replaying its events. */
export interface ReplayedStep {
  readonly id: string;
  status: StepStatus;
  attempts: number;
  outputs: Readonly<Record<string, unknown>>;
  exitCode?: number;
  durationMs?: number;
  undoFacts?: Readonly<Record<string, unknown>>;
  message?: string;
  startedAt?: string;
  endedAt?: string;
}

export interface ReplayedRun {
  /** Top-level steps in the order they first appeared; steps of called runbooks (`a/b`) are left out. */
  readonly steps: ReadonlyMap<string, ReplayedStep>;
  /** From `run.finished`; undefined when the process died before it. */
  readonly finished?: { readonly status: RunStatus; readonly error?: string; readonly failedStep?: string; readonly at: string };
  readonly started?: Extract<RunEvent, { type: 'run.started' }>;
}

/** Replays a run's journal into per-step states. Pure; tolerant of events in any order of seq. */
export function replay(events: readonly RunEvent[]): ReplayedRun {
  const steps = new Map<string, ReplayedStep>();
  let finished: ReplayedRun['finished'];
  let started: ReplayedRun['started'];
  const get = (id: string): ReplayedStep | undefined => {
    if (id.includes('/')) return undefined;
    let step = steps.get(id);
    if (!step) {
      step = { id, status: 'pending', attempts: 0, outputs: {} };
      steps.set(id, step);
    }
    return step;
  };
  for (const event of [...events].sort((a, b) => a.seq - b.seq)) {
    switch (event.type) {
      case 'run.started':
        started = event;
        break;
      case 'run.finished':
        finished = { status: event.status, at: event.ts, ...(event.error ? { error: event.error } : {}), ...(event.failedStep ? { failedStep: event.failedStep } : {}) };
        break;
      case 'step.planned': {
        const step = get(event.step);
        if (step) step.status = 'planned';
        break;
      }
      case 'step.skipped': {
        const step = get(event.step);
        if (step) {
          step.status = 'skipped';
          step.message = event.reason;
        }
        break;
      }
      case 'step.awaiting-confirmation': {
        const step = get(event.step);
        if (step) step.status = 'awaiting-confirmation';
        break;
      }
      case 'step.started': {
        const step = get(event.step);
        if (step) {
          step.status = 'running';
          step.attempts = Math.max(step.attempts, event.attempt);
          step.startedAt ??= event.ts;
        }
        break;
      }
      case 'step.succeeded': {
        const step = get(event.step);
        if (step) {
          step.status = 'succeeded';
          step.outputs = event.outputs;
          step.durationMs = event.durationMs;
          step.endedAt = event.ts;
          if (event.exitCode !== undefined) step.exitCode = event.exitCode;
          if (event.undoFacts) step.undoFacts = event.undoFacts;
        }
        break;
      }
      case 'step.failed': {
        const step = get(event.step);
        if (step) {
          step.status = 'failed';
          step.durationMs = event.durationMs;
          step.message = event.message;
          step.endedAt = event.ts;
          if (event.exitCode !== undefined) step.exitCode = event.exitCode;
          if (event.outputs) step.outputs = event.outputs;
          // It changed something before failing (a deploy whose wait failed): it can be undone.
          if (event.undoFacts) step.undoFacts = event.undoFacts;
        }
        break;
      }
      case 'step.timed-out': {
        const step = get(event.step);
        if (step) {
          step.status = 'timed-out';
          step.durationMs = event.durationMs;
          step.endedAt = event.ts;
          if (event.message) step.message = event.message;
          if (event.outputs) step.outputs = event.outputs;
          if (event.undoFacts) step.undoFacts = event.undoFacts;
        }
        break;
      }
      case 'step.cancelled': {
        const step = get(event.step);
        if (step) {
          step.status = 'cancelled';
          step.durationMs = event.durationMs;
          step.endedAt = event.ts;
        }
        break;
      }
      case 'step.rolling-back':
      case 'step.rolled-back':
      case 'step.rollback-failed': {
        const step = get(event.step);
        if (step) {
          step.status = event.type === 'step.rolling-back' ? 'rolling-back' : event.type === 'step.rolled-back' ? 'rolled-back' : 'rollback-failed';
          if (event.type === 'step.rollback-failed') step.message = event.message;
        }
        break;
      }
      case 'step.declined': {
        const step = get(event.step);
        if (step) step.message = event.reason;
        break;
      }
      case 'step.confirmed':
      case 'step.retrying':
      case 'step.output':
      case 'step.progress':
      case 'log':
        break;
    }
  }
  return { steps, ...(finished ? { finished } : {}), ...(started ? { started } : {}) };
}

/** Steps that were mid-flight when the journal stops: running, or cancelled by a signal. */
export function interruptedSteps(run: ReplayedRun): string[] {
  const out: string[] = [];
  for (const step of run.steps.values()) {
    if (step.status === 'running' || step.status === 'cancelled') out.push(step.id);
  }
  return out;
}
