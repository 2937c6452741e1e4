import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileStore } from '../../../src/state/file-store';

/**
 * Locks across processes: several opsctl processes race for one lock file (a free one, and one
 * whose holder died). Exactly one may win; the others must name the winner.
 */
const work = mkdtempSync(join(tmpdir(), 'opsctl-lock-race-'));
const script = join(work, 'acquire.mjs');

beforeAll(async () => {
  const entry = join(work, 'entry.ts');
  writeFileSync(
    entry,
    `import { FileStore } from ${JSON.stringify(resolve(__dirname, '../../../src/state/file-store'))};
const [dir, runId] = process.argv.slice(2);
const now = new Date().toISOString();
const store = new FileStore({ dir });
const result = await store.acquireLock({ key: 'deploy@prod', runId, user: runId, host: ${JSON.stringify(hostname())}, pid: process.pid, since: now, heartbeatAt: now });
process.stdout.write(JSON.stringify(result.acquired ? { won: true, tookOver: result.takenOver?.holder.runId ?? null } : { won: false, holder: result.holder.runId }));
// Stay alive a moment so the winner's pid is alive while the losers look at it.
setTimeout(() => undefined, 1500);
`,
  );
  await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile: script, logLevel: 'silent' });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function contender(dir: string, runId: string): Promise<{ won: boolean; holder?: string; tookOver?: string | null }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [script, dir, runId], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.on('error', reject);
    child.on('close', () => {
      try {
        resolvePromise(JSON.parse(out) as { won: boolean; holder?: string });
      } catch {
        reject(new Error(`contender ${runId} printed ${JSON.stringify(out)}`));
      }
    });
  });
}

describe('file locks across processes', () => {
  it('lets exactly one of several processes take a free lock', async () => {
    const dir = join(mkdtempSync(join(work, 'free-')), '.opsctl');
    const results = await Promise.all(['p1', 'p2', 'p3', 'p4', 'p5', 'p6'].map((id) => contender(dir, id)));
    const winners = results.filter((r) => r.won);
    expect(winners).toHaveLength(1);
    const [holder] = await new FileStore({ dir }).listLocks();
    for (const loser of results.filter((r) => !r.won)) expect(loser.holder).toBe(holder?.runId);
  });

  it('lets exactly one of several processes take over a dead holder’s lock', async () => {
    const dir = join(mkdtempSync(join(work, 'dead-')), '.opsctl');
    const old = new Date(Date.now() - 10 * 60_000).toISOString();
    await new FileStore({ dir }).acquireLock({ key: 'deploy@prod', runId: 'dead-run', user: 'ana', host: 'gone.example', pid: 1, since: old, heartbeatAt: old });
    const results = await Promise.all(['q1', 'q2', 'q3', 'q4', 'q5', 'q6'].map((id) => contender(dir, id)));
    const winners = results.filter((r) => r.won);
    expect(winners).toHaveLength(1);
    expect(winners[0]?.tookOver).toBe('dead-run');
    const [holder] = await new FileStore({ dir }).listLocks();
    expect(holder?.runId).toMatch(/^q\d$/);
    for (const loser of results.filter((r) => !r.won)) expect(loser.holder).toBe(holder?.runId);
  });
});
