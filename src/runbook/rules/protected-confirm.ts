import type { Diagnostic } from '../diagnostics';
import type { Step } from '../model';
import { diagnostic, effectOf, type Rule } from './types';

/**
 * Steps that do something, but not to the environment: a person doing a manual step is a gate
 * in itself, a chat message or a log line changes no system. Warning about them buried the
 * warnings that matter (F40).
 */
const OUTSIDE_THE_ENVIRONMENT: ReadonlySet<string> = new Set(['manual', 'notify', 'log', 'wait', 'confirm']);

/**
 * In a protected environment a mutating step should have a confirmation before it: its own
 * `confirm:` gate, or a `confirm` step (or gate) among its ancestors. Runs only when the
 * environment is known (`validate --env NAME`, or a run).
 */
export const protectedNeedsConfirm: Rule = (ctx) => {
  const environment = ctx.environment;
  if (!environment?.protected) return [];
  const out: Diagnostic[] = [];
  const byId = new Map(ctx.runbook.steps.map((s) => [s.id, s]));
  const confirms = (step: Step | undefined) => step !== undefined && (step.confirm !== undefined || step.action.kind === 'confirm');
  for (const step of ctx.runbook.steps) {
    if (effectOf(step, ctx.registry) !== 'write' || confirms(step) || OUTSIDE_THE_ENVIRONMENT.has(step.action.kind)) continue;
    if ([...(ctx.ancestors.get(step.id) ?? [])].some((id) => confirms(byId.get(id)))) continue;
    const path = ctx.stepPaths.get(step) ?? [];
    out.push(
      diagnostic('warning', 'protected-without-confirm', `step \`${step.id}\` changes \`${environment.name}\` (a protected environment) with no confirmation before it`, ctx.locator.range([...path, 'id']), 'add `confirm: "…?"` to the step, or a `confirm` step it needs'),
    );
  }
  return out;
};
