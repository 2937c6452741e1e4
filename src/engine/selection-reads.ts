import { conditionSource, extractReferences, parseCel, scanTemplate } from '../expr';
import type { Step, StepGraph } from '../runbook/model';
import type { AdapterRegistry } from '../adapters/types';
import { approveErrors, planRun, type PlanOptions, type RunPlan } from './plan';

/**
 * Every usage mistake in `--only`/`--skip`/`--from`/`--approve`, for the CLI to stop on before a
 * run record exists or a param is asked (the engine checks the same again).
 */
export function selectionProblems(graph: StepGraph, registry: AdapterRegistry, options: PlanOptions & { readonly approve: readonly string[] }): string[] {
  const plan = planRun(graph, registry, options);
  const errors = [...plan.errors, ...approveErrors(plan, options.approve)];
  if (plan.errors.length === 0) errors.push(...selectionReadErrors(graph, plan));
  return errors;
}

/**
 * `--from`, `--skip` and `--only` must not leave out a step whose outputs a step that runs reads:
 * the reader would fail mid-run (after earlier steps changed things). Found before the run starts
 * (exit 2), in words that say who reads what and what to do instead.
 */
export function selectionReadErrors(graph: StepGraph, plan: RunPlan): string[] {
  const left = new Map<string, string>();
  for (const planned of plan.steps) if (planned.phase === 'main' && planned.disposition.type === 'deselected') left.set(planned.id, planned.disposition.reason);
  if (left.size === 0) return [];
  const errors: string[] = [];
  for (const planned of plan.steps) {
    if (planned.phase !== 'main' || planned.disposition.type !== 'run') continue;
    const step = graph.steps.get(planned.id);
    if (!step) continue;
    const seen = new Set<string>();
    for (const read of stepReads(step)) {
      const reason = left.get(read.step);
      if (reason === undefined || seen.has(read.text)) continue;
      seen.add(read.text);
      errors.push(
        `step \`${step.id}\` reads \`${read.text}\`, but \`${read.step}\` does not run (${reason}), so that value will not exist. ` +
          `Select \`${read.step}\` too, start earlier, or continue an earlier run with \`opsctl resume RUN\` (it restores outputs)`,
      );
    }
  }
  return errors;
}

interface StepRead {
  readonly step: string;
  /** `steps.build.outputs.checksum` */
  readonly text: string;
}

/** Every `steps.X.outputs…` / `steps.X.exit_code` a step's expressions read. */
function stepReads(step: Step): StepRead[] {
  const reads: StepRead[] = [];
  const fromCel = (source: string) => {
    const parsed = parseCel(source);
    if (!parsed.ok) return;
    for (const ref of extractReferences(parsed.ast).references) {
      const [id, field, name] = ref.path;
      if (ref.root !== 'steps' || id === undefined || (field !== 'outputs' && field !== 'exit_code')) continue;
      reads.push({ step: id, text: ['steps', id, field, ...(field === 'outputs' && name !== undefined ? [name] : [])].join('.') });
    }
  };
  const walk = (value: unknown): void => {
    if (typeof value === 'string') {
      if (!value.includes('${{')) return;
      const scan = scanTemplate(value);
      for (const part of scan.parts) if (part.kind === 'expr') fromCel(part.source);
    } else if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(step.action.input);
  walk(step.env);
  walk(step.cwd);
  walk(step.confirm);
  walk(step.title);
  if (step.when !== undefined) fromCel(conditionSource(step.when));
  return reads;
}
