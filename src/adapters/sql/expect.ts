import { parseCel } from '../../expr/cel';
import { fromCel, toCel } from '../../expr/values';
import type { SqlExpect } from './input';

/** What a query produced, as the step's outputs. */
export interface SqlResult {
  readonly rows: readonly Record<string, unknown>[];
  readonly row: Record<string, unknown> | null;
  readonly value: unknown;
  readonly count: number;
  /** Column names, in order (also when no row came back). */
  readonly fields: readonly string[];
}

/**
 * Checks `expect` against a result. Returns one sentence per mismatch, each saying what was
 * expected and what was found; empty when the result is good.
 */
export function checkExpect(expect: SqlExpect, result: SqlResult): string[] {
  const problems: string[] = [];
  const rows = (n: number) => `${n} row${n === 1 ? '' : 's'}`;
  if (expect.rows !== undefined && result.count !== expect.rows) problems.push(`expected ${rows(expect.rows)}, found ${result.count}`);
  if (expect.minRows !== undefined && result.count < expect.minRows) problems.push(`expected at least ${rows(expect.minRows)}, found ${result.count}`);
  if (expect.maxRows !== undefined && result.count > expect.maxRows) problems.push(`expected at most ${rows(expect.maxRows)}, found ${result.count}`);
  const what = valueName(result);
  if (expect.hasValue && !sameValue(result.value, expect.value)) problems.push(`expected ${what} to be ${show(expect.value)}, found ${found(result)}`);
  if (expect.min !== undefined || expect.max !== undefined) {
    const n = toNumber(result.value);
    const bound = [expect.min !== undefined ? `≥ ${expect.min}` : '', expect.max !== undefined ? `≤ ${expect.max}` : ''].filter(Boolean).join(' and ');
    if (n === undefined) problems.push(`expected ${what} ${bound}, found ${found(result)}, which is not a number`);
    else if ((expect.min !== undefined && n < expect.min) || (expect.max !== undefined && n > expect.max)) problems.push(`expected ${what} ${bound}, found ${show(n)}`);
  }
  if (expect.expr !== undefined) {
    const problem = checkExpr(expect.expr, result);
    if (problem) problems.push(problem);
  }
  return problems;
}

function checkExpr(source: string, result: SqlResult): string | undefined {
  const parsed = parseCel(source);
  if (!parsed.ok) return `\`expect.expr\` is not a valid CEL expression: ${parsed.message}`;
  let outcome: unknown;
  try {
    outcome = fromCel(parsed.evaluate(toCel({ rows: result.rows, row: result.row, value: result.value, count: result.count }) as Record<string, unknown>));
  } catch (error) {
    return `\`expect.expr\` \`${source}\` could not be evaluated over the ${result.count} row(s): ${error instanceof Error ? error.message : String(error)}`;
  }
  if (outcome === true) return undefined;
  if (outcome === false) return `expected \`${source}\` to be true over the ${result.count} row(s), it was false${result.count ? `; first row: ${show(result.row)}` : ''}`;
  return `\`expect.expr\` \`${source}\` must yield true or false, it yielded ${show(outcome)}`;
}

function valueName(result: SqlResult): string {
  const column = result.fields[0];
  return column ? `value (column \`${column}\` of the first row)` : 'value';
}

function found(result: SqlResult): string {
  if (result.row === null) return 'no row';
  return result.value === null || result.value === undefined ? 'NULL' : show(result.value);
}

/** Equal, or the same scalar written differently (`'42'` in YAML and 42 from the database). */
function sameValue(actual: unknown, expected: unknown): boolean {
  if (actual === expected) return true;
  if (actual === undefined) return expected === null;
  if (typeof actual === 'object' || typeof expected === 'object') return JSON.stringify(actual) === JSON.stringify(expected);
  const a = toNumber(actual);
  const e = toNumber(expected);
  if (a !== undefined && e !== undefined) return a === e;
  return String(actual) === String(expected);
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

function show(value: unknown): string {
  const text = typeof value === 'string' ? `'${value}'` : (JSON.stringify(value) ?? String(value));
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}
