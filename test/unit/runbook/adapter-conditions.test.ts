import { describe, expect, it } from 'vitest';
import { compileText, HEADER, show } from './helpers';

/** Bare CEL conditions in adapter inputs (`http` expect.json, `sql` expect.expr) are checked at load time. */
const runbook = (step: string) => `${HEADER}params:\n  min: { type: integer, default: 1 }\nsteps:\n  - id: check\n${step}`;

describe('adapter conditions', () => {
  it('accepts good conditions, the JSON-path form, and `${{ }}` filled in before the adapter reads it', () => {
    for (const step of [
      '    http: { url: "http://127.0.0.1/", expect: { json: "json.status == \'ok\' && status == 200" } }\n',
      '    http: { url: "http://127.0.0.1/", expect: { json: { "$.status": "ok" } } }\n',
      '    sql: { query: "select 1", expect: { expr: "value >= ${{ params.min }} && size(rows) == count" } }\n',
      '    sql: { query: "select 1", expect: { expr: "rows.all(r, r.lag < 30)" } }\n',
    ]) {
      const result = compileText(runbook(step));
      expect(result.diagnostics.map(show)).toEqual([]);
      expect(result.ok).toBe(true);
    }
  });

  it('reports a syntax error inside an `undo` too, at its line:col', () => {
    const result = compileText(runbook('    shell: make\n    undo:\n      sql: { query: "select 1", expect: { expr: "count >" } }\n'));
    expect(result.diagnostics.map(show)).toEqual(['10:57 error bad-expression: expression does not parse: Unexpected token: EOF (expressions are CEL: https://cel.dev)']);
  });

  it('reports a run context read bare, with the `${{ }}` way as the hint', () => {
    const result = compileText(runbook('    sql: { query: "select 1", expect: { expr: "value > params.min" } }\n'));
    expect(result.diagnostics.map(show)).toEqual([
      '8:56 error unknown-variable: `expect.expr` can read `rows`, `row`, `value`, `count`, not `params` (`expect.expr` is evaluated over the answer: rows, row, value, count; for a value of the run, use `${{ }}`)',
    ]);
  });

  it('checks functions as elsewhere', () => {
    const result = compileText(runbook('    http: { url: "http://127.0.0.1/", expect: { json: "sizee(json.items) > 0" } }\n'));
    expect(result.diagnostics.map((d) => d.code)).toEqual(['unknown-function']);
  });
});
