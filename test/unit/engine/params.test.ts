import { describe, expect, it } from 'vitest';
import { applyParams, paramFlag } from '../../../src/engine/params';
import type { ParamSpec } from '../../../src/runbook/model';

const range = { file: 'x', start: { line: 1, col: 1 }, end: { line: 1, col: 1 } } as unknown as ParamSpec['range'];
const spec = (p: Partial<ParamSpec> & Pick<ParamSpec, 'name' | 'type'>): ParamSpec => ({ required: false, secret: false, range, ...p });
const specs = [
  spec({ name: 'version', type: 'string', required: true, pattern: '^\\d+\\.\\d+\\.\\d+$', description: 'Image tag' }),
  spec({ name: 'replicas', type: 'integer', default: 4, min: 1, max: 12 }),
  spec({ name: 'strategy', type: 'enum', values: ['rolling', 'blue-green'], default: 'rolling' }),
  spec({ name: 'force', type: 'boolean', default: false }),
];

describe('applyParams', () => {
  it('types values and applies defaults', () => {
    expect(applyParams(specs, { version: '1.2.3', replicas: '6', force: 'yes' }, 'deploy')).toEqual({
      ok: true,
      values: { version: '1.2.3', replicas: 6, strategy: 'rolling', force: true },
    });
  });

  it('reports missing, unknown and invalid values together', () => {
    const result = applyParams(specs, { replicas: '13', strategy: 'big-bang', colour: 'red' }, 'deploy');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.missing.map((s) => s.name)).toEqual(['version']);
    expect(result.invalid).toEqual([
      '-p colour: runbook `deploy` has no param `colour` (it takes: version, replicas, strategy, force)',
      '-p replicas: 13 is above the maximum 12',
      '-p strategy: "big-bang" is not one of rolling, blue-green',
    ]);
    expect(paramFlag(specs[0]!)).toBe('-p version=<string>  (Image tag)');
  });

  it('never shows the value of a secret param in a message', () => {
    const result = applyParams([spec({ name: 'token', type: 'string', secret: true, pattern: '^tok_' })], { token: 'hunter2-secret' }, 'x');
    expect(JSON.stringify(result)).not.toContain('hunter2');
  });
});
