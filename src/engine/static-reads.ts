import { conditionSource, extractReferences, parseCel, scanTemplate } from '../expr';
import type { Runbook, Step } from '../runbook/model';

/** True when any expression of the runbook (vars, steps, undo, finally) reads `root.*` (e.g. `environment`). */
export function runbookReads(runbook: Runbook, root: string): boolean {
  const readsIn = (source: string): boolean => {
    const parsed = parseCel(source);
    return parsed.ok && extractReferences(parsed.ast).references.some((ref) => ref.root === root);
  };
  const walk = (value: unknown): boolean => {
    if (typeof value === 'string') {
      if (!value.includes('${{')) return false;
      return scanTemplate(value).parts.some((part) => part.kind === 'expr' && readsIn(part.source));
    }
    if (Array.isArray(value)) return value.some(walk);
    if (value !== null && typeof value === 'object') return Object.values(value).some(walk);
    return false;
  };
  const stepReads = (step: Step): boolean =>
    walk(step.action.input) || walk(typeof step.undo === 'object' ? step.undo.input : undefined) || walk(step.env) || walk(step.cwd) || walk(step.confirm) || walk(step.title) || (step.when !== undefined && readsIn(conditionSource(step.when)));
  return walk(runbook.vars) || runbook.steps.some(stepReads) || runbook.finally.some(stepReads);
}
