import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionOutcome } from '../../../../src/adapters/types';
import { fakeContext, load, testConfig, timeoutError } from '../helpers';
import { adminQuery, closedPort, describePg, PG_URL, uniqueName } from '../../../support/pg';

function outputs(outcome: ActionOutcome): Record<string, unknown> {
  if (outcome.type !== 'success') throw new Error(`expected success, got ${outcome.reason}: ${outcome.message}`);
  return outcome.outputs as Record<string, unknown>;
}

function failed(outcome: ActionOutcome): { reason: string; message: string; errorKind?: string } {
  if (outcome.type !== 'failure') throw new Error(`expected a failure, got success ${JSON.stringify(outcome.outputs)}`);
  return outcome;
}

describePg('sql adapter against the real server', () => {
  const schema = uniqueName('opsctl_sql');
  const table = `${schema}.items`;
  const config = { ...testConfig, databases: { main: { name: 'main', url: PG_URL } } };
  const run = async (input: Record<string, unknown>, over: Parameters<typeof fakeContext>[0] = {}) =>
    (await load('sql')).run(input, fakeContext({ config, ...over }));

  beforeAll(async () => {
    await adminQuery(`CREATE SCHEMA ${schema}`);
    await adminQuery(`CREATE TABLE ${table} (id int PRIMARY KEY, name text NOT NULL, size numeric, seen timestamptz)`);
    await adminQuery(`INSERT INTO ${table} VALUES (1, 'alpha', 10.5, '2026-11-22T10:00:00Z'), (2, 'beta', 20, NULL), (3, 'gamma', 30, NULL)`);
    await adminQuery(`CREATE FUNCTION ${schema}.sneaky() RETURNS int LANGUAGE sql VOLATILE AS 'INSERT INTO ${table} VALUES (99, ''sneaky'') RETURNING id'`);
  });
  afterAll(async () => {
    await adminQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  });

  it('returns rows, row, value and count, with bound params', async () => {
    const out = outputs(await run({ database: 'main', query: `SELECT id, name, size, seen FROM ${table} WHERE id <= $1 ORDER BY id`, params: [2] }));
    expect(out.count).toBe(2);
    expect(out.value).toBe(1);
    expect(out.row).toEqual({ id: 1, name: 'alpha', size: 10.5, seen: '2026-11-22T10:00:00.000Z' });
    expect(out.rows).toEqual([
      { id: 1, name: 'alpha', size: 10.5, seen: '2026-11-22T10:00:00.000Z' },
      { id: 2, name: 'beta', size: 20, seen: null },
    ]);
  });

  it('binds a value as data, never as SQL', async () => {
    const out = outputs(await run({ database: 'main', query: `SELECT count(*) AS n FROM ${table} WHERE name = $1`, params: ["alpha' OR '1'='1"] }));
    expect(out.value).toBe(0);
  });

  it('accepts a postgres:// URL and shows the result as a table in the live output', async () => {
    const ctx = fakeContext({ config });
    const outcome = await (await load('sql')).run({ database: PG_URL, query: `SELECT name FROM ${table} ORDER BY id LIMIT 2` }, ctx);
    expect(outputs(outcome).rows).toEqual([{ name: 'alpha' }, { name: 'beta' }]);
    expect(ctx.recorded.lines.map((l) => l.text)).toEqual(['name', '-----', 'alpha', 'beta', '(2 rows)']);
  });

  it('uses the only configured database when `database` is left out', async () => {
    expect(outputs(await run({ query: 'SELECT current_database() AS db' })).value).toBe('test');
  });

  it('counts affected rows of a write', async () => {
    const out = outputs(await run({ database: 'main', query: `UPDATE ${table} SET size = size WHERE id >= $1`, params: [2] }));
    expect(out).toMatchObject({ count: 2, rows: [], row: null, value: null });
  });

  it('passes an expectation that holds', async () => {
    const outcome = await run({
      database: 'main',
      query: `SELECT count(*) FROM ${table} WHERE id < 10`,
      expect: { rows: 1, min_rows: 1, max_rows: 1, value: 3, min: 1, max: 3, expr: 'rows.size() == 1 && value == 3 && row.count == 3' },
    });
    expect(outputs(outcome).value).toBe(3);
  });

  it('fails an expectation with what was expected and what was found', async () => {
    const outcome = failed(await run({ database: 'main', query: `SELECT size AS pct FROM ${table} WHERE id = 3`, expect: { max: 25, rows: 2, value: 31 } }));
    expect(outcome.reason).toBe('expectation-failed');
    expect(outcome.message).toContain('expected 2 rows, found 1');
    expect(outcome.message).toContain('expected value (column `pct` of the first row) to be 31, found 30');
    expect(outcome.message).toContain('expected value (column `pct` of the first row) ≤ 25, found 30');
  });

  it('fails a CEL expectation over the rows and says it was false', async () => {
    const outcome = failed(await run({ database: 'main', query: `SELECT id, size FROM ${table} WHERE id < 10 ORDER BY id`, expect: { expr: 'rows.all(r, r.size < 25)' } }));
    expect(outcome.message).toMatch(/expected `rows.all\(r, r.size < 25\)` to be true over the 3 row\(s\), it was false; first row: \{"id":1,"size":10.5\}/);
    const empty = failed(await run({ database: 'main', query: `SELECT id FROM ${table} WHERE id > 1000`, expect: { min_rows: 1, min: 1 } }));
    expect(empty.message).toContain('expected at least 1 row, found 0');
    expect(empty.message).toContain('found no row, which is not a number');
  });

  it('commits a transaction and rolls it back when the query fails', async () => {
    const inside = outputs(await run({ database: 'main', transaction: true, query: 'SELECT xact_start < query_start AS in_tx FROM pg_stat_activity WHERE pid = pg_backend_pid()' }));
    expect(inside.value).toBe(true);
    const outside = outputs(await run({ database: 'main', query: 'SELECT xact_start < query_start AS in_tx FROM pg_stat_activity WHERE pid = pg_backend_pid()', writes: true }));
    expect(outside.value).toBe(false);

    const ok = outputs(await run({ database: 'main', transaction: true, query: `INSERT INTO ${table} (id, name) VALUES ($1, $2)`, params: [10, 'ten'] }));
    expect(ok.count).toBe(1);
    expect(await adminQuery(`SELECT name FROM ${table} WHERE id = 10`)).toEqual([{ name: 'ten' }]);

    const outcome = failed(
      await run({ database: 'main', transaction: true, query: `INSERT INTO ${table} (id, name) VALUES (11, 'eleven'); INSERT INTO ${table} (id, name) VALUES (12, NULL)` }),
    );
    expect(outcome.reason).toBe('sql-error');
    expect(outcome.errorKind).toBe('not_null_violation');
    expect(outcome.message).toContain('the transaction was rolled back');
    expect(await adminQuery(`SELECT id FROM ${table} WHERE id IN (11, 12)`)).toEqual([]);
  });

  it('rolls a transaction back when its result fails `expect`, and commits when it holds', async () => {
    const outcome = failed(await run({ database: 'main', transaction: true, query: `UPDATE ${table} SET name = upper(name) WHERE id IN (1, 2)`, expect: { rows: 1 } }));
    expect(outcome.reason).toBe('expectation-failed');
    expect(outcome.message).toMatch(/expected 1 row, found 2; the transaction was rolled back$/);
    expect(await adminQuery(`SELECT name FROM ${table} WHERE id IN (1, 2) ORDER BY id`)).toEqual([{ name: 'alpha' }, { name: 'beta' }]);
    outputs(await run({ database: 'main', transaction: true, query: `UPDATE ${table} SET size = size WHERE id = 1`, expect: { rows: 1 } }));
  });

  it('runs a query that reads like a read read-only, so a hidden write fails', async () => {
    const outcome = failed(await run({ database: 'main', query: `SELECT ${schema}.sneaky()` }));
    expect(outcome.errorKind).toBe('read_only_sql_transaction');
    expect(outcome.message).toContain('add `writes: true` to the sql step');
    expect(await adminQuery(`SELECT id FROM ${table} WHERE id = 99`)).toEqual([]);
    expect(outputs(await run({ database: 'main', query: `SELECT ${schema}.sneaky()`, writes: true })).value).toBe(99);
  });

  it('F7: runs a step the engine runs as a read (readonly: true) read-only, whatever the query says', async () => {
    const outcome = failed(await run({ database: 'main', query: `INSERT INTO ${table} VALUES (98, 'claimed')` }, { effect: 'read' }));
    expect(outcome.errorKind).toBe('read_only_sql_transaction');
    expect(outcome.message).toContain('because the step says `readonly: true`');
    expect(await adminQuery(`SELECT id FROM ${table} WHERE id = 98`)).toEqual([]);
  });

  it('F7: binds the values of the query\'s expressions as parameters, and plans the SQL as it runs', async () => {
    const evil = "x' OR '1'='1";
    const env = { OPSCTL_B1: evil, OPSCTL_B2: '1' };
    const query = `SELECT count(*) AS n FROM ${table} WHERE name = \${OPSCTL_B1} OR id = $1 OR id = \${OPSCTL_B2}`;
    expect(outputs(await run({ database: 'main', query, params: [2] }, { env })).value).toBe(2);
    const plan = await (await load('sql')).plan({ database: 'main', query, params: [2] }, fakeContext({ config, env }));
    expect(plan.summary).toContain('(read-only)');
    expect(plan.details).toEqual([`SELECT count(*) AS n FROM ${table} WHERE name = $2 OR id = $1 OR id = $3`, '$1 = 2', `$2 = '${evil}'`, "$3 = '1'"]);
  });

  it('explains that a query with params must be one statement', async () => {
    const outcome = failed(await run({ database: 'main', query: 'SELECT $1::int; SELECT 2', params: [1] }));
    expect(outcome.message).toContain('with `params`, the query must be a single statement');
  });

  it('registers the password of the database URL as a secret', async () => {
    const ctx = fakeContext({ config });
    const url = new URL(PG_URL);
    url.password = 'pw-never-shown';
    await (await load('sql')).run({ database: url.toString(), query: 'SELECT 1' }, ctx);
    expect(ctx.recorded.secrets).toContain('pw-never-shown');
  });

  it('shows the server message and the SQL line with a caret under the error position', async () => {
    const outcome = failed(await run({ database: 'main', query: `SELECT id,\n       nmae\n  FROM ${table}` }));
    expect(outcome.reason).toBe('sql-error');
    expect(outcome.errorKind).toBe('undefined_column');
    expect(outcome.message).toBe(
      [
        'PostgreSQL error 42703 (undefined_column): column "nmae" does not exist',
        'at line 2, column 8:',
        '  2 |        nmae',
        '    |        ^',
        'hint: Perhaps you meant to reference the column "items.name".',
      ].join('\n'),
    );
  });

  it('turns the step timeout into statement_timeout', async () => {
    const outcome = failed(await run({ database: 'main', query: 'SELECT pg_sleep(10)' }, { timeoutMs: 300 }));
    expect(outcome.reason).toBe('timeout');
    expect(outcome.message).toMatch(/ran past the step timeout \(300ms\) and was cancelled on the server \(statement_timeout\)/);
  });

  it('cancels the running query on the server when the signal aborts', async () => {
    const controller = new AbortController();
    const runId = uniqueName('cancel');
    const pending = run({ database: 'main', query: 'SELECT pg_sleep(30)' }, { signal: controller.signal, runId });
    const active = async () => adminQuery(`SELECT pid FROM pg_stat_activity WHERE application_name LIKE $1 AND state = 'active' AND query LIKE '%pg_sleep%'`, [`opsctl ${runId}%`]);
    for (let i = 0; i < 200 && (await active()).length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(await active()).toHaveLength(1);
    controller.abort(new Error('interrupted by SIGINT'));
    const outcome = failed(await pending);
    expect(outcome.reason).toBe('cancelled');
    expect(outcome.message).toMatch(/was cancelled\W+interrupted by SIGINT\W*; it was cancelled on the server \(backend \d+\)/);
    expect(await active()).toEqual([]);
  });

  it('leaves nothing running on the server whenever the abort comes (connecting, setting up, querying)', async () => {
    for (const delay of [0, 2, 10, 30, 60]) {
      const controller = new AbortController();
      const runId = uniqueName('race');
      const pending = run({ database: 'main', query: 'SELECT pg_sleep(30)', transaction: delay % 2 === 0 }, { signal: controller.signal, runId });
      setTimeout(() => controller.abort(new Error('interrupted')), delay);
      const outcome = failed(await pending);
      expect(outcome.reason).toBe('cancelled');
      const left = await adminQuery(`SELECT pid FROM pg_stat_activity WHERE application_name LIKE $1 AND state <> 'idle'`, [`opsctl ${runId}%`]);
      expect(left).toEqual([]);
    }
  });

  it('reports a timeout when the engine aborts with TimeoutError', async () => {
    const controller = new AbortController();
    const pending = run({ database: 'main', query: 'SELECT pg_sleep(30)' }, { signal: controller.signal });
    setTimeout(() => controller.abort(timeoutError(200)), 200);
    const outcome = failed(await pending);
    expect(outcome.reason).toBe('timeout');
  });

  it('names host and port when the connection is refused', async () => {
    const port = await closedPort();
    const outcome = failed(await run({ database: `postgres://postgres@127.0.0.1:${port}/test`, query: 'SELECT 1' }));
    expect(outcome.reason).toBe('connection-error');
    expect(outcome.errorKind).toBe('ECONNREFUSED');
    expect(outcome.message).toBe(
      `could not connect to PostgreSQL at 127.0.0.1:${port}: connection refused. Check that the server is running and listens on 127.0.0.1:${port} (pg_isready -h 127.0.0.1 -p ${port}), and that the URL of the step's \`database\` is right.`,
    );
  });

  it('says which user was refused, without the password', async () => {
    const role = uniqueName('nobody');
    const url = new URL(PG_URL);
    url.username = role;
    url.password = 's3cret-pw';
    const outcome = failed(await run({ database: url.toString(), query: 'SELECT 1' }));
    expect(outcome.reason).toBe('connection-error');
    expect(outcome.message).toMatch(new RegExp(`^(PostgreSQL at .* refused user \`${role}\`|authentication failed for user \`${role}\`)`));
    expect(outcome.message).not.toContain('s3cret-pw');
  });

  it('says when the database does not exist', async () => {
    const url = new URL(PG_URL);
    url.pathname = '/no_such_db_opsctl';
    const outcome = failed(await run({ database: 'other', query: 'SELECT 1' }, { config: { ...config, databases: { other: { name: 'other', url: url.toString() } } } }));
    expect(outcome.errorKind).toBe('invalid_catalog_name');
    expect(outcome.message).toMatch(/^database `no_such_db_opsctl` does not exist on 127\.0\.0\.1:5432\. Check the database name in the URL of database `other` in opsctl\.yaml/);
  });

  it('refuses a database name that is not configured, with a suggestion', async () => {
    const outcome = failed(await run({ database: 'mian', query: 'SELECT 1' }));
    expect(outcome.reason).toBe('invalid-input');
    expect(outcome.message).toContain('unknown database `mian`');
    expect(outcome.message).toContain('Databases in opsctl.yaml: main.');
  });

  it('plans the SQL and its params with secrets redacted', async () => {
    const sql = await load('sql');
    const ctx = fakeContext({ config, redact: (text) => text.split('hunter2').join('***') });
    const plan = await sql.plan({ database: 'main', query: `UPDATE ${table}\n   SET name = $1\n WHERE id = $2`, params: ['hunter2', 7], transaction: true, expect: { rows: 1 } }, ctx);
    expect(plan.summary).toBe('SQL on main (postgres@127.0.0.1:5432/test) (in a transaction)');
    expect(plan.details).toEqual([
      `UPDATE ${table}`,
      '   SET name = $1',
      ' WHERE id = $2',
      "$1 = '***'",
      '$2 = 7',
      'in a transaction: BEGIN … COMMIT, rolled back on error or when `expect` fails',
      'effect: write (it starts with UPDATE)',
      'expect: rows = 1',
    ]);
  });
});

describe('sql adapter input', () => {
  it('refuses bad input before connecting', async () => {
    const outcome = await (await load('sql')).run({ database: 'postgres://127.0.0.1:1/x', query: 'SELECT 1', params: 'nope' }, fakeContext());
    expect(outcome).toMatchObject({ type: 'failure', reason: 'invalid-input', message: '`sql.params` must be a list of values bound to $1, $2, …' });
  });

  it('needs a database when none or several are configured', async () => {
    const outcome = await (await load('sql')).run({ query: 'SELECT 1' }, fakeContext());
    expect(outcome).toMatchObject({ type: 'failure', reason: 'invalid-input' });
    expect(outcome.type === 'failure' && outcome.message).toContain('`sql` needs `database`');
  });
});
