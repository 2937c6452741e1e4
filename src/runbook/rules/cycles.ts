import { findCycles } from '../graph';
import { diagnostic, type Rule } from './types';

/** A cycle in `needs` can never start; name every step in it. */
export const noCycles: Rule = (ctx) => {
  // With two steps of one id the graph is ambiguous; `duplicate-id` is the message that helps.
  if (new Set(ctx.runbook.steps.map((s) => s.id)).size !== ctx.runbook.steps.length) return [];
  return findCycles(ctx.runbook.steps).map((cycle) => {
    const first = ctx.runbook.steps.find((s) => s.id === cycle[0]);
    const path = first ? (ctx.stepPaths.get(first) ?? []) : [];
    const at = first && ctx.explicitNeeds.has(first) ? ctx.locator.range([...path, 'needs'], 'key') : ctx.locator.range([...path, 'id']);
    const shown = [...cycle, cycle[0]].join(' → ');
    return diagnostic('error', 'cycle', `\`needs\` form a cycle: ${shown}`, at, 'each step waits for the next one, so none can start; remove one of these `needs`');
  });
};
