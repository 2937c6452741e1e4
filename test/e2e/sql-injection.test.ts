import { afterAll, expect, it } from 'vitest';
import { runOpsctl, tempProject } from './helpers';
import { adminQuery, describePg, PG_URL, uniqueName } from '../support/pg';

/** QA F7: `opsctl plan` must not write, whatever a param holds or a step claims. */
describePg('F7: sql steps in a plan', () => {
  const table = uniqueName('f7_injected');
  const claimed = uniqueName('f7_claimed');
  const project = tempProject({
    'runbooks/look.yaml': `apiVersion: opsctl/v1
kind: Runbook
name: look
lock: false
params: { name: { type: string } }
steps:
  - id: bare
    readonly: true
    sql: { database: "${PG_URL}", query: "select \${{ params.name }}::text as n" }
  - id: claimed
    readonly: true
    on_failure: continue
    sql: { database: "${PG_URL}", query: "create table ${claimed}(i int)" }
  - id: write
    sql: { database: "${PG_URL}", query: "update pg_temp.nothing set a = \${{ params.name }} where b = $1", params: [7] }
`,
    'runbooks/quoted.yaml': `apiVersion: opsctl/v1
kind: Runbook
name: quoted
lock: false
params: { name: { type: string } }
steps:
  - id: quoted
    readonly: true
    sql: { database: "${PG_URL}", query: "select '\${{ params.name }}' as n" }
`,
  });
  afterAll(async () => {
    project.cleanup();
    await adminQuery(`DROP TABLE IF EXISTS ${table}, ${claimed}`);
  });

  it('validate refuses ${{ }} inside quotes in sql.query, at its line', async () => {
    const result = await runOpsctl(['validate', './runbooks/quoted.yaml'], { cwd: project.dir, env: { CI: 'true' } });
    expect(result.code).toBe(2);
    expect(result.stdout + result.stderr).toContain('quoted.yaml:9:');
    expect(result.stdout + result.stderr).toContain('an expression sits inside a quoted string of `sql.query`');
  });

  it('binds ${{ }} values, runs readonly: true steps read-only, and shows the SQL as it runs', async () => {
    const name = `x'; create table ${table}(i int); select '1`;
    const result = await runOpsctl(['plan', './runbooks/look.yaml', '-p', `name=${name}`, '--output', 'plain'], { cwd: project.dir, env: { CI: 'true' } });
    const out = result.stdout + result.stderr;
    expect(await adminQuery(`SELECT tablename FROM pg_tables WHERE tablename IN ('${table}', '${claimed}')`)).toEqual([]);
    expect(out).toContain("[bare] x'; create table");
    expect(out).toContain('cannot execute CREATE TABLE in a read-only transaction');
    expect(out).toContain('update pg_temp.nothing set a = $2 where b = $1');
    expect(out).toContain(`$2 = '${name}'`);
  });
});
