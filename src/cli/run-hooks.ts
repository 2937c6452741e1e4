import type { RunResult, ResumeOptions } from '../engine/engine';
import type { RedactorLike } from '../engine/emitter';
import type { EventSink } from '../engine/events';
import type { Config, EnvironmentConfig } from '../config/model';
import type { StepGraph } from '../runbook/model';
import type { Approval } from '../state/store';
import type { Prompter } from '../ui/prompter';
import type { Clock } from '../util/clock';

/**
 * What a run session knows once the runbook, params and environment are settled; handed to every
 * hook. `params` are typed values with defaults applied (secret ones are registered already).
 */
export interface SessionInfo {
  readonly runId: string;
  readonly graph: StepGraph;
  readonly config: Config;
  readonly environment?: EnvironmentConfig;
  readonly params: Readonly<Record<string, unknown>>;
  readonly user: string;
  readonly dryRun: boolean;
  readonly prompter: Prompter;
  readonly redactor: RedactorLike;
  readonly clock: Clock;
  readonly startedAt: number;
  /** Approvals given before the engine starts (the protected environment's typed name). */
  readonly approvals: readonly Approval[];
  /** Set by `resume` and `rollback --run`. */
  readonly resumedFrom?: string;
  /** The run's abort signal (Ctrl-C), once the engine runs: a wait for a lock stops on it. */
  readonly signal?: AbortSignal;
}

/**
 * The seams where the state helper plugs the run record, journal, lock, secrets and resume into
 * `run-session.ts`. Every hook is optional; without them a run still works (no journal, no lock).
 * Order in a session: resolveSecrets → sinks → (engine: gates checked) → beforeFirstSideEffect →
 * steps → onFinish (always, also after an error).
 */
export interface RunHooks {
  /** Reads declared secrets; must register each value with `info.redactor` before returning. */
  resolveSecrets?(info: Omit<SessionInfo, 'approvals'>): Promise<Record<string, string>>;
  /** Listeners beside the renderer, e.g. the journal (create the run record here). */
  sinks?(info: SessionInfo): Promise<readonly EventSink[]>;
  /** After every gate passed and before the first step runs (not in dry-run): take the lock. Throw an OpsctlError (exit 4) to stop. */
  beforeFirstSideEffect?(info: SessionInfo): Promise<void>;
  /** Before steps start (not in dry-run): reject to stop the run, e.g. when its lock was lost. */
  beforeStep?(info: SessionInfo): Promise<void>;
  /** Always called last: finish the run record, release the lock, close the store. */
  onFinish?(info: SessionInfo, result: RunResult | undefined, error: unknown): Promise<void>;
  /** Run id for this run (default: `newRunId`). */
  runId?(now: number): string;
  /** For `opsctl resume`: what already happened. */
  resume?: ResumeOptions & { readonly fromRunId: string };
}

/**
 * The hooks every run command uses: secrets, run record, journal, lock and resume from
 * `src/state/session-hooks.ts` (loaded lazily). `options` carries `--wait-lock` and what
 * `resume` / `rollback --run` know.
 */
export async function createRunHooks(options: import('../state/session-hooks').StateHookOptions = {}): Promise<RunHooks> {
  const { stateHooks } = await import('../state/session-hooks');
  return stateHooks(options);
}
