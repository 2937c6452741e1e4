import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, ROOT } from './helpers';
import { exists, fixture, project } from './run-fixtures';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

/** Runs bin/opsctl on a real pseudo-terminal (python3's pty), answering prompts as they appear. */
function onTerminal(cwd: string, script: [string, string][], args: string[]): Promise<{ output: string; code: number }> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && key !== 'CI' && key !== 'GITHUB_ACTIONS') env[key] = value;
  env.OPSCTL_USER = 'tester';
  env.NO_COLOR = '1';
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [join(ROOT, 'test/fixtures/engine/drive-pty.py'), JSON.stringify(script), process.execPath, BIN, ...args], { cwd, env });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.on('error', reject);
    child.on('close', () => {
      const match = /EXIT (-?\d+)\s*$/.exec(output);
      resolve({ output, code: match ? Number(match[1]) : -1 });
    });
  });
}

describe('confirmations on a real terminal', () => {
  it('asks the gate on the terminal; "y" runs the step, the prompt is recorded as the approval', async () => {
    const p = project();
    cleanups.push(p.cleanup);
    const result = await onTerminal(p.dir, [['(y/N)', 'y\r']], ['run', fixture('gates'), '--approve', 'approve_dns']);
    expect(result.output).toContain('migrate confirmed by tester (at the prompt)');
    expect(result.code, result.output).toBe(0);
    expect(exists(p.dir, 'migrate.marker')).toBe(true);
    expect(exists(p.dir, 'dns.marker')).toBe(true);
  });

  it('"n" at the prompt stops the run with exit 3 and the gated step does not run', async () => {
    const p = project();
    cleanups.push(p.cleanup);
    const result = await onTerminal(p.dir, [['(y/N)', 'n\r']], ['run', fixture('gates'), '--output', 'plain']);
    expect(result.code, result.output).toBe(3);
    expect(exists(p.dir, 'first.marker')).toBe(true);
    expect(exists(p.dir, 'migrate.marker')).toBe(false);
  });

  it('asks for a missing param and the name of a protected environment', async () => {
    const p = project({ 'opsctl.yaml': 'environments:\n  production: { protected: true }\n' });
    cleanups.push(p.cleanup);
    const result = await onTerminal(
      p.dir,
      [
        ['version', '1.4.0\r'],
        ['Type its name', 'production\r'],
      ],
      ['run', fixture('params'), '--env', 'production'],
    );
    expect(result.code, result.output).toBe(0);
    expect(readFileSync(join(p.dir, 'params.marker'), 'utf8').trim()).toBe('version 1.4.0 x2');
  });
});
