import { describe, expect, it } from 'vitest';
import { classifySql } from '../../../../src/adapters/sql/classify';
import { sqlDefinition } from '../../../../src/adapters/sql/definition';

const reads = [
  'SELECT 1',
  'select count(*) from pg_stat_activity;',
  '  -- a comment\n  SELECT * FROM t WHERE note = \'DELETE everything\'',
  'SHOW max_connections',
  'EXPLAIN SELECT * FROM t',
  'EXPLAIN DELETE FROM t',
  'EXPLAIN ANALYZE SELECT * FROM t',
  'EXPLAIN (ANALYZE, BUFFERS) SELECT 1',
  'EXPLAIN (ANALYZE false) UPDATE t SET a = 1',
  'WITH x AS (SELECT 1) SELECT * FROM x',
  'VALUES (1), (2)',
  'TABLE pg_settings',
  'SELECT "update", "insert" FROM t /* INSERT INTO nowhere */',
  'SELECT $$ DROP TABLE t; $$ AS body',
  'SELECT updated_at, inserted_by FROM t',
  "SELECT E'it\\'s; DELETE' AS text",
];

const writes: [string, RegExp][] = [
  ['INSERT INTO t VALUES (1)', /starts with INSERT/],
  ['DELETE FROM t', /starts with DELETE/],
  ['VACUUM ANALYZE t', /starts with VACUUM/],
  ['SELECT 1; SELECT 2', /2 statements/],
  ['WITH gone AS (DELETE FROM t RETURNING *) SELECT count(*) FROM gone', /contains DELETE/],
  ['SELECT * INTO t2 FROM t', /contains INTO/],
  ['SELECT * FROM t FOR UPDATE', /contains UPDATE/],
  ['SELECT * FROM t FOR SHARE', /FOR SHARE/],
  ['SELECT nextval(\'seq\')', /calls nextval\(\)/],
  ['SELECT pg_terminate_backend(pid) FROM pg_stat_activity', /calls pg_terminate_backend\(\)/],
  ['select pg_advisory_lock(1)', /calls pg_advisory_lock\(\)/],
  ['EXPLAIN ANALYZE DELETE FROM t', /EXPLAIN ANALYZE runs its statement/],
  ['EXPLAIN (ANALYZE) INSERT INTO t VALUES (1)', /EXPLAIN ANALYZE runs its statement/],
  ['', /empty/],
  ['-- only a comment', /empty/],
];

describe('sql read/write rule', () => {
  it.each(reads)('reads: %s', (sql) => {
    expect(classifySql(sql)).toEqual({ effect: 'read' });
  });

  it.each(writes)('writes: %s', (sql, reason) => {
    const result = classifySql(sql);
    expect(result.effect).toBe('write');
    expect(result.effect === 'write' ? result.reason : '').toMatch(reason);
  });

  it('lets the step decide first: `readonly: true` reads, `writes: true` writes', () => {
    expect(sqlDefinition.effect({ query: 'DELETE FROM t' }, { readonly: true })).toBe('read');
    expect(sqlDefinition.effect({ query: 'SELECT my_cleanup()', writes: true }, { readonly: false })).toBe('write');
    expect(sqlDefinition.effect({ query: 'SELECT 1' }, { readonly: false })).toBe('read');
    expect(sqlDefinition.effect({ query: 'UPDATE t SET a = 1' }, { readonly: false })).toBe('write');
  });
});
