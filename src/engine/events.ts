import type { Effect, FailureReason, PlanDescription } from '../adapters/types';

/** Step states of DESIGN.md §3. */
export type StepStatus =
  | 'pending'
  | 'skipped'
  | 'awaiting-confirmation'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'timed-out'
  | 'cancelled'
  | 'planned'
  | 'rolling-back'
  | 'rolled-back'
  | 'rollback-failed';

export type RunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled' | 'not-confirmed' | 'planned';

/**
 * Every transition of a run is one of these, sent to the renderer and the journal alike.
 * `step` is a path: a step of a called runbook is `call/inner`. The NDJSON output (`--output json`)
 * prints exactly these objects, one per line; docs/events.md documents the schema.
 */
export type RunEventBody =
  | { readonly type: 'run.started'; readonly runbook: string; readonly title: string; readonly dryRun: boolean; readonly params: Readonly<Record<string, unknown>>; readonly environment?: string; readonly resumedFrom?: string }
  | { readonly type: 'step.planned'; readonly step: string; readonly title?: string; readonly effect: Effect; readonly plan: PlanDescription; readonly gate?: string; readonly when?: string; readonly deferred?: string; readonly listed?: boolean }
  | { readonly type: 'step.skipped'; readonly step: string; readonly reason: string }
  | { readonly type: 'step.awaiting-confirmation'; readonly step: string; readonly message: string }
  | { readonly type: 'step.confirmed'; readonly step: string; readonly by: string; readonly via: 'prompt' | 'yes' | 'approve' }
  | { readonly type: 'step.declined'; readonly step: string; readonly by: string; readonly reason: string }
  | { readonly type: 'step.started'; readonly step: string; readonly title?: string; readonly attempt: number; readonly effect: Effect }
  | { readonly type: 'step.output'; readonly step: string; readonly stream: 'stdout' | 'stderr'; readonly text: string }
  | { readonly type: 'step.progress'; readonly step: string; readonly message: string }
  | { readonly type: 'step.retrying'; readonly step: string; readonly attempt: number; readonly delayMs: number; readonly reason: string }
  | { readonly type: 'step.succeeded'; readonly step: string; readonly durationMs: number; readonly outputs: Readonly<Record<string, unknown>>; readonly exitCode?: number; readonly undoFacts?: Readonly<Record<string, unknown>> }
  | { readonly type: 'step.failed'; readonly step: string; readonly durationMs: number; readonly reason: FailureReason; readonly message: string; readonly exitCode?: number; readonly outputs?: Readonly<Record<string, unknown>>; readonly undoFacts?: Readonly<Record<string, unknown>> }
  | { readonly type: 'step.timed-out'; readonly step: string; readonly durationMs: number; readonly timeoutMs: number; readonly message?: string; readonly outputs?: Readonly<Record<string, unknown>>; readonly undoFacts?: Readonly<Record<string, unknown>> }
  | { readonly type: 'step.cancelled'; readonly step: string; readonly durationMs: number }
  | { readonly type: 'step.rolling-back'; readonly step: string }
  | { readonly type: 'step.rolled-back'; readonly step: string; readonly durationMs: number }
  | { readonly type: 'step.rollback-failed'; readonly step: string; readonly message: string }
  | { readonly type: 'log'; readonly step?: string; readonly level: 'info' | 'warn' | 'error'; readonly message: string }
  | { readonly type: 'run.finished'; readonly status: RunStatus; readonly durationMs: number; readonly failedStep?: string; readonly error?: string };

export type RunEvent = RunEventBody & {
  readonly runId: string;
  /** Monotonic per run, from 1. */
  readonly seq: number;
  /** ISO-8601 time. */
  readonly ts: string;
};

export type RunEventType = RunEvent['type'];

/** Anything that listens to a run: renderers, the journal, the incident timeline. */
export interface EventSink {
  emit(event: RunEvent): void;
  /** Called once after `run.finished`; a journal flushes and fsyncs here. */
  close?(): Promise<void>;
}
