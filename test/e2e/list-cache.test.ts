import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { runOpsctl, tempProject } from './helpers';

describe('opsctl list with its cache', () => {
  const project = tempProject({
    'opsctl.yaml': 'runbooks: [./ops]\n',
    'ops/ship.yaml': 'apiVersion: opsctl/v1\nkind: Runbook\nname: ship\ntitle: Ship it\nsteps:\n  - { id: a, log: hi }\n',
  });
  afterAll(() => project.cleanup());
  const env = { OPSCTL_CACHE_DIR: join(project.dir, 'cache') };
  const ship = async () => (await runOpsctl(['list', '--output', 'json'], { cwd: project.dir, env })).stdout;
  const entry = (out: string) => (JSON.parse(out) as { runbooks: { name: string; title?: string; valid: boolean; errors: number }[] }).runbooks.find((r) => r.name === 'ship');

  it('shows a runbook as it is now after it was edited, valid or not', async () => {
    const first = await ship();
    expect(entry(first)).toMatchObject({ title: 'Ship it', valid: true });
    expect(await ship()).toBe(first);
    writeFileSync(join(project.dir, 'ops/ship.yaml'), 'apiVersion: opsctl/v1\nkind: Runbook\nname: ship\ntitle: Ship it again\nsteps:\n  - { id: a, log: hi }\n');
    expect(entry(await ship())).toMatchObject({ title: 'Ship it again', valid: true });
    writeFileSync(join(project.dir, 'ops/ship.yaml'), 'apiVersion: opsctl/v1\nkind: Runbook\nname: ship\nsteps: []\n');
    expect(entry(await ship())).toMatchObject({ valid: false, errors: 1 });
  });
});
