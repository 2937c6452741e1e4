import type { AdapterRegistry, Effect } from '../../adapters/types';
import type { EnvironmentConfig } from '../../config/model';
import type { Diagnostic, Severity, SourceRange } from '../diagnostics';
import type { Locator } from '../locate';
import type { Step } from '../model';
import type { Normalized } from '../normalize';

/** What every rule reads. Rules are pure: they return diagnostics and change nothing. */
export interface RuleContext extends Normalized {
  readonly locator: Locator;
  readonly registry: AdapterRegistry;
  /** Known when validating for an environment (`validate --env`, a run): enables its rules. */
  readonly environment?: EnvironmentConfig;
  /** Main steps → every step they depend on (cycles and unknown ids ignored). */
  readonly ancestors: ReadonlyMap<string, ReadonlySet<string>>;
  /** Steps the schema found errors in (validate goes on around them): others' reads of their outputs are not judged. */
  readonly unchecked?: ReadonlySet<Step>;
}

export type Rule = (ctx: RuleContext) => Diagnostic[];

export function diagnostic(severity: Severity, code: string, message: string, range: SourceRange, hint?: string): Diagnostic {
  return { severity, code, message, range, ...(hint ? { hint } : {}) };
}

/** Whether the step changes the world; unknown adapters and throwing `effect`s count as writes. */
export function effectOf(step: Step, registry: AdapterRegistry): Effect {
  const definition = registry.get(step.action.kind);
  if (!definition) return 'write';
  try {
    return definition.effect(step.action.input, { readonly: step.readonly });
  } catch {
    return 'write';
  }
}
