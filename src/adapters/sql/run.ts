import type { ActionContext, ActionImpl, ActionOutcome, PlanContext, PlanDescription } from '../types';
import { abortedOutcome, failure, success, unexpected } from '../core/outcome';
import { formatDuration } from '../../util/duration';
import { unreachable } from '../../util/unreachable';
import { bindQuery, type BoundQuery } from './bind';
import { classifySql } from './classify';
import { describeConnectError, describeQueryError } from './errors';
import { executeQuery, type QueryOutcome, type QueryRows } from './execute';
import { checkExpect, type SqlResult } from './expect';
import { readSqlInput, type SqlInput } from './input';
import { formatTable } from './table';
import { resolveTarget, type Target } from './target';

/** Rows kept in the `rows` output (and the journal); `count` always says how many there were. */
export const MAX_OUTPUT_ROWS = 1_000;
/** Rows shown in the step's live output. */
const ROWS_SHOWN = 20;
const CONNECT_TIMEOUT_MS = 10_000;

const impl: ActionImpl = {
  async plan(input, ctx): Promise<PlanDescription> {
    const parsed = readSqlInput(input);
    if (!parsed.ok) return { summary: `sql: ${parsed.message}` };
    const sql = parsed.value;
    const bound = bindQuery(sql.query, sql.params, ctx.env, sql.identifiers);
    if (!bound.ok) return { summary: `sql (invalid: ${ctx.redact(bound.message)})` };
    const target = targetOf(sql, ctx);
    const where = target.ok ? target.target.label : `${sql.database ?? '(no database)'} — ${target.message}`;
    const mode = readOnlyOf(sql, bound.value, ctx) ? 'read-only' : sql.transaction ? 'in a transaction' : 'autocommit';
    return { summary: `SQL on ${ctx.redact(where)} (${mode})`, details: planDetails({ ...sql, query: bound.value.sql, params: bound.value.params }, ctx.redact) };
  },

  async run(input, ctx): Promise<ActionOutcome> {
    try {
      return await runSql(input, ctx);
    } catch (error) {
      return unexpected('sql', error);
    }
  },
};

export const { plan, run } = impl;
export default impl;

async function runSql(input: Readonly<Record<string, unknown>>, ctx: ActionContext): Promise<ActionOutcome> {
  const parsed = readSqlInput(input);
  if (!parsed.ok) return failure('invalid-input', parsed.message);
  const bound = bindQuery(parsed.value.query, parsed.value.params, ctx.env, parsed.value.identifiers);
  if (!bound.ok) return failure('invalid-input', ctx.redact(bound.message));
  // From here on the query is the SQL as it runs, its expressions bound as parameters.
  const sql: SqlInput = { ...parsed.value, query: bound.value.sql, params: bound.value.params };
  const resolved = targetOf(sql, ctx);
  if (!resolved.ok) return failure('invalid-input', resolved.message);
  const target = resolved.target;
  const password = passwordOf(target.url);
  if (password) ctx.registerSecret(password);
  const readOnly = readOnlyOf(sql, bound.value, ctx);
  ctx.progress(`querying ${target.label}${readOnly ? ' (read-only)' : ''}`);
  const expected = sql.expect;
  const outcome = await executeQuery({
    url: target.url,
    sql: sql.query,
    params: sql.params,
    transaction: sql.transaction,
    readOnly,
    ...(ctx.timeoutMs !== undefined ? { timeoutMs: ctx.timeoutMs } : {}),
    signal: ctx.signal,
    applicationName: `opsctl ${ctx.runId} ${ctx.stepId}`,
    connectTimeoutMs: ctx.timeoutMs !== undefined ? Math.min(CONNECT_TIMEOUT_MS, ctx.timeoutMs) : CONNECT_TIMEOUT_MS,
    ...(expected ? { accept: (rows: QueryRows) => checkExpect(expected, resultOf(rows)).length === 0 } : {}),
  });
  return outcomeOf(outcome, sql, target, readOnly, ctx);
}

