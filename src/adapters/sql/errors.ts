import type { FailureReason } from '../types';
import type { Target } from './target';

/** What a failed connection or query means, in words a tired person can act on. */
export interface SqlFailure {
  readonly reason: FailureReason;
  readonly message: string;
  /** For `retry.on`: the SQLSTATE condition name (`deadlock_detected`) or the socket code. */
  readonly errorKind: string;
}

/** The fields of pg's DatabaseError and of Node's socket errors that we read. */
interface ErrorFields {
  readonly message?: string;
  readonly code?: string;
  readonly position?: string;
  readonly internalPosition?: string;
  readonly internalQuery?: string;
  readonly detail?: string;
  readonly hint?: string;
  readonly where?: string;
}

/** SQLSTATE → condition name (PostgreSQL Appendix A) for the errors people retry or act on. */
const CONDITIONS: Readonly<Record<string, string>> = {
  '08000': 'connection_exception',
  '08001': 'sqlclient_unable_to_establish_sqlconnection',
  '08006': 'connection_failure',
  '28000': 'invalid_authorization_specification',
  '28P01': 'invalid_password',
  '3D000': 'invalid_catalog_name',
  '3F000': 'invalid_schema_name',
  '40001': 'serialization_failure',
  '40P01': 'deadlock_detected',
  '23502': 'not_null_violation',
  '23503': 'foreign_key_violation',
  '23505': 'unique_violation',
  '23514': 'check_violation',
  '25006': 'read_only_sql_transaction',
  '42501': 'insufficient_privilege',
  '42601': 'syntax_error',
  '42703': 'undefined_column',
  '42883': 'undefined_function',
  '42P01': 'undefined_table',
  '53300': 'too_many_connections',
  '55P03': 'lock_not_available',
  '57014': 'query_canceled',
  '57P01': 'admin_shutdown',
  '57P03': 'cannot_connect_now',
};

export function conditionName(code: string): string {
  return CONDITIONS[code] ?? code;
}

