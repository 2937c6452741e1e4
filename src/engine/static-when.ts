import { conditionSource, extractReferences, parseCel, RUN_FUNCTIONS, scanTemplate } from '../expr';
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
  if (!fixedForTheRun(parsed.ast)) return false;
  try {
    return evaluate(step.when) === false;
  } catch {
    return false;
  }
}

/**
 * A text such as `${{ params.which }}` whose expressions read only what is fixed for the run,
 * evaluated now (a called runbook's name, so its gates are known before the run); undefined when
 * it reads outputs or run state, or cannot be evaluated.
 */
export function staticText(text: string, evaluate: (text: string) => unknown): string | undefined {
  const scan = scanTemplate(text);
  if (!scan.ok) return undefined;
  for (const part of scan.parts) {
    if (part.kind !== 'expr') continue;
    const parsed = parseCel(part.source);
    if (!parsed.ok || !fixedForTheRun(parsed.ast)) return undefined;
  }
  try {
    const value = evaluate(text);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

function fixedForTheRun(ast: Parameters<typeof extractReferences>[0]): boolean {
  const { references, calls } = extractReferences(ast);
  if (calls.some((call) => RUN_FUNCTIONS.includes(call.name))) return false;
  return !references.some((ref) => ref.root === 'steps' || (ref.root === 'run' && (ref.path.length === 0 || ref.path[0] === 'status')));
}
