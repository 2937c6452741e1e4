import { findCycles } from '../graph';
import { diagnostic, type Rule } from './types';

/** A cycle in `needs` can never start; name every step in it. */
export const noCycles: Rule = (ctx) =>
  findCycles(ctx.runbook.steps).map((cycle) => {
    const first = ctx.runbook.steps.find((s) => s.id === cycle[0]);
    const path = first ? (ctx.stepPaths.get(first) ?? []) : [];
    const at = first && ctx.explicitNeeds.has(first) ? ctx.locator.range([...path, 'needs'], 'key') : ctx.locator.range([...path, 'id']);
    const shown = [...cycle, cycle[0]].join(' → ');
    return diagnostic('error', 'cycle', `\`needs\` form a cycle: ${shown}`, at, 'each step waits for the next one, so none can start; remove one of these `needs`');
  });
