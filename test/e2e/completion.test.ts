import { spawnSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, runOpsctl } from './helpers';

/** Asks the generated bash completion what it offers for a command line ending in the cursor. */
function complete(script: string, line: string, cwd: string): string[] {
  const words = line.split(' ');
  const bin = mkdtempSync(join(tmpdir(), 'opsctl-bin-'));
  symlinkSync(BIN, join(bin, 'opsctl'));
  const file = join(bin, 'completion.bash');
  writeFileSync(file, script);
  const program = `source ${file}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _opsctl; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = spawnSync('bash', ['-c', program], { cwd, encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
  return r.stdout.split('\n').filter(Boolean);
}

describe('opsctl completion', () => {
  it('completes commands, subcommands, flags and runbook names in bash', async () => {
    const r = await runOpsctl(['completion', 'bash']);
    expect(r.code).toBe(0);
    const cwd = mkdtempSync(join(tmpdir(), 'opsctl-complete-'));
    expect(complete(r.stdout, 'opsctl ch', cwd)).toEqual(['checklist']);
    expect(complete(r.stdout, 'opsctl incident st', cwd).sort()).toEqual(['start', 'status']);
    expect(complete(r.stdout, 'opsctl run demo --dry', cwd)).toEqual(['--dry-run']);
    expect(complete(r.stdout, 'opsctl plan de', cwd)).toEqual(expect.arrayContaining(['demo', 'deploy']));
  });

  it('refuses a shell it does not know with exit 2', async () => {
    const r = await runOpsctl(['completion', 'fish']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('opsctl completion bash');
  });
});
