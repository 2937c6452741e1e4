import { conditionSource, extractReferences, parseCel, RUN_FUNCTIONS } from '../expr';
import type { Step } from '../runbook/model';

/**
 * True when a step's `when` is certainly false before the run starts: it reads only what is fixed
 * for the whole run (params, vars, environment, env, secrets, incident, run.id/user/dry_run) and
 * evaluates to false. Such a step is skipped for sure, so the CI pre-check does not ask approval
 * for its gate. A condition that reads `steps.*`, `run.status` or calls success()/failure()/
 * always() is decided at run time, and its gate still counts; so does one that cannot be evaluated.
 */
export function certainlySkipped(step: Step, evaluate: (source: string) => unknown): boolean {
  if (step.when === undefined) return false;
  const source = conditionSource(step.when);
  const parsed = parseCel(source);
  if (!parsed.ok) return false;
  const { references, calls } = extractReferences(parsed.ast);
  if (calls.some((call) => RUN_FUNCTIONS.includes(call.name))) return false;
  if (references.some((ref) => ref.root === 'steps' || (ref.root === 'run' && ref.path[0] === 'status') || (ref.root === 'run' && ref.path.length === 0))) return false;
  try {
    return evaluate(step.when) === false;
  } catch {
    return false;
  }
}
