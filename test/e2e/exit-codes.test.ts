import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN } from './helpers';
import { exists, fixture, project, runIn } from './run-fixtures';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
const temp = () => {
  const p = project();
  cleanups.push(p.cleanup);
  return p.dir;
};

describe('exit codes of a run', () => {
  it('0 when every step succeeded', async () => {
    expect((await runIn(temp(), ['run', fixture('diamond')])).code).toBe(0);
  });

  it('1 when a step failed, naming it and its error; later steps do not run', async () => {
    const dir = temp();
    const result = await runIn(dir, ['run', fixture('fails')]);
    expect(result.code).toBe(1);
    // Said once: the closing line names the error, stderr does not repeat it.
    expect(result.stdout).toContain('run of `fails` failed in');
    expect(result.stdout.split('step `broken` failed: the script exited with code 3').length - 1).toBe(1);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/broken\s+failed\s+\S+\s+← failed first/);
    expect(exists(dir, 'never.marker')).toBe(false);
  });

  it('1 with --output json: stdout is events only, the error is said on stderr', async () => {
    const result = await runIn(temp(), ['run', fixture('fails'), '-o', 'json']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: step `broken` failed: the script exited with code 3/);
    expect(result.stderr.split('step `broken` failed').length - 1).toBe(1);
    for (const line of result.stdout.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
  });

  it('2 for an invalid runbook, an unknown step in --only, or a bad -p flag', async () => {
    const dir = temp();
    const invalid = await runIn(dir, ['run', fixture('invalid')]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('invalid.yaml:7:5');
    const only = await runIn(dir, ['run', fixture('fails'), '--only', 'brokn']);
    expect(only.code).toBe(2);
    expect(only.stderr).toContain('did you mean `broken`?');
    const flag = await runIn(dir, ['run', fixture('fails'), '-p', 'novalue']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('expected key=value');
  });

  it('3 when a gate is not confirmed', async () => {
    expect((await runIn(temp(), ['run', fixture('gates')])).code).toBe(3);
  });

  it('130 on SIGINT: running steps stop, nothing new starts, finally runs', async () => {
    const dir = temp();
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
    const child = spawn(process.execPath, [BIN, 'run', fixture('slow'), '--output', 'plain'], { cwd: dir, env: { ...env, CI: 'true', NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.resume();
    const code = await new Promise<number | null>((resolve) => {
      const timer = setInterval(() => {
        if (existsSync(join(dir, 'nap.marker'))) {
          clearInterval(timer);
          child.kill('SIGINT');
        }
      }, 50);
      const hang = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.on('close', (c) => {
        clearInterval(timer);
        clearTimeout(hang);
        resolve(c);
      });
    });
    expect(code, stderr).toBe(130);
    expect(exists(dir, 'next.marker')).toBe(false);
    expect(readFileSync(join(dir, 'cleanup.marker'), 'utf8').trim()).toBe('cleanup cancelled');
  });
});
