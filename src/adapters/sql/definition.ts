import { s } from '../../runbook/schema-dsl';
import type { ActionDefinition } from '../types';
import { classifySql } from './classify';

const count = s.integer({ min: 0 });

/**
 * `sql:` — one query against a database named in opsctl.yaml (or a URL). Light on purpose: `pg`
 * is imported by `./run` when a step first runs.
 */
export const sqlDefinition: ActionDefinition = {
  key: 'sql',
  summary: 'Run a PostgreSQL query with bound params and check its result',
  schema: s.object(
    {
      database: s.string({
        description: 'A name under `databases:` in opsctl.yaml, or a postgres:// URL. May be left out when opsctl.yaml names exactly one database.',
      }),
      query: s.string({
        description:
          'The SQL. Each `${{ }}` in it is bound as a parameter ($n after `params`), never pasted into the SQL text: write it bare, not inside quotes. Names (tables, schemas) go in `identifiers` and are written `:"name"`.',
      }),
      params: s.array(s.any(), { description: 'Values bound to $1, $2, … (never pasted into the SQL text).' }),
      identifiers: s.map(s.oneOf([s.string(), s.array(s.string())]), {
        keyPattern: '^[A-Za-z_][A-Za-z0-9_]*$',
        description: 'Table or schema names written `:"name"` in the query, filled in double-quoted (`public.orders` → "public"."orders"; a list or a comma-separated string → several names).',
      }),
      expect: s.object(
        {
          rows: s.integer({ min: 0, description: 'Exact number of rows returned (or affected, for INSERT/UPDATE/DELETE).' }),
          min_rows: count,
          max_rows: count,
          value: s.any('Expected `value` (the first column of the first row).'),
          min: s.number({ description: 'Lowest allowed `value`.' }),
          max: s.number({ description: 'Highest allowed `value`.' }),
          expr: s.string({
            format: 'expression',
            variables: ['rows', 'row', 'value', 'count'],
            description: 'A CEL expression over `rows`, `row`, `value` and `count` that must be true, e.g. `rows.all(r, r.lag_seconds < 30)`. Written bare, without `${{ }}`.',
          }),
        },
        { description: 'What a good result looks like; a mismatch fails the step with what was found.' },
      ),
      transaction: s.boolean('Run the query inside BEGIN … COMMIT, rolled back if it fails (default false).'),
      writes: s.boolean(
        'The query changes something although it reads like a SELECT (a function with side effects): treat the step as a write and do not run it read-only.',
      ),
    },
    { required: ['query'], shortForm: 'query' },
  ),
  effect: (input, step) => {
    if (step.readonly) return 'read';
    if (input.writes === true) return 'write';
    return typeof input.query === 'string' ? classifySql(input.query).effect : 'write';
  },
  // The query's `${{ }}` reach the adapter as `${OPSCTL_Bn}` references it binds as $n (./bind.ts).
  bindFields: ['query'],
  outputs: ['rows', 'row', 'value', 'count'],
  load: () => import('./run'),
};
