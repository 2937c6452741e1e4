import type { Config, EnvironmentConfig } from '../config/model';
import type { ObjectNode } from '../runbook/schema-dsl';
import type { Action } from '../runbook/model';
import type { Prompter } from '../ui/prompter';
import type { Clock } from '../util/clock';

/** Every action declares whether it changes the world. Dry-run performs reads only. */
export type Effect = 'read' | 'write';

/**
 * What an adapter registers. It is light: a schema and a lazy `load()`; the implementation
 * (and its heavy library: the AWS SDK, pg, inquirer) is imported only when a step runs.
 */
export interface ActionDefinition<I extends object = Record<string, unknown>> {
  /** Registry key as written in a runbook: `shell`, `http`, `ecs.deploy`, `sql`, … */
  readonly key: string;
  readonly summary: string;
  readonly schema: ObjectNode;
  /** `readonly: true` on the step turns a shell write into a read; adapters decide the rest. */
  effect(input: I, step: { readonly readonly: boolean }): Effect;
  /**
   * Input fields that are scripts: their `${{ }}` become references to environment variables
   * (`${OPSCTL_V1}`) instead of text, so a value never becomes code (DESIGN.md §3 Injection).
   */
  readonly scriptFields?: readonly string[];
  /**
   * Input fields whose `${{ }}` the adapter binds itself (SQL `$n`): each becomes a reference
   * `${OPSCTL_Bn}` with its value (as text) in the step's environment; the text around them is
   * left as written (no shell quoting rules, unlike `scriptFields`).
   */
  readonly bindFields?: readonly string[];
  /** Output names the action always produces, for static checks of `steps.X.outputs.Y`. */
  readonly outputs?: readonly string[];
  /**
   * Checks of the input that do not need the run: a problem found here is an error at validate
   * instead of a failure mid-run. Fields holding `${{ }}` are left alone (known only at run time).
   */
  check?(input: Readonly<Record<string, unknown>>): string | undefined;
  /** True when the adapter can compute its own inverse for `undo: auto`. */
  readonly autoUndo?: boolean;
  /**
   * `list`: a dry-run lists the step and never runs it, though it changes nothing (a `wait`:
   * sleeping teaches a plan nothing). Default: reads run, writes are listed.
   */
  readonly dryRun?: 'list';
  load(): Promise<ActionImpl<I>>;
}

export interface ActionImpl<I extends object = Record<string, unknown>> {
  /**
   * What the action would do, for dry-run and `plan`. Reads live state through `ctx` unless
   * `ctx.noChecks` (e.g. the current task definition, to show the diff).
   */
  plan(input: I, ctx: PlanContext): Promise<PlanDescription>;
  run(input: I, ctx: ActionContext): Promise<ActionOutcome>;
  /** For `undo: auto`: the inverse action, built from the input and what `run` recorded. */
  undo?(input: I, facts: Readonly<Record<string, unknown>>): UndoAction | undefined;
}

export interface UndoAction {
  readonly kind: string;
  readonly input: Readonly<Record<string, unknown>>;
}

/** Lines a person reads in a plan: the command line, the operation and its input, the SQL. */
export interface PlanDescription {
  readonly summary: string;
  readonly details?: readonly string[];
}

export type FailureReason =
  | 'exit-non-zero'
  | 'timeout'
  | 'cancelled'
  | 'expectation-failed'
  | 'declined'
  | 'connection-error'
  | 'http-error'
  | 'aws-error'
  | 'sql-error'
  | 'manual-failed'
  | 'runbook-failed'
  | 'invalid-input'
  | 'unknown-error';

export type ActionOutcome =
  | {
      readonly type: 'success';
      readonly outputs: Readonly<Record<string, unknown>>;
      /** Text that `stdout` / `json:` / `regex:` output selectors read (shell stdout, HTTP body). */
      readonly text?: string;
      readonly exitCode?: number;
      /** What `undo: auto` and `rollback --run` need later (journaled). */
      readonly undoFacts?: Readonly<Record<string, unknown>>;
      /** `manual` steps: the person chose skip; `notify` with no webhook configured. */
      readonly skipped?: boolean;
      /** Why it was skipped, when not a person's choice (shown on the `step.skipped` line). */
      readonly skipReason?: string;
    }
  | {
      readonly type: 'failure';
      readonly reason: FailureReason;
      readonly message: string;
      readonly exitCode?: number;
      /** A finer kind for `retry.on` (e.g. `ThrottlingException`, `ECONNREFUSED`). */
      readonly errorKind?: string;
      /** What is known despite the failure (the revision deployed before the wait timed out); `finally` steps read them. */
      readonly outputs?: Readonly<Record<string, unknown>>;
      /** Set when the action changed something before failing: `on_failure: rollback` undoes it first. */
      readonly undoFacts?: Readonly<Record<string, unknown>>;
    };

export interface PlanContext {
  readonly stepId: string;
  readonly config: Config;
  readonly environment?: EnvironmentConfig;
  readonly noChecks: boolean;
  readonly signal: AbortSignal;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  /** For script fields: the script with every value filled in, redacted, for reading. */
  readonly scriptDisplay: Readonly<Record<string, string>>;
  readonly redact: (text: string) => string;
  /**
   * How the engine runs this step (`readonly: true` makes any step a read). Absent: unknown (an
   * undo, a test). The sql adapter runs a read in a read-only transaction.
   */
  readonly effect?: Effect;
  /**
   * Where a line too long to pass on whole may be cut at or before `at` without splitting a
   * secret (a cut inside one would let each half escape redaction). Absent: cut at `at`.
   */
  readonly safeCut?: (text: string, at: number) => number;
}

export interface ActionContext extends PlanContext {
  readonly runId: string;
  readonly attempt: number;
  /** Timeout for this attempt in ms, if any; `signal` aborts when it passes. */
  readonly timeoutMs?: number;
  readonly prompter: Prompter;
  readonly clock: Clock;
  /** Live output lines of the step (shell stdout/stderr, progress of a wait). */
  output(stream: 'stdout' | 'stderr', text: string): void;
  progress(message: string): void;
  /** A value that must never be shown (a token read from a response, a password). */
  registerSecret(value: string): void;
  /**
   * Set when the engine already passed this step's gate (it asked the person, or `--yes`, or
   * `--approve STEP`): a `confirm` step then succeeds without asking again, and a `manual` step
   * counts `--approve STEP` as "done". Absent: the adapter asks through `prompter` itself.
   */
  readonly approval?: { readonly via: 'prompt' | 'yes' | 'approve'; readonly by: string };
  /** `runbook:` steps call another runbook; its events nest under this step. */
  runRunbook(name: string, params: Readonly<Record<string, unknown>>): Promise<ActionOutcome>;
}

/** Looks up definitions by key; unknown keys get "did you mean". */
export interface AdapterRegistry {
  get(key: string): ActionDefinition | undefined;
  keys(): readonly string[];
}

export type { Action };
