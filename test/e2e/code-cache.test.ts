import { existsSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT, runOpsctl, tempProject } from './helpers';

// bin/opsctl compiles dist/opsctl.cjs with a V8 code cache per command, build and Node version.
const bundle = readFileSync(join(ROOT, 'dist/opsctl.cjs'), 'latin1');
const build = /^\/\/ opsctl build ([0-9a-f]{16})\n/.exec(bundle)?.[1];
const suffix = `${build}-${process.version}-${process.arch}.bin`;

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups) cleanup();
  cleanups = [];
});

function project(): { dir: string; cache: string; env: Record<string, string> } {
  const p = tempProject({ 'opsctl.yaml': 'state: { backend: file }\n' });
  cleanups.push(p.cleanup);
  const cache = join(p.dir, 'cache');
  return { dir: p.dir, cache, env: { OPSCTL_CACHE_DIR: cache, OPSCTL_CODE_CACHE: 'debug' } };
}

describe('the build', () => {
  it('is one pure-ASCII file named by a hash of its content, with the caches of the common commands made', () => {
    expect(build).toMatch(/^[0-9a-f]{16}$/);
    expect(/[^\x00-\x7f]/.test(bundle)).toBe(false);
    // no import() left that a script compiled by node:vm could not run
    expect(/\bimport\(/.test(bundle)).toBe(false);
    const made = readdirSync(join(ROOT, 'dist/code-cache'));
    for (const command of ['help', 'validate', 'list', 'run']) expect(made).toContain(`${command}-${suffix}`);
  });
});

describe('code cache', () => {
  it('is made at the first successful run of a command, then used by the next', async () => {
    const { dir, cache, env } = project();
    const first = await runOpsctl(['schema'], { cwd: dir, env });
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('opsctl: code cache none; saving');
    expect(readdirSync(join(cache, 'code'))).toEqual([`schema-${suffix}`]);
    const second = await runOpsctl(['schema'], { cwd: dir, env });
    expect(second.code).toBe(0);
    expect(second.stderr).toContain(`opsctl: code cache used (${join(cache, 'code', `schema-${suffix}`)})`);
    expect(second.stdout).toBe(first.stdout);
  });

  it('uses the cache the build made when the user has none', async () => {
    const { dir, cache, env } = project();
    const result = await runOpsctl(['validate', join(ROOT, 'runbooks/deploy.yaml')], { cwd: dir, env });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`code cache used (${join(ROOT, 'dist/code-cache', `validate-${suffix}`)})`);
    expect(existsSync(join(cache, 'code'))).toBe(false);
  });

  it('leaves nothing after a failed command', async () => {
    const { dir, cache, env } = project();
    const result = await runOpsctl(['no-such-command'], { cwd: dir, env });
    expect(result.code).toBe(2);
    expect(existsSync(join(cache, 'code'))).toBe(false);
  });

  it('replaces a damaged cache file, and the command works regardless', async () => {
    const { dir, cache, env } = project();
    mkdirSync(join(cache, 'code'), { recursive: true });
    const file = join(cache, 'code', `schema-${suffix}`);
    writeFileSync(file, 'not a V8 code cache');
    const result = await runOpsctl(['schema'], { cwd: dir, env });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toHaveProperty('$schema');
    expect(result.stderr).toContain('code cache rejected');
    expect(statSync(file).size).toBeGreaterThan(1000);
    const again = await runOpsctl(['schema'], { cwd: dir, env });
    expect(again.stderr).toContain('code cache used');
  });

  it('is neither read nor written with OPSCTL_CODE_CACHE=off', async () => {
    const { dir, cache } = project();
    const result = await runOpsctl(['schema'], { cwd: dir, env: { OPSCTL_CACHE_DIR: cache, OPSCTL_CODE_CACHE: 'off' } });
    expect(result.code).toBe(0);
    expect(existsSync(join(cache, 'code'))).toBe(false);
  });

  it('keeps the caches of this build and of the two builds used last, no more', async () => {
    const { dir, cache, env } = project();
    const code = join(cache, 'code');
    mkdirSync(code, { recursive: true });
    const old = ['1111111111111111', '2222222222222222', '3333333333333333'];
    old.forEach((id, i) => {
      const file = join(code, `run-${id}-${process.version}-${process.arch}.bin`);
      writeFileSync(file, 'x');
      const when = new Date(Date.now() - (3 - i) * 3_600_000); // 1111 oldest, 3333 newest
      utimesSync(file, when, when);
    });
    writeFileSync(join(code, 'notes.txt'), 'not a cache: left alone');
    expect((await runOpsctl(['schema'], { cwd: dir, env })).code).toBe(0);
    expect(readdirSync(code).sort()).toEqual(
      [`run-2222222222222222-${process.version}-${process.arch}.bin`, `run-3333333333333333-${process.version}-${process.arch}.bin`, 'notes.txt', `schema-${suffix}`].sort(),
    );
  });

  it('is made and used for a large runbook, whose check raises V8\'s budget and puts it back', async () => {
    const { dir, cache, env } = project();
    // Over 32 KB: the check runs with a raised interrupt budget (src/util/v8-tiering.ts). Were the
    // flag not put back, the cache saved at exit would carry other flags and be rejected next time.
    const steps = Array.from({ length: 600 }, (_, i) => `  - id: s${i}\n    shell: echo "step ${i} of \${{ params.who }}"\n${i ? `    needs: [s${i - 1}]\n` : ''}`).join('');
    writeFileSync(join(dir, 'big.yaml'), `apiVersion: opsctl/v1\nkind: Runbook\nname: big\ntitle: Big\nparams:\n  who: { type: string, default: ops }\nsteps:\n${steps}`);
    expect(statSync(join(dir, 'big.yaml')).size).toBeGreaterThan(32 * 1024);
    const first = await runOpsctl(['graph', './big.yaml'], { cwd: dir, env });
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('code cache none; saving');
    const second = await runOpsctl(['graph', './big.yaml'], { cwd: dir, env });
    expect(second.code).toBe(0);
    expect(second.stderr).toContain(`code cache used (${join(cache, 'code', `graph-${suffix}`)})`);
    expect(second.stdout).toBe(first.stdout);
  });
});