function outcomeOf(outcome: QueryOutcome, sql: SqlInput, target: Target, readOnly: boolean, ctx: ActionContext): ActionOutcome {
  const redact = ctx.redact;
  switch (outcome.type) {
    case 'ok': {
      const result = resultOf(outcome);
      const table = formatTable(outcome.fields, outcome.rows, ROWS_SHOWN);
      // One line per call, without its newline, as the shell adapter reports output.
      if (table.length) for (const line of table) ctx.output('stdout', redact(line));
      else ctx.output('stdout', `${outcome.command || 'OK'} ${outcome.count}`);
      const kept = outcome.rows.length > MAX_OUTPUT_ROWS ? outcome.rows.slice(0, MAX_OUTPUT_ROWS) : outcome.rows;
      if (kept.length < outcome.rows.length) ctx.progress(`kept the first ${MAX_OUTPUT_ROWS} of ${outcome.rows.length} rows in the \`rows\` output`);
      const outputs = { rows: kept, row: result.row, value: result.value, count: result.count };
      const problems = sql.expect ? checkExpect(sql.expect, result) : [];
      if (problems.length) {
        const rolled = sql.transaction ? (outcome.rolledBack ? '; the transaction was rolled back' : '; the transaction could not be rolled back') : '';
        return failure('expectation-failed', redact(`expectation failed on ${target.label}: ${problems.join('; ')}${rolled}`), { errorKind: 'expectation-failed', outputs });
      }
      return success(outputs, { text: JSON.stringify(kept) });
    }
    case 'connect-failed': {
      const described = describeConnectError(outcome.error, target);
      return failure(described.reason, redact(described.message), { errorKind: described.errorKind });
    }
    case 'query-failed': {
      const described = describeQueryError(outcome.error, sql.query, { readOnly, target, declaredReadOnly: readOnly && classifySql(sql.query).effect !== 'read' });
      if (described.errorKind === 'query_canceled' && /statement timeout/i.test(described.message)) {
        const after = ctx.timeoutMs !== undefined ? ` (${formatDuration(ctx.timeoutMs)})` : '';
        return failure('timeout', `the query on ${target.label} ran past the step timeout${after} and was cancelled on the server (statement_timeout)${rolledBackNote(sql, outcome.rolledBack)}`, {
          errorKind: 'timeout',
        });
      }
      return failure(described.reason, redact(`${described.message}${rolledBackNote(sql, outcome.rolledBack)}`), { errorKind: described.errorKind });
    }
    case 'aborted': {
      const base = abortedOutcome(ctx.signal, `the query on ${target.label}`, ctx.timeoutMs);
      if (base.type !== 'failure') return base;
      const server = outcome.server;
      const note = !server
        ? ''
        : server.cancelled
          ? `; it was cancelled on the server (backend ${server.pid})`
          : `; it could not be cancelled on the server: check with SELECT pid, state, query FROM pg_stat_activity WHERE pid = ${server.pid}`;
      return { ...base, message: `${base.message}${note}${rolledBackNote(sql, outcome.rolledBack)}` };
    }
    default:
      return unreachable(outcome);
  }
}

function resultOf(rows: QueryRows): SqlResult {
  const first = rows.rows[0];
  const column = rows.fields[0];
  return { rows: rows.rows, row: first ?? null, value: first && column !== undefined ? (first[column] ?? null) : null, count: rows.count, fields: rows.fields };
}

/** The password of a URL, so that no message or journal line can show it. */
function passwordOf(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}

function rolledBackNote(sql: SqlInput, rolledBack: boolean): string {
  if (!sql.transaction) return '';
  return rolledBack ? '; the transaction was rolled back' : '; the transaction was not committed';
}

function targetOf(sql: SqlInput, ctx: PlanContext) {
  // loadConfig already filled in the `${{ env.X }}` of configured URLs.
  return resolveTarget(sql.database, ctx.config.databases, ctx.env);
}

/**
 * A step run as a read runs read-only (`default_transaction_read_only = on`), so a hidden write
 * fails instead of writing — in a dry-run above all, where reads really run. A read is a query
 * that reads like one, or any step the engine runs as a read: `readonly: true` is the author's
 * claim, not a proof, so it is enforced too.
 */
function readOnlyOf(sql: SqlInput, bound: BoundQuery, ctx: PlanContext): boolean {
  if (sql.writes) return false;
  return ctx.effect === 'read' || classifySql(bound.sql).effect === 'read';
}

/** The SQL as written and each bound value, for a dry-run plan (secrets already redacted). */
export function planDetails(sql: SqlInput, redact: (text: string) => string): string[] {
  const lines = sql.query.replace(/\s+$/, '').split('\n').map((line) => redact(line));
  const details = [...lines];
  sql.params.forEach((value, i) => details.push(`$${i + 1} = ${redact(typeof value === 'string' ? `'${value}'` : (JSON.stringify(value) ?? String(value)))}`));
  if (sql.transaction) details.push('in a transaction: BEGIN … COMMIT, rolled back on error or when `expect` fails');
  const classification = classifySql(sql.query);
  if (sql.writes) details.push('effect: write (`writes: true`)');
  else if (classification.effect === 'write') details.push(`effect: write (${classification.reason})`);
  if (sql.expect) details.push(`expect: ${describeExpect(sql)}`);
  return details;
}

function describeExpect(sql: SqlInput): string {
  const e = sql.expect;
  if (!e) return '';
  const parts: string[] = [];
  if (e.rows !== undefined) parts.push(`rows = ${e.rows}`);
  if (e.minRows !== undefined) parts.push(`rows ≥ ${e.minRows}`);
  if (e.maxRows !== undefined) parts.push(`rows ≤ ${e.maxRows}`);
  if (e.hasValue) parts.push(`value = ${JSON.stringify(e.value)}`);
  if (e.min !== undefined) parts.push(`value ≥ ${e.min}`);
  if (e.max !== undefined) parts.push(`value ≤ ${e.max}`);
  if (e.expr !== undefined) parts.push(e.expr);
  return parts.join(', ');
}
