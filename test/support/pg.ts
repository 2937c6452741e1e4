import { randomBytes } from 'node:crypto';
import { describe, it } from 'vitest';
import pg from 'pg';

/**
 * The real PostgreSQL server the database tests use (DEVELOPERS.md): 127.0.0.1:5432, user
 * postgres, database test, trust auth. When it does not answer, the tests that need it are
 * skipped with a message saying so, or fail when OPSCTL_REQUIRE_PG=1 (as `.ci/run` sets).
 */
export const PG_URL = process.env.OPSCTL_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const status = await probe();

async function probe(): Promise<{ readonly ok: true } | { readonly ok: false; readonly reason: string }> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  } finally {
    await client.end().catch(() => undefined);
  }
}

export const pgAvailable = status.ok;

/** `describe` for tests that need the server: skipped visibly, or failing under OPSCTL_REQUIRE_PG=1. */
export function describePg(name: string, body: () => void): void {
  if (status.ok) {
    describe(name, body);
    return;
  }
  const why = `PostgreSQL is not reachable at ${PG_URL} (${status.reason})`;
  if (process.env.OPSCTL_REQUIRE_PG === '1') {
    describe(name, () => {
      it('needs PostgreSQL (OPSCTL_REQUIRE_PG=1)', () => {
        throw new Error(`${why}; start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`);
      });
    });
    return;
  }
  process.stderr.write(`\n[skipped] ${name}: ${why}. Set OPSCTL_REQUIRE_PG=1 to fail instead.\n`);
  describe.skip(`${name} [skipped: ${why}]`, body);
}

/** A unique name for a schema, table or role, so test files can run at the same time. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

/** Runs statements on the test database as the admin user, on a connection of its own. */
export async function adminQuery<R extends pg.QueryResultRow = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** `postgres://…/test` with `?schema=NAME`: the postgres state backend keeps its tables there. */
export function urlWithSchema(schema: string): string {
  const url = new URL(PG_URL);
  url.searchParams.set('schema', schema);
  return url.toString();
}

/** A closed TCP port on 127.0.0.1, for "connection refused". */
export async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
