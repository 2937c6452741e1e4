import type { SourceRange } from './diagnostics';

/**
 * The normalized runbook: short forms expanded, defaults applied, durations in milliseconds,
 * implicit `needs` filled in. Strings may still hold `${{ }}` expressions; the engine evaluates
 * them at run time. Every value a person wrote keeps the range it came from, for messages.
 */
export interface Runbook {
  readonly apiVersion: 'opsctl/v1';
  readonly kind: 'Runbook';
  readonly name: string;
  readonly title: string;
  readonly description?: string;
  readonly params: readonly ParamSpec[];
  readonly secrets: readonly SecretSpec[];
  /** Values may hold expressions over params, environment, env and earlier vars. */
  readonly vars: Readonly<Record<string, unknown>>;
  readonly requires: { readonly tools: readonly string[]; readonly env: readonly string[] };
  /**
   * Lock key template; undefined means the default (`<name>@<environment>` when a step writes);
   * `true` takes the default key even when no step writes; `false` takes none.
   */
  readonly lock?: string | boolean;
  readonly concurrency: number;
  readonly onFailure: 'abort' | 'rollback';
  readonly steps: readonly Step[];
  readonly finally: readonly Step[];
  readonly source: RunbookSource;
}

export interface RunbookSource {
  /** Absolute path, or `<builtin>/name` for a shipped runbook. */
  readonly path: string;
  /** sha256 of the file's bytes, hex; resume compares it. */
  readonly hash: string;
  readonly text: string;
}

export type ParamType = 'string' | 'integer' | 'number' | 'boolean' | 'enum';

export interface ParamSpec {
  readonly name: string;
  readonly type: ParamType;
  readonly required: boolean;
  readonly default?: string | number | boolean;
  readonly pattern?: string;
  readonly values?: readonly string[];
  readonly min?: number;
  readonly max?: number;
  readonly secret: boolean;
  readonly description?: string;
  readonly range: SourceRange;
}

export type SecretSpec =
  | { readonly name: string; readonly from: 'env'; readonly env: string; readonly range: SourceRange }
  | { readonly name: string; readonly from: 'file'; readonly path: string; readonly range: SourceRange }
  | { readonly name: string; readonly from: 'prompt'; readonly message?: string; readonly range: SourceRange };

export interface RetryPolicy {
  /** Total attempts, 1 = no retry. */
  readonly attempts: number;
  readonly delayMs: number;
  readonly backoff: number;
  readonly maxDelayMs?: number;
  /** 0..1: each delay is scaled by a random factor in [1 - jitter, 1 + jitter]. */
  readonly jitter: number;
  /** Which failures are retried. Empty `exitCodes` with `any: true` retries every failure. */
  readonly on: { readonly any: boolean; readonly exitCodes: readonly number[]; readonly timeout: boolean; readonly errorKinds: readonly string[] };
}

/** One adapter call: `kind` is the registry key (`shell`, `http`, `ecs.deploy`, …). */
export interface Action {
  readonly kind: string;
  /** The input after short forms are expanded; may hold `${{ }}` strings. */
  readonly input: Readonly<Record<string, unknown>>;
  readonly range: SourceRange;
}

export interface Step {
  readonly id: string;
  readonly title?: string;
  readonly phase: 'main' | 'finally';
  readonly action: Action;
  /** After normalization: explicit `needs`, or the previous step in the list, or none. */
  readonly needs: readonly string[];
  readonly when?: string;
  /** Gate message asked before the step starts. */
  readonly confirm?: string;
  readonly timeoutMs?: number;
  readonly retry: RetryPolicy;
  readonly onFailure: 'abort' | 'continue';
  readonly undo?: Action | 'auto';
  readonly idempotent: boolean;
  readonly readonly: boolean;
  /** Output name → selector (`stdout`, `json:$.a.b`, `regex:...`, or an adapter output name). */
  readonly outputs: Readonly<Record<string, string>>;
  readonly env: Readonly<Record<string, string>>;
  readonly cwd?: string;
  readonly range: SourceRange;
}

/** A checked runbook ready to run: steps by id, in a topological order that respects list order. */
export interface StepGraph {
  readonly runbook: Runbook;
  /** Main steps, topologically sorted; ties keep list order. */
  readonly order: readonly string[];
  readonly steps: ReadonlyMap<string, Step>;
  /** id → ids of main steps that list it in `needs`. */
  readonly dependents: ReadonlyMap<string, readonly string[]>;
  /** id → every main step it depends on, directly or through its ancestors. */
  readonly ancestors: ReadonlyMap<string, ReadonlySet<string>>;
  readonly finally: readonly Step[];
}
