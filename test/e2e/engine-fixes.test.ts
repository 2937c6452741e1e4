import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, ROOT, runOpsctl, tempProject } from './helpers';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function project(files: Record<string, string>): string {
  const p = tempProject(files);
  cleanups.push(p.cleanup);
  return p.dir;
}
const ci = { CI: 'true' };
/** A runbook file: the header, then `lines`. */
const rb = (name: string, ...lines: string[]) => ['apiVersion: opsctl/v1', 'kind: Runbook', `name: ${name}`, ...lines, ''].join('\n');

describe('engine / run session fixes found by QA', () => {
  it('F6: ${{ }} inside single quotes reaches bash as the value the plan shows', async () => {
    const dir = project({
      'sq.yaml': rb(
        'sq',
        'params: { version: { type: string, default: "1.2.3" } }',
        'steps:',
        '  - id: a',
        '    shell: |',
        "      echo 'single ${{ params.version }}'",
        '      echo "double ${{ params.version }}"',
        "      echo 'dollar $$${{ params.version }}$$ done'",
      ),
    });
    const run = await runOpsctl(['run', './sq.yaml', '-o', 'plain'], { cwd: dir, env: ci });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('single 1.2.3');
    expect(run.stdout).toContain('double 1.2.3');
    expect(run.stdout).toContain('dollar $$1.2.3$$ done');
    expect(run.stdout).not.toContain('OPSCTL_V1');
  });

  it('F2, F20, F24: usage mistakes in run flags exit 2 before anything runs or is recorded', async () => {
    const dir = project({
      'order.yaml': rb(
        'order',
        'steps:',
        '  - { id: build, shell: "touch build.marker; echo abc", outputs: { checksum: stdout } }',
        '  - { id: snapshot, shell: touch snapshot.marker }',
        '  - { id: verify, shell: \'test "${{ steps.build.outputs.checksum }}" = abc && touch verify.marker\' }',
      ),
    });
    const cases: [string[], RegExp][] = [
      [['--concurrency', 'abc'], /--concurrency abc: expected a whole number/],
      [['--from', 'verify'], /step `verify` reads `steps\.build\.outputs\.checksum`, but `build` does not run \(before --from verify\)/],
      [['--skip', 'build'], /but `build` does not run \(skipped by --skip\)/],
      [['--report', join(dir, 'nope/r.json')], /--report .*nope\/r\.json: the folder .*nope does not exist/],
    ];
    for (const [flags, message] of cases) {
      const result = await runOpsctl(['run', './order.yaml', ...flags], { cwd: dir, env: ci });
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/internal error/);
    }
    expect(existsSync(join(dir, 'build.marker'))).toBe(false);
    const history = await runOpsctl(['runs', 'list'], { cwd: dir, env: ci });
    expect(history.stdout).not.toMatch(/order/);
    const skipped = await runOpsctl(['run', './order.yaml', '--skip', 'snapshot', '--report', 'r.json'], { cwd: dir, env: ci });
    expect(skipped.code, skipped.stderr).toBe(0);
    expect(existsSync(join(dir, 'verify.marker'))).toBe(true);
    expect(existsSync(join(dir, 'r.json'))).toBe(true);
  });

  it('F26: -C with a folder that does not exist is a usage error (exit 2), not an internal error', async () => {
    const result = await runOpsctl(['-C', '/nonexistent-opsctl-folder', 'list'], { env: ci });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('-C /nonexistent-opsctl-folder: no such folder');
    expect(result.stderr).not.toMatch(/internal error/);
  });

  it('F45: a gate in a runbook called by a name made from params is found before the first side effect', async () => {
    const dir = project({
      'opsctl.yaml': 'runbooks: [./rb]\n',
      'rb/dyn.yaml': rb('dyn', 'params: { which: { type: string, default: gchild } }', 'steps:', '  - { id: first, shell: touch first.marker }', '  - { id: call, runbook: { name: "${{ params.which }}" } }'),
      'rb/gchild.yaml': rb('gchild', 'steps:', '  - { id: danger, confirm: "Really?", shell: touch danger.marker }'),
    });
    const refused = await runOpsctl(['run', 'dyn'], { cwd: dir, env: ci });
    expect(refused.code, refused.stderr + refused.stdout).toBe(3);
    expect(refused.stdout + refused.stderr).toContain('--approve call/danger');
    expect(existsSync(join(dir, 'first.marker'))).toBe(false);
    const approved = await runOpsctl(['run', 'dyn', '--approve', 'call/danger'], { cwd: dir, env: ci });
    expect(approved.code, approved.stderr + approved.stdout).toBe(0);
    expect(existsSync(join(dir, 'danger.marker'))).toBe(true);
  });

  it('F46: with --output json an invalid runbook or a bad param still gives one JSON error line on stdout', async () => {
    const dir = project({
      'bad.yaml': rb('bad', 'stepz: []'),
      'p.yaml': rb('p', 'params: { n: { type: integer } }', 'steps:', '  - { id: a, shell: "true" }'),
    });
    const invalid = await runOpsctl(['run', './bad.yaml', '-o', 'json'], { cwd: dir, env: ci });
    expect(invalid.code).toBe(2);
    const line = JSON.parse(invalid.stdout.trim()) as { type: string; exitCode: number; diagnostics: { message: string; range: unknown }[] };
    expect(line).toMatchObject({ type: 'error', exitCode: 2 });
    expect(line.diagnostics.length).toBeGreaterThan(0);
    const badParam = await runOpsctl(['run', './p.yaml', '-o', 'json', '-p', 'n=abc'], { cwd: dir, env: ci });
    expect(badParam.code).toBe(2);
    expect(JSON.parse(badParam.stdout.trim())).toMatchObject({ type: 'error', exitCode: 2, message: expect.stringContaining('n') });
  });

  it('F28: with environments declared, a runbook that reads environment.* needs --env (exit 2 naming them)', async () => {
    const dir = project({
      'opsctl.yaml': 'environments:\n  staging: { vars: { cluster: stg } }\n  production: { protected: true, vars: { cluster: prod } }\n',
      'env.yaml': rb('env', 'steps:', '  - { id: a, shell: "echo cluster=${{ environment.vars.cluster }}" }'),
      'plain.yaml': rb('plain', 'steps:', '  - { id: a, shell: "echo hi" }'),
    });
    const missing = await runOpsctl(['plan', './env.yaml'], { cwd: dir, env: ci });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('reads `environment.*` and opsctl.yaml declares environments (staging, production)');
    expect(missing.stderr).toContain('--env staging|production');
    const chosen = await runOpsctl(['run', './env.yaml', '--env', 'staging', '-o', 'plain'], { cwd: dir, env: ci });
    expect(chosen.code, chosen.stderr).toBe(0);
    expect(chosen.stdout).toContain('cluster=stg');
    expect((await runOpsctl(['run', './plain.yaml'], { cwd: dir, env: ci })).code).toBe(0);
  });

  it('F35: Ctrl-C during an automatic rollback lets the undo finish, exits 130, and rollback --run finishes the job', async () => {
    const dir = project({
      'rbint.yaml': rb(
        'rbint',
        'on_failure: rollback',
        'steps:',
        '  - { id: a, shell: touch a.done, undo: { shell: "touch undo-a" } }',
        '  - { id: b, shell: touch b.done, undo: { shell: "sleep 1; touch undo-b" } }',
        '  - { id: c, shell: "exit 1" }',
      ),
    });
    const child = spawn(process.execPath, [BIN, 'run', './rbint.yaml', '-o', 'plain'], { cwd: dir, env: { ...process.env, ...ci, NO_COLOR: '1' } });
    let out = '';
    let sent = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (!sent && /b rolling back/.test(out)) {
        sent = true;
        setTimeout(() => child.kill('SIGINT'), 200);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, out).toBe(130);
    expect(existsSync(join(dir, 'undo-b')), out).toBe(true);
    expect(existsSync(join(dir, 'undo-a')), out).toBe(false);
    expect(out).toContain('not undone: `a`; finish it with: opsctl rollback --run');
    const finish = await runOpsctl(['rollback', '--run', 'last', '--yes'], { cwd: dir, env: ci });
    expect(finish.code, finish.stdout + finish.stderr).toBe(0);
    expect(existsSync(join(dir, 'undo-a'))).toBe(true);
  });

  it('F41: SIGTERM while a confirmation prompt is open closes the prompt, runs finally and exits 130', async () => {
    const dir = project({
      'gate.yaml': rb('gate', 'steps:', '  - { id: first, shell: touch first.marker }', '  - { id: danger, confirm: "Really release?", shell: touch danger.marker }', 'finally:', '  - { id: tidy, shell: touch tidy.marker }'),
    });
    const result = await signalAtPrompt(dir, 'Really release?', 'SIGTERM', ['run', './gate.yaml']);
    expect(result.code, result.output).toBe('130');
    expect(existsSync(join(dir, 'first.marker'))).toBe(true);
    expect(existsSync(join(dir, 'danger.marker'))).toBe(false);
    expect(existsSync(join(dir, 'tidy.marker'))).toBe(true);
    expect(result.output).not.toMatch(/confirmed by/);
  });
});

/** Runs bin/opsctl on a real pseudo-terminal and sends `signal` once `text` is on the screen. */
function signalAtPrompt(cwd: string, text: string, signal: string, args: string[]): Promise<{ output: string; code: string }> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && key !== 'CI' && key !== 'GITHUB_ACTIONS') env[key] = value;
  env.NO_COLOR = '1';
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [join(ROOT, 'test/fixtures/engine/signal-at-prompt.py'), text, signal, process.execPath, BIN, ...args], { cwd, env });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.on('error', reject);
    child.on('close', () => resolve({ output, code: /EXIT (\S+)\s*$/.exec(output)?.[1] ?? '?' }));
  });
}
