import { describe, expect, it } from 'vitest';
import { compileText, HEADER, show } from './helpers';

const runbook = (step: string) => `${HEADER}params:\n  name: { type: string, default: x }\nsteps:\n  - id: q\n${step}`;

describe('F7: sql.query at validate time', () => {
  it('accepts ${{ }} written bare (bound as $n) and :"name" listed under identifiers', () => {
    for (const step of [
      '    sql: { query: "select * from t where name = ${{ params.name }} and id = $1", params: [1] }\n',
      '    sql: { query: \'VACUUM (ANALYZE) :"t"\', identifiers: { t: "${{ params.name }}" } }\n',
      '    sql: { query: "select \'it\'\'s\' -- ${{ no }} is not here" }\n'.replace('${{ no }}', 'nothing'),
    ]) {
      const result = compileText(runbook(step));
      expect(result.diagnostics.map(show), step).toEqual([]);
    }
  });

  it('refuses ${{ }} inside quotes and a :"name" not under identifiers, at the query', () => {
    const quoted = compileText(runbook('    sql: { query: "select \'${{ params.name }}\'" }\n'));
    expect(quoted.ok).toBe(false);
    expect(quoted.diagnostics.map(show)).toEqual([
      '8:19 error sql-query: step `q`: an expression sits inside a quoted string of `sql.query`, where it would be the text $n, not its value: write it bare (`= ${{ … }}`, no quotes around it): opsctl binds its value as a parameter (values are bound as parameters; table and schema names go in `identifiers:` and are written :"name")',
    ]);
    const missing = compileText(runbook('    sql: { query: \'REINDEX SCHEMA :"schema"\' }\n'));
    expect(missing.diagnostics.map(show)).toEqual(['8:19 error sql-query: step `q`: `:"schema"` in `sql.query` is not under `identifiers:` (values are bound as parameters; table and schema names go in `identifiers:` and are written :"name")']);
  });
});
