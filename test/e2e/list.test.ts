import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOpsctl, tempProject } from './helpers';

describe('opsctl list', () => {
  let project: ReturnType<typeof tempProject>;
  beforeAll(() => {
    project = tempProject({
      'opsctl.yaml': 'runbooks: [./ops]\n',
      'ops/ship.yaml': [
        'apiVersion: opsctl/v1',
        'kind: Runbook',
        'name: ship',
        'title: Ship the thing',
        'params:',
        '  version: { type: string, required: true }',
        '  replicas: { type: integer, default: 3 }',
        'steps:',
        '  - { id: a, log: hi }',
        '',
      ].join('\n'),
      'ops/deploy.yaml': 'apiVersion: opsctl/v1\nkind: Runbook\nname: deploy\ntitle: Our own deploy\nsteps:\n  - { id: a, log: hi }\n',
      'ops/bad.yaml': 'apiVersion: opsctl/v1\nkind: Runbook\nname: bad\nsteps: []\n',
    });
  });
  afterAll(() => project.cleanup());

  it('shows name, title, params and where each runbook comes from', async () => {
    const result = await runOpsctl(['list'], { cwd: project.dir });
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^NAME\s+TITLE\s+PARAMS\s+SOURCE$/);
    expect(lines.find((l) => l.startsWith('ship '))).toMatch(/^ship\s+Ship the thing\s+version\* replicas=3\s+ops\/ship\.yaml$/);
    expect(lines.find((l) => l.startsWith('bad '))).toMatch(/^bad\s+\(invalid: 1 error; see `opsctl validate ops\/bad\.yaml`\)\s+ops\/bad\.yaml$/);
    expect(lines.find((l) => l.startsWith('deploy ') && l.includes('Our own deploy'))).toMatch(/ops\/deploy\.yaml$/);
    expect(lines.find((l) => l.startsWith('deploy ') && l.includes('shipped:'))).toMatch(/shipped: runbooks\/deploy\.yaml \(shadowed\)$/);
  });

  it('prints JSON with --output json', async () => {
    const result = await runOpsctl(['list', '--output', 'json'], { cwd: project.dir });
    expect(result.code).toBe(0);
    const listed = JSON.parse(result.stdout) as { searchPath: string[]; runbooks: { name: string; title?: string; params: { name: string; required: boolean; default?: unknown }[]; builtin: boolean; valid: boolean }[] };
    expect(listed.searchPath[0]).toMatch(/ops$/);
    const ship = listed.runbooks.find((r) => r.name === 'ship');
    expect(ship).toMatchObject({ title: 'Ship the thing', builtin: false, valid: true });
    expect(ship?.params.map((p) => [p.name, p.required, p.default])).toEqual([
      ['version', true, undefined],
      ['replicas', false, 3],
    ]);
    expect(listed.runbooks.some((r) => r.builtin)).toBe(true);
  });
});
