import { InputReader, isRecord, type Parsed } from '../core/input';

export interface SqlExpect {
  readonly rows?: number;
  readonly minRows?: number;
  readonly maxRows?: number;
  /** `value` was given (it may be null: "expect no value"). */
  readonly hasValue: boolean;
  readonly value?: unknown;
  readonly min?: number;
  readonly max?: number;
  readonly expr?: string;
}

export interface SqlInput {
  readonly database?: string;
  readonly query: string;
  readonly params: readonly unknown[];
  readonly expect?: SqlExpect;
  readonly transaction: boolean;
  /** The query changes something although it looks like a read (a function with side effects). */
  readonly writes: boolean;
  /** Names written `:"name"` in the query, filled in as quoted identifiers (never bound, never pasted raw). */
  readonly identifiers: Readonly<Record<string, string | readonly string[]>>;
}

/** Reads a `sql` input after the engine filled in its `${{ }}` values. */
export function readSqlInput(input: Readonly<Record<string, unknown>>): Parsed<SqlInput> {
  const reader = new InputReader('sql', input);
  // An empty `database` (a runbook param left at its default) means the only configured one.
  const database = reader.string('database')?.trim() || undefined;
  const query = reader.requiredString('query');
  if (reader.has('query') && query.trim() === '') reader.fail('`sql.query` is empty');
  const rawParams = reader.raw('params');
  let params: unknown[] = [];
  if (Array.isArray(rawParams)) params = rawParams;
  else if (rawParams !== undefined && rawParams !== null) reader.fail('`sql.params` must be a list of values bound to $1, $2, …');
  const transaction = reader.boolean('transaction') ?? false;
  const writes = reader.boolean('writes') ?? false;
  const expect = reader.has('expect') ? readExpect(reader) : undefined;
  const identifiers = readIdentifiers(reader);
  return reader.done<SqlInput>({ ...(database ? { database } : {}), query, params, transaction, writes, identifiers, ...(expect ? { expect } : {}) });
}

function readExpect(reader: InputReader): SqlExpect | undefined {
  const raw = reader.raw('expect');
  if (!isRecord(raw)) {
    reader.fail('`sql.expect` must be a map (rows, min_rows, max_rows, value, min, max, expr)');
    return undefined;
  }
  const inner = new InputReader('sql.expect', raw);
  const expect: SqlExpect = {
    rows: inner.number('rows', { integer: true, min: 0 }),
    minRows: inner.number('min_rows', { integer: true, min: 0 }),
    maxRows: inner.number('max_rows', { integer: true, min: 0 }),
    hasValue: 'value' in raw,
    value: raw.value,
    min: inner.number('min'),
    max: inner.number('max'),
    expr: inner.string('expr'),
  };
  for (const problem of inner.problems) reader.fail(problem);
  return expect;
}

function readIdentifiers(reader: InputReader): Record<string, string | readonly string[]> {
  const raw = reader.raw('identifiers');
  if (raw === undefined || raw === null) return {};
  if (!isRecord(raw)) {
    reader.fail('`sql.identifiers` must be a map of names to a table or schema name (or a list of them)');
    return {};
  }
  const out: Record<string, string | readonly string[]> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (typeof value === 'string') out[name] = value;
    else if (Array.isArray(value) && value.every((item) => typeof item === 'string')) out[name] = value as string[];
    else reader.fail(`\`sql.identifiers.${name}\` must be a name or a list of names`);
  }
  return out;
}
