import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exists, fixture, project, runIn } from './run-fixtures';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
const temp = (files: Record<string, string> = {}) => {
  const p = project(files);
  cleanups.push(p.cleanup);
  return p.dir;
};

const CONFIG = `environments:
  staging: { vars: { cluster: stage-1 } }
  production: { protected: true, vars: { cluster: prod-1 } }
`;

describe('confirmations without a terminal', () => {
  it('a gate without --yes exits 3 before the first side effect, naming the flags to pass', async () => {
    const dir = temp();
    const result = await runIn(dir, ['run', fixture('gates')]);
    expect(result.code).toBe(3);
    expect(exists(dir, 'first.marker')).toBe(false);
    expect(result.stdout).toContain('--approve migrate --approve approve_dns');
    expect(result.stdout).toContain('nothing was run');
  });

  it('--approve of one step passes only that gate', async () => {
    const dir = temp();
    const one = await runIn(dir, ['run', fixture('gates'), '--approve', 'migrate']);
    expect(one.code).toBe(3);
    expect(one.stdout).toContain('there is no terminal to ask: `approve_dns`; nothing was run');
    expect(one.stdout).not.toContain('`migrate`');
    expect(exists(dir, 'first.marker')).toBe(false);
    const both = await runIn(dir, ['run', fixture('gates'), '--approve', 'migrate', '--approve', 'approve_dns']);
    expect(both.code).toBe(0);
    expect(both.stdout).toContain('migrate confirmed by tester (--approve)');
    for (const marker of ['first.marker', 'migrate.marker', 'dns.marker']) expect(exists(dir, marker)).toBe(true);
  });

  it('--yes passes every gate; --approve of a step without a gate is a usage error', async () => {
    const dir = temp();
    expect((await runIn(dir, ['run', fixture('gates'), '--yes'])).code).toBe(0);
    const wrong = await runIn(dir, ['run', fixture('gates'), '--approve', 'first']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('step `first` has no confirmation to approve');
  });

  it('a protected environment needs --yes together with an explicit --env', async () => {
    const dir = temp({ 'opsctl.yaml': CONFIG });
    const noYes = await runIn(dir, ['run', fixture('protected'), '--env', 'production']);
    expect(noYes.code).toBe(3);
    expect(noYes.stderr).toContain('protected environment');
    const implicit = await runIn(dir, ['run', fixture('protected'), '--yes'], { env: { OPSCTL_ENV: 'production' } });
    expect(implicit.code).toBe(3);
    expect(implicit.stderr).toContain('only together with an explicit --env production');
    expect(exists(dir, 'env.marker')).toBe(false);
    const ok = await runIn(dir, ['run', fixture('protected'), '--yes', '--env', 'production']);
    expect(ok.code).toBe(0);
    expect(readFileSync(join(dir, 'env.marker'), 'utf8').trim()).toBe('production prod-1');
  });

  it('an unprotected environment needs nothing; an unknown one is a usage error with a suggestion', async () => {
    const dir = temp({ 'opsctl.yaml': CONFIG });
    expect((await runIn(dir, ['run', fixture('protected'), '--env', 'staging'])).code).toBe(0);
    expect(readFileSync(join(dir, 'env.marker'), 'utf8').trim()).toBe('staging stage-1');
    const typo = await runIn(dir, ['run', fixture('protected'), '--env', 'stagign']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('did you mean `staging`?');
  });

  it('a missing required param is named with its -p flag (exit 2); a bad value is refused', async () => {
    const dir = temp();
    const missing = await runIn(dir, ['run', fixture('params')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('-p version=<string>');
    const bad = await runIn(dir, ['run', fixture('params'), '-p', 'version=latest']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('does not match the pattern');
    const high = await runIn(dir, ['run', fixture('params'), '-p', 'version=1.2.3', '-p', 'replicas=9']);
    expect(high.code).toBe(2);
    expect(high.stderr).toContain('above the maximum 5');
    expect(exists(dir, 'params.marker')).toBe(false);
    expect((await runIn(dir, ['run', fixture('params'), '-p', 'version=1.2.3'])).code).toBe(0);
    expect(readFileSync(join(dir, 'params.marker'), 'utf8').trim()).toBe('version 1.2.3 x2');
  });
});
