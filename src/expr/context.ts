/** What an expression can read. Every root is optional: a missing one is "not available here". */
export interface StepState {
  readonly status: string;
  readonly outputs: Readonly<Record<string, unknown>>;
  readonly exit_code?: number;
  readonly duration_ms?: number;
}

export interface RunInfo {
  readonly id: string;
  readonly user: string;
  readonly dry_run: boolean;
  /** `running` while steps run; `succeeded` / `failed` / `cancelled` in `finally`. */
  readonly status: string;
  readonly started_at: string;
}

export interface ExprContext {
  readonly params?: Readonly<Record<string, unknown>>;
  readonly vars?: Readonly<Record<string, unknown>>;
  readonly secrets?: Readonly<Record<string, unknown>>;
  readonly environment?: { readonly name: string; readonly protected: boolean; readonly vars: Readonly<Record<string, unknown>> };
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly steps?: Readonly<Record<string, StepState>>;
  readonly run?: RunInfo;
  readonly incident?: Readonly<Record<string, unknown>>;
  /** `databases.NAME`: the URL of each database named in opsctl.yaml (passwords are redacted in output). */
  readonly databases?: Readonly<Record<string, string>>;
  /** Checklist reports only (`opsctl checklist --report`): items, counts and summary. */
  readonly checklist?: Readonly<Record<string, unknown>>;
  /** Steps whose outputs are not known (dry-run): reading `steps.X.*` yields an Unknown. */
  readonly unknownSteps?: ReadonlySet<string>;
}

/** The context roots a runbook may read; anything else is an unknown context. */
export const CONTEXT_ROOTS = ['params', 'vars', 'secrets', 'environment', 'env', 'steps', 'run', 'incident', 'databases'] as const;
export type ContextRoot = (typeof CONTEXT_ROOTS)[number];

/** Fields of `steps.X`. */
export const STEP_FIELDS = ['status', 'outputs', 'exit_code', 'duration_ms'] as const;
export const RUN_FIELDS = ['id', 'user', 'dry_run', 'status', 'started_at'] as const;
export const ENVIRONMENT_FIELDS = ['name', 'protected', 'vars'] as const;

const FAILED = new Set(['failed', 'timed-out', 'cancelled', 'rollback-failed']);

/** `failure()` is true once the run failed or any step failed. */
export function runFailed(ctx: ExprContext): boolean {
  if (ctx.run && FAILED.has(ctx.run.status)) return true;
  return Object.values(ctx.steps ?? {}).some((s) => FAILED.has(s.status));
}
