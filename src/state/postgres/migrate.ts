import type { Pool } from 'pg';
import { MIGRATIONS, type Migration } from './migrations';
import { advisoryLockId, quoteIdent } from './url';

export type MigrateResult = { readonly applied: readonly number[]; readonly version: number };

/**
 * Brings the schema up to the newest migration. Everything happens in one transaction under a
 * transaction-level advisory lock, so two opsctl processes starting at once apply each migration
 * exactly once: the second waits, then finds nothing left to do.
 */
export async function migrate(pool: Pool, schema: string, migrations: readonly Migration[] = MIGRATIONS): Promise<MigrateResult> {
  const S = quoteIdent(schema);
  const newest = Math.max(0, ...migrations.map((m) => m.version));
  // Fast path, and no DDL rights needed when a DBA created the tables: already up to date.
  const current = await currentVersion(pool, S);
  if (current === newest) return { applied: [], version: newest };
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [advisoryLockId(schema, 'opsctl:migrate')]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${S}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${S}.opsctl_schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const done = new Set((await client.query<{ version: number }>(`SELECT version FROM ${S}.opsctl_schema_migrations`)).rows.map((r) => r.version));
    const ahead = [...done].filter((v) => v > newest);
    if (ahead.length) {
      throw new Error(
        `the opsctl tables in schema \`${schema}\` are at version ${Math.max(...ahead)}, newer than this opsctl knows (${newest}): upgrade opsctl on this machine`,
      );
    }
    const applied: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(migration.version)) continue;
      for (const statement of migration.statements(S)) await client.query(statement);
      await client.query(`INSERT INTO ${S}.opsctl_schema_migrations (version, name) VALUES ($1, $2)`, [migration.version, migration.name]);
      applied.push(migration.version);
    }
    await client.query('COMMIT');
    return { applied, version: newest };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** The newest applied version, or undefined when the tables do not exist yet. */
async function currentVersion(pool: Pool, S: string): Promise<number | undefined> {
  const exists = await pool.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [`${S}.opsctl_schema_migrations`]);
  if (exists.rows[0]?.found !== true) return undefined;
  const result = await pool.query<{ version: number | null }>(`SELECT max(version) AS version FROM ${S}.opsctl_schema_migrations`);
  return result.rows[0]?.version ?? undefined;
}