/** A failure while connecting: the server's address and what to check come first. */
export function describeConnectError(error: unknown, target: Target, where = target.name ? `database \`${target.name}\` in opsctl.yaml` : "the step's `database`"): SqlFailure {
  const e = fields(error);
  const at = `${target.host}:${target.port}`;
  switch (e.code) {
    case 'ECONNREFUSED':
      return connection(
        'ECONNREFUSED',
        `could not connect to PostgreSQL at ${at}: connection refused. Check that the server is running and listens on ${at} (pg_isready -h ${target.host} -p ${target.port}), and that the URL of ${where} is right.`,
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return connection(e.code, `could not connect to PostgreSQL: host \`${target.host}\` was not found (DNS). Check the host in the URL of ${where}.`);
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return connection(e.code, `could not connect to PostgreSQL at ${at}: ${e.code === 'ETIMEDOUT' ? 'the connection timed out' : 'the host is unreachable'}. Check the network path (VPN, security group, firewall) to ${at}.`);
    case 'ECONNRESET':
      return connection('ECONNRESET', `the connection to PostgreSQL at ${at} was reset. The server may have restarted, or a proxy dropped the connection; try again.`);
    case '28P01':
      return connection('invalid_password', `authentication failed for user \`${target.user}\` on ${at}: ${e.message ?? 'wrong password'}. Check the password in the URL of ${where} (or PGPASSWORD).`);
    case '28000':
      return connection(
        'invalid_authorization_specification',
        `PostgreSQL at ${at} refused user \`${target.user}\`: ${e.message ?? 'not authorized'}. Check the user name in the URL of ${where}, and that pg_hba.conf lets it connect from this host.`,
      );
    case '3D000':
      return connection(
        'invalid_catalog_name',
        `database \`${target.database}\` does not exist on ${at}. Check the database name in the URL of ${where} (list them with \`psql -h ${target.host} -p ${target.port} -l\`).`,
      );
    case '53300':
      return connection('too_many_connections', `PostgreSQL at ${at} has no free connection slot: ${e.message ?? 'too many clients'}. The checks \`pg-connections\` and \`pg-long-queries\` show who holds them.`);
    case '57P03':
      return connection('cannot_connect_now', `PostgreSQL at ${at} is starting up or shutting down; try again in a moment.`);
    default:
      if (/timeout/i.test(e.message ?? '')) return connection('connect_timeout', `could not connect to PostgreSQL at ${at} in time: ${e.message}. Check that ${at} is reachable.`);
      return connection(e.code ? conditionName(e.code) : 'connection_error', `could not connect to PostgreSQL at ${at}: ${e.message ?? String(error)}`);
  }
}

/** A failure of the query itself: the server's message, then the SQL line with a caret. */
export function describeQueryError(error: unknown, sql: string, context: { readonly readOnly: boolean; readonly target: Target; /** The step says `readonly: true` (the query itself may not read like a SELECT). */ readonly declaredReadOnly?: boolean }): SqlFailure {
  const e = fields(error);
  if (!e.code || !/^[0-9A-Z]{5}$/.test(e.code)) {
    if (e.code) return describeConnectError(error, context.target);
    return { reason: 'connection-error', message: `the connection to ${context.target.label} failed during the query: ${e.message ?? String(error)}`, errorKind: 'connection_error' };
  }
  const lines = [`PostgreSQL error ${e.code} (${conditionName(e.code)}): ${e.message ?? ''}`];
  if (e.position) lines.push(...pointAt(sql, Number(e.position)));
  if (e.internalQuery && e.internalPosition) lines.push('in the query run inside it:', ...pointAt(e.internalQuery, Number(e.internalPosition)));
  if (e.detail) lines.push(`detail: ${e.detail}`);
  if (e.hint) lines.push(`hint: ${e.hint}`);
  if (e.where) lines.push(`where: ${e.where.split('\n')[0]}`);
  if (e.code === '42601' && /multiple commands into a prepared statement/.test(e.message ?? '')) {
    lines.push('with `params`, the query must be a single statement: split it into several sql steps (without `params`, several statements run in one implicit transaction).');
  }
  if (e.code === '25006' && context.readOnly) {
    lines.push(
      context.declaredReadOnly
        ? 'opsctl ran this query read-only because the step says `readonly: true`; if it is meant to change something, remove `readonly: true` (a dry-run then lists it instead of running it).'
        : 'opsctl ran this query read-only because it reads like a SELECT; if it is meant to change something, add `writes: true` to the sql step.',
    );
  }
  return { reason: 'sql-error', message: lines.join('\n'), errorKind: conditionName(e.code) };
}

/** `line 3, column 7:` then the line and a caret under the character at `position` (1-based). */
export function pointAt(sql: string, position: number): string[] {
  if (!Number.isInteger(position) || position < 1) return [];
  const before = [...sql].slice(0, position - 1).join('');
  const lineNo = before.split('\n').length;
  const col = [...(before.split('\n').pop() ?? '')].length + 1;
  const text = sql.split('\n')[lineNo - 1] ?? '';
  const gutter = `  ${lineNo} | `;
  const caretPad = [...text].slice(0, col - 1).map((c) => (c === '\t' ? '\t' : ' ')).join('');
  return [`at line ${lineNo}, column ${col}:`, `${gutter}${text}`, `${' '.repeat(gutter.length - 2)}| ${caretPad}^`];
}

function connection(errorKind: string, message: string): SqlFailure {
  return { reason: 'connection-error', message, errorKind };
}

function fields(error: unknown): ErrorFields {
  if (typeof error !== 'object' || error === null) return { message: String(error) };
  const e = error as Record<string, unknown>;
  const text = (key: string) => (typeof e[key] === 'string' && e[key] !== '' ? (e[key] as string) : undefined);
  // Node reports a refused connection to several addresses as an AggregateError.
  const first = Array.isArray(e.errors) && e.errors.length ? fields(e.errors[0]) : undefined;
  return {
    message: text('message') ?? first?.message,
    code: text('code') ?? first?.code,
    position: text('position'),
    internalPosition: text('internalPosition'),
    internalQuery: text('internalQuery'),
    detail: text('detail'),
    hint: text('hint'),
    where: text('where'),
  };
}
