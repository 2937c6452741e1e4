/**
 * What the engine needs from `src/expr` (the loader helper's module). The engine takes it as an
 * effect so its tests can run without it; `run-session.ts` passes the real module. The shapes are
 * those of the brief: `resolveValue` for inputs, `scriptify` for script fields, `evaluateCondition`
 * for `when`, and an Unknown marker for outputs of steps a dry-run only planned.
 */
export interface ExprContextData {
  readonly params: Readonly<Record<string, unknown>>;
  readonly vars: Readonly<Record<string, unknown>>;
  readonly secrets: Readonly<Record<string, unknown>>;
  readonly environment: { readonly name: string; readonly protected: boolean; readonly vars: Readonly<Record<string, unknown>> };
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly steps: Readonly<Record<string, StepContextData>>;
  readonly run: { readonly id: string; readonly user: string; readonly dry_run: boolean; readonly status: string; readonly started_at: string };
  readonly incident?: Readonly<Record<string, unknown>>;
  /** Name → URL of each database in opsctl.yaml (`databases.main`). */
  readonly databases?: Readonly<Record<string, string>>;
  /** Steps whose outputs are unknown (planned, not run, in a dry-run). */
  readonly unknownSteps?: ReadonlySet<string>;
}

export interface StepContextData {
  readonly status: string;
  readonly outputs: Readonly<Record<string, unknown>>;
  readonly exit_code?: number;
  readonly duration_ms?: number;
}

export interface ScriptifyResult {
  readonly script: string;
  readonly env: Readonly<Record<string, string>>;
  readonly display: string;
  /** Values not known yet in a dry-run, as shown (`<unknown: steps.X.outputs.Y>`). */
  readonly unknowns?: readonly string[];
}

export interface ExprPort {
  resolveValue(value: unknown, ctx: ExprContextData): unknown;
  scriptify(text: string, ctx: ExprContextData): ScriptifyResult;
  evaluateCondition(source: string, ctx: ExprContextData): unknown;
  /** True for the Unknown marker of a dry-run. */
  isUnknown(value: unknown): boolean;
}
