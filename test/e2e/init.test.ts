import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT, runOpsctl, tempProject } from './helpers';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function empty(files: Record<string, string> = {}): string {
  const project = tempProject(files);
  cleanups.push(project.cleanup);
  return project.dir;
}

describe('opsctl init', () => {
  it('scaffolds opsctl.yaml and starter runbooks that validate and plan', async () => {
    const dir = empty();
    const init = await runOpsctl(['init'], { cwd: dir });
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('opsctl.yaml');
    for (const file of ['opsctl.yaml', 'runbooks/deploy.yaml', 'runbooks/smoke-test.yaml']) {
      expect(readFileSync(join(dir, file), 'utf8')).toBe(readFileSync(join(ROOT, 'templates/init', file), 'utf8'));
    }
    const config = parse(readFileSync(join(dir, 'opsctl.yaml'), 'utf8')) as { environments: Record<string, { protected?: boolean }> };
    expect(Object.keys(config.environments)).toEqual(['staging', 'production']);
    expect(config.environments['production']?.protected).toBe(true);
    expect(config.environments['staging']?.protected).toBeUndefined();

    const validate = await runOpsctl(['validate'], { cwd: dir });
    expect(validate.code).toBe(0);
    expect(validate.stdout).toContain('runbooks/deploy.yaml');
    expect(validate.stdout + validate.stderr).not.toMatch(/error|warning/);

    // The project's deploy shadows the shipped one; the plan changes nothing and prints each command.
    const plan = await runOpsctl(['plan', 'deploy', '--env', 'staging', '-p', 'version=1.0.0', '--output', 'plain'], { cwd: dir, env: { CI: '1' } });
    expect(plan.stderr).toBe('');
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('will deploy my-registry.example.com/my-app:1.0.0 to my-app-staging/api (staging)');
    expect(plan.stdout).toContain('docker push "my-registry.example.com/my-app:1.0.0"');
    expect(plan.stdout).toContain('aws ecs update-service --cluster "my-app-staging"');

    const production = await runOpsctl(['plan', 'deploy', '--env', 'production', '-p', 'version=1.0.0', '--output', 'plain'], { cwd: dir, env: { CI: '1' } });
    expect(production.code).toBe(0);
    expect(production.stdout).toContain('my-app-production');
  });

  it('refuses to overwrite: exit 2 naming every existing file, and writes nothing', async () => {
    const dir = empty({ 'opsctl.yaml': 'runbooks: []\n', 'runbooks/deploy.yaml': 'mine\n' });
    const init = await runOpsctl(['init'], { cwd: dir });
    expect(init.code).toBe(2);
    expect(init.stderr).toContain('`opsctl.yaml`, `runbooks/deploy.yaml`');
    expect(init.stderr).toContain('nothing was written');
    expect(readFileSync(join(dir, 'opsctl.yaml'), 'utf8')).toBe('runbooks: []\n');
    expect(readFileSync(join(dir, 'runbooks/deploy.yaml'), 'utf8')).toBe('mine\n');
    expect(existsSync(join(dir, 'runbooks/smoke-test.yaml'))).toBe(false);
  });

  it('writes into a folder that holds other files, and -C picks the folder', async () => {
    const dir = empty({ 'README.md': '# app\n' });
    writeFileSync(join(dir, 'notes.txt'), 'x');
    const init = await runOpsctl(['-C', dir, 'init'], { cwd: ROOT });
    expect(init.code).toBe(0);
    expect(existsSync(join(dir, 'opsctl.yaml'))).toBe(true);
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toBe('# app\n');
  });
});
