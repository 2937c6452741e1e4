import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runOpsctl } from './helpers';

describe('opsctl schema', () => {
  it('prints the JSON Schema that ships as schema/runbook.schema.json', async () => {
    const result = await runOpsctl(['schema']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(readFileSync(join(ROOT, 'schema/runbook.schema.json'), 'utf8'));
    const schema = JSON.parse(result.stdout) as { $defs: Record<string, unknown> };
    expect(Object.keys(schema.$defs)).toEqual(expect.arrayContaining(['step', 'action', 'action.shell', 'action.http', 'action.ecs.deploy', 'action.sql']));
  });
});
