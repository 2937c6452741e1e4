import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';

const opsctl = fileURLToPath(new URL('../../bin/opsctl', import.meta.url));

describe('output to a pipe', () => {
  it('is not cut off when it is larger than a pipe buffer', () => {
    const full = spawnSync(opsctl, ['schema'], { encoding: 'utf8' });
    expect(full.stdout.length).toBeGreaterThan(65_536);
    // `wc -c` reads slowly enough through a shell pipe for an early exit to lose the tail.
    for (let i = 0; i < 3; i++) {
      const piped = spawnSync('bash', ['-c', `"${opsctl}" schema | wc -c`], { encoding: 'utf8' });
      expect(Number(piped.stdout.trim())).toBe(Buffer.byteLength(full.stdout));
    }
  });

  it('ends quietly when the reader goes away early', () => {
    const r = spawnSync('bash', ['-c', `"${opsctl}" schema | head -c 10 >/dev/null; echo "\${PIPESTATUS[0]}"`], { encoding: 'utf8' });
    expect(r.stderr).not.toContain('EPIPE');
    expect(r.stdout.trim()).toBe('0');
  });

  // stderr is made at its first write (src/cli/std-streams.ts): it must still be drained and
  // guarded against a reader that left.
  const noisy = () => {
    const dir = mkdtempSync(join(tmpdir(), 'opsctl-pipe-'));
    const steps = Array.from({ length: 1500 }, (_, i) => `  - { id: s${i}, shell: "true", colour: blue }`).join('\n');
    writeFileSync(join(dir, 'noisy.yaml'), `apiVersion: opsctl/v1\nkind: Runbook\nname: noisy\ntitle: Many errors\nsteps:\n${steps}\n`);
    return join(dir, 'noisy.yaml');
  };

  it('is not cut off on stderr either, when it is larger than a pipe buffer', () => {
    const file = noisy();
    const full = spawnSync(opsctl, ['validate', file], { encoding: 'utf8' });
    expect(full.status).toBe(2);
    expect(full.stderr.length).toBeGreaterThan(65_536);
    const piped = spawnSync('bash', ['-c', `"${opsctl}" validate "${file}" 2>&1 >/dev/null | wc -c`], { encoding: 'utf8' });
    expect(Number(piped.stdout.trim())).toBe(Buffer.byteLength(full.stderr));
  });

  it('exits with its own code when the reader of stderr goes away early', () => {
    const r = spawnSync('bash', ['-c', `"${opsctl}" validate "${noisy()}" 2>&1 >/dev/null | head -c 10 >/dev/null; echo "\${PIPESTATUS[0]}"`], { encoding: 'utf8' });
    expect(r.stdout.trim()).toBe('2');
  });
});
