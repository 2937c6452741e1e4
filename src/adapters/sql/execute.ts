import { Client, types, type QueryResult } from 'pg';
import { normalizeRow, typeParsers } from './values';

export interface QueryRequest {
  readonly url: string;
  readonly sql: string;
  readonly params: readonly unknown[];
  readonly transaction: boolean;
  /** Run with `default_transaction_read_only = on`: a write fails on the server. */
  readonly readOnly: boolean;
  /** Becomes `statement_timeout`. */
  readonly timeoutMs?: number;
  readonly signal: AbortSignal;
  /** Shown in `pg_stat_activity.application_name`, so a DBA can tell which step runs what. */
  readonly applicationName: string;
  readonly connectTimeoutMs: number;
  /**
   * With `transaction`: judged before COMMIT; false rolls the transaction back, so a write whose
   * `expect` fails (an UPDATE that touched 300 rows, not 1) leaves nothing behind.
   */
  readonly accept?: (result: QueryRows) => boolean;
}

export interface QueryRows {
  readonly fields: string[];
  readonly rows: Record<string, unknown>[];
  readonly count: number;
  readonly command: string;
}

export type QueryOutcome =
  /** `rolledBack`: the transaction was rolled back because `accept` refused the result. */
  | ({ readonly type: 'ok'; readonly rolledBack: boolean } & QueryRows)
  | { readonly type: 'connect-failed'; readonly error: unknown }
  | { readonly type: 'query-failed'; readonly error: unknown; readonly rolledBack: boolean }
  /** The signal aborted. `server`: what became of the running query (undefined: none was running). */
  | { readonly type: 'aborted'; readonly server?: { readonly pid: number; readonly cancelled: boolean }; readonly rolledBack: boolean };

/**
 * Connects, runs one query (optionally in a transaction) and disconnects. An abort of `signal`
 * cancels the running query on the server with `pg_cancel_backend` from a second connection, so
 * Ctrl-C never leaves a statement running behind opsctl's back.
 */
