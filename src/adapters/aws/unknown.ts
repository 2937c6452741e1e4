import { isUnknown } from '../../expr/unknown';
import type { Effect, PlanDescription } from '../types';

/**
 * Dry-run hands actions values that later steps will produce as `Unknown` markers. An AWS call
 * cannot be checked against those, so such a step is planned (never run) and its plan says which
 * values are decided at run time.
 */
export function unknownExpressions(value: unknown, found: string[] = []): string[] {
  if (isUnknown(value)) found.push(...value.expressions);
  else if (Array.isArray(value)) for (const item of value) unknownExpressions(item, found);
  else if (typeof value === 'object' && value !== null) for (const item of Object.values(value)) unknownExpressions(item, found);
  return found;
}

export const hasUnknown = (value: unknown): boolean => unknownExpressions(value).length > 0;

/** A read runs during dry-run to check reality; with unknown inputs it is planned instead. */
export const readUnlessUnknown = (input: unknown): Effect => (hasUnknown(input) ? 'write' : 'read');

export function deferredPlan(summary: string, input: Readonly<Record<string, unknown>>): PlanDescription {
  const expressions = [...new Set(unknownExpressions(input))];
  return {
    summary,
    details: [`input ${JSON.stringify(input)}`, `known only at run time: ${expressions.join(', ')}; checks against AWS happen then`],
  };
}

/** A raw input value for a plan summary (an unknown shows as `<unknown: …>`). */
export const v = (value: unknown): string => (value === undefined || value === null ? '?' : typeof value === 'object' && !isUnknown(value) ? JSON.stringify(value) : String(value));
