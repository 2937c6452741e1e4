import { describe, expect, it } from 'vitest';
import { bindQuery, quoteIdentifiers } from '../../../../src/adapters/sql/bind';

describe('F7: expressions in sql.query are bound, never pasted', () => {
  it('turns each reference into the next $n after params, the same expression into the same $n', () => {
    const bound = bindQuery('select * from t where a = $1 and b = ${OPSCTL_B1} or c = ${OPSCTL_B2} or d = ${OPSCTL_B1}', [5], { OPSCTL_B1: "x'; drop table t; --", OPSCTL_B2: '7' });
    expect(bound).toEqual({ ok: true, value: { sql: 'select * from t where a = $1 and b = $2 or c = $3 or d = $2', params: [5, "x'; drop table t; --", '7'], fromQuery: 2 } });
  });

  it('refuses a reference inside a quoted string, name, dollar-quoted body or comment, saying to write it bare', () => {
    for (const query of ["select '${OPSCTL_B1}'", "select E'a\\'${OPSCTL_B1}'", 'select "${OPSCTL_B1}"', 'select $$${OPSCTL_B1}$$', 'select 1 -- ${OPSCTL_B1}', 'select /* ${OPSCTL_B1} */ 1']) {
      const bound = bindQuery(query, [], { OPSCTL_B1: 'v' });
      expect(bound.ok, query).toBe(false);
      if (!bound.ok) expect(bound.message).toContain('write it bare');
    }
  });

  it('leaves quoted text, $n placeholders and casts alone', () => {
    const query = "select 'it''s ${x}', \"Col\", $$body$$, $1::int, now()::text -- note";
    expect(bindQuery(query, [1], {})).toEqual({ ok: true, value: { sql: query, params: [1], fromQuery: 0 } });
  });

  it('fills in :"name" from identifiers as quoted names, and refuses an unknown one', () => {
    expect(bindQuery('VACUUM (ANALYZE) :"tables"', [], {}, { tables: 'public.orders, items' })).toEqual({ ok: true, value: { sql: 'VACUUM (ANALYZE) "public"."orders", "items"', params: [], fromQuery: 0 } });
    expect(bindQuery("select ':\"x\"'", [], {}, {})).toMatchObject({ ok: true });
    const unknown = bindQuery('REINDEX SCHEMA :"schema"', [], {}, { tables: 'x' });
    expect(unknown).toEqual({ ok: false, message: '`:"schema"` in `sql.query` is not under `identifiers:` (there: tables)' });
  });

  it('quotes a name so that it can never end the identifier', () => {
    expect(quoteIdentifiers('t', 'a"; drop table x; --')).toEqual({ ok: true, text: '"a""; drop table x; --"' });
    expect(quoteIdentifiers('t', ['s.a', 'b'])).toEqual({ ok: true, text: '"s"."a", "b"' });
    expect(quoteIdentifiers('t', 'a,,b')).toMatchObject({ ok: false });
  });
});