export async function executeQuery(request: QueryRequest): Promise<QueryOutcome> {
  const { signal } = request;
  const client = new Client({
    connectionString: request.url,
    application_name: request.applicationName.slice(0, 63),
    connectionTimeoutMillis: request.connectTimeoutMs,
    keepAlive: true,
    types: typeParsers(types),
  });
  // A connection the server drops (pg_terminate_backend, restart) must not crash the process.
  client.on('error', () => undefined);
  if (signal.aborted) return { type: 'aborted', rolledBack: false };

  // An abort while connecting returns at once; the connection, when it comes, is closed.
  const connecting = client.connect();
  let onAbort: () => void = () => undefined;
  const aborted = new Promise<'aborted'>((resolve) => {
    onAbort = () => resolve('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    if ((await Promise.race([connecting.then(() => 'connected' as const), aborted])) === 'aborted') {
      void connecting.then(
        () => client.end(),
        () => undefined,
      );
      return { type: 'aborted', rolledBack: false };
    }
  } catch (error) {
    await client.end().catch(() => undefined);
    return signal.aborted ? { type: 'aborted', rolledBack: false } : { type: 'connect-failed', error };
  } finally {
    signal.removeEventListener('abort', onAbort);
  }

  let pid = 0;
  let cancelling: Promise<boolean> | undefined;
  const busy = { running: true };
  const cancel = () => {
    cancelling ??= cancelOnServer(request, pid, client, busy);
  };
  let inTransaction = false;
  try {
    pid = await setUpSession(client, request);
    signal.addEventListener('abort', cancel, { once: true });
    if (signal.aborted) return { type: 'aborted', rolledBack: false };
    if (request.transaction) {
      await client.query('BEGIN');
      inTransaction = true;
    }
    if (signal.aborted) throw signal.reason;
    const raw = request.params.length > 0 ? await client.query(request.sql, [...request.params]) : await client.query(request.sql);
    busy.running = false;
    const result = resultOf(raw as QueryResult | QueryResult[]);
    if (inTransaction) {
      if (signal.aborted) return { type: 'aborted', server: { pid, cancelled: true }, rolledBack: await rollback(client) };
      if (request.accept && !request.accept(result)) {
        inTransaction = false;
        return { type: 'ok', ...result, rolledBack: await rollback(client) };
      }
      await client.query('COMMIT');
      inTransaction = false;
    }
    return { type: 'ok', ...result, rolledBack: false };
  } catch (error) {
    busy.running = false;
    const rolledBack = inTransaction ? await rollback(client) : false;
    if (signal.aborted) return { type: 'aborted', ...(pid ? { server: { pid, cancelled: (await cancelling) ?? false } } : {}), rolledBack };
    return { type: 'query-failed', error, rolledBack };
  } finally {
    busy.running = false;
    signal.removeEventListener('abort', cancel);
    await cancelling;
    await client.end().catch(() => undefined);
  }
}

/** One round trip: the backend pid (for cancelling), the timeout and the read-only guard. */
async function setUpSession(client: Client, request: QueryRequest): Promise<number> {
  const columns = ['pg_backend_pid() AS pid'];
  const values: string[] = [];
  if (request.timeoutMs !== undefined && request.timeoutMs > 0) {
    values.push(String(Math.ceil(request.timeoutMs)));
    columns.push(`set_config('statement_timeout', $${values.length}, false)`);
  }
  if (request.readOnly) columns.push(`set_config('default_transaction_read_only', 'on', false)`);
  const result = await client.query<{ pid: number }>(`SELECT ${columns.join(', ')}`, values);
  return Number(result.rows[0]?.pid ?? 0);
}

/** How long to keep asking the server to cancel before dropping the connection instead. */
const CANCEL_PATIENCE_MS = 5_000;
const CANCEL_RETRY_MS = 250;

/**
 * Asks the server to cancel the query of backend `pid`, from a second connection, and asks
 * again while it still runs (the cancel may arrive before the query did). When that is
 * impossible (no free connection slot) or does not work in time, the first connection is closed
 * so opsctl never hangs.
 */
async function cancelOnServer(request: QueryRequest, pid: number, client: Client, busy: { readonly running: boolean }): Promise<boolean> {
  if (pid === 0) {
    await client.end().catch(() => undefined);
    return false;
  }
  const canceller = new Client({ connectionString: request.url, application_name: 'opsctl cancel', connectionTimeoutMillis: 5_000 });
  canceller.on('error', () => undefined);
  let cancelled = false;
  try {
    await canceller.connect();
    const until = Date.now() + CANCEL_PATIENCE_MS;
    while (busy.running && Date.now() < until) {
      const result = await canceller.query<{ cancelled: boolean }>('SELECT pg_cancel_backend($1) AS cancelled', [pid]);
      cancelled ||= result.rows[0]?.cancelled === true;
      await new Promise((resolve) => setTimeout(resolve, CANCEL_RETRY_MS));
    }
    if (busy.running) await client.end().catch(() => undefined);
    return cancelled;
  } catch {
    await client.end().catch(() => undefined);
    return false;
  } finally {
    await canceller.end().catch(() => undefined);
  }
}

async function rollback(client: Client): Promise<boolean> {
  try {
    await client.query('ROLLBACK');
    return true;
  } catch {
    // The connection is gone: the server rolls the transaction back when the session ends.
    return false;
  }
}

/** A multi-statement query (no params) yields one result per statement: the last one counts. */
function resultOf(raw: QueryResult | QueryResult[]): QueryRows {
  const last = Array.isArray(raw) ? raw[raw.length - 1] : raw;
  if (!last) return { fields: [], rows: [], count: 0, command: '' };
  const rows = (last.rows as Record<string, unknown>[]).map(normalizeRow);
  const fields = (last.fields ?? []).map((field) => field.name);
  const count = last.command === 'SELECT' || last.rowCount === null ? rows.length : last.rowCount;
  return { fields, rows, count, command: last.command ?? '' };
}
