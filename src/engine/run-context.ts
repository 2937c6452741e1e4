import type { ActionOutcome, AdapterRegistry, FailureReason } from '../adapters/types';
import type { Config, EnvironmentConfig } from '../config/model';
import type { StepGraph } from '../runbook/model';
import type { Approval } from '../state/store';
import type { Prompter } from '../ui/prompter';
import type { Clock } from '../util/clock';
import type { Emit, RedactorLike } from './emitter';
import type { EventSink, RunStatus, StepStatus } from './events';
import type { ExprPort } from './expr-port';
import type { Gate } from './plan';

/** A step that succeeded in the run being resumed. */
export interface CompletedStep {
  readonly outputs: Readonly<Record<string, unknown>>;
  readonly exitCode?: number;
  readonly undoFacts?: Readonly<Record<string, unknown>>;
}

export interface ResumeOptions {
  /** The run being resumed (shown in events and skip reasons). */
  readonly fromRunId?: string;
  readonly completed: Readonly<Record<string, CompletedStep>>;
  /** Steps that were running when that run died: rerun if idempotent, else gated. */
  readonly interrupted?: readonly string[];
  readonly rerunInterrupted?: boolean;
}

export interface RunOptions {
  readonly graph: StepGraph;
  readonly registry: AdapterRegistry;
  readonly prompter: Prompter;
  readonly sink: EventSink;
  readonly clock: Clock;
  readonly redactor: RedactorLike;
  readonly expr: ExprPort;
  readonly runId: string;
  readonly user: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly config: Config;
  readonly environment?: EnvironmentConfig;
  readonly secrets?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
  readonly dryRun?: boolean;
  readonly noChecks?: boolean;
  /** Overrides the runbook's `concurrency`. */
  readonly concurrency?: number;
  readonly selection?: { readonly only?: readonly string[]; readonly skip?: readonly string[]; readonly from?: string };
  readonly approvals?: { readonly yes: boolean; readonly approve: readonly string[] };
  readonly resume?: ResumeOptions;
  /** Loads a called runbook's graph for `runbook:` steps. */
  readonly loadRunbook?: (name: string) => Promise<StepGraph>;
  /** Called once, after every gate is known to pass and before the first step runs (not in dry-run). */
  readonly beforeFirstSideEffect?: () => Promise<void>;
  /**
   * Called before main-phase steps start (not in dry-run), e.g. to check the run still holds its
   * lock. A rejection stops the run: no further step starts, the running ones finish, the run
   * fails with the rejection's message and is not rolled back (someone else may be changing the
   * same thing now); `finally` steps still run.
   */
  readonly beforeStep?: () => Promise<void>;
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly incident?: Readonly<Record<string, unknown>>;
  /** For jitter; tests pass a fixed one. */
  readonly random?: () => number;
  /** How long to wait for an action to stop after its signal aborted. */
  readonly graceMs?: number;
  /** Set by the engine for a called runbook: its events go through the parent's emitter. */
  readonly nested?: { readonly emit: Emit; readonly prefix: string; readonly path: string };
}

export interface StepState {
  status: StepStatus;
  outputs: Record<string, unknown>;
  attempts: number;
  exitCode?: number;
  durationMs?: number;
  undoFacts?: Readonly<Record<string, unknown>>;
  /** The resolved input it ran with (for `undo: auto`). */
  input?: Record<string, unknown>;
  reason?: FailureReason;
  message?: string;
  skipReason?: string;
  undo?: { readonly status: 'rolled-back' | 'rollback-failed'; readonly message?: string };
}

export interface RunContext {
  readonly options: RunOptions;
  readonly emit: Emit;
  readonly states: Map<string, StepState>;
  readonly unknownSteps: Set<string>;
  /** Dry-run: steps that would change something but were only planned (and called runbooks that planned such steps). */
  readonly plannedWrites: Set<string>;
  readonly startedAt: string;
  vars: Record<string, unknown>;
  status: RunStatus;
  readonly approvals: Approval[];
  /** Order in which steps succeeded (for rollback). */
  readonly completions: string[];
  /** Steps that failed after changing something (they recorded undo facts), in order: rolled back first. */
  readonly changedThenFailed: string[];
  /** The signal every attempt listens to: the run's, then a fresh one for `finally`. */
  signal: AbortSignal;
  /** Serializes prompts so parallel gates never ask at once. */
  promptChain: Promise<unknown>;
  /** Gates of each step, from the plan. */
  readonly gates: ReadonlyMap<string, readonly Gate[]>;
  /** Runs a called runbook (`runbook:` steps) with its events nested under `path`. */
  readonly runChild: (path: string, name: string, params: Readonly<Record<string, unknown>>, signal: AbortSignal) => Promise<ActionOutcome>;
}

/** `parent/child` in messages of a called runbook. */
export function stepPath(rc: RunContext, id: string): string {
  return rc.options.nested ? `${rc.options.nested.path}/${id}` : id;
}
