import { spawnSync } from 'node:child_process';
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
});
