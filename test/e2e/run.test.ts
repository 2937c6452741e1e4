import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventOf, exists, fixture, ndjson, project, runIn } from './run-fixtures';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
const temp = () => {
  const p = project();
  cleanups.push(p.cleanup);
  return p.dir;
};

/** Alive and not a zombie waiting for a parent that reaps nothing (PID 1 in some containers). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

describe('opsctl run (engine)', () => {
  it('passes outputs along a diamond DAG', async () => {
    const dir = temp();
    const result = await runIn(dir, ['run', fixture('diamond'), '-o', 'json']);
    expect(result.code).toBe(0);
    const events = ndjson(result.stdout);
    expect(eventOf(events, 'step.succeeded', 'b').outputs.v).toBe('b-21');
    expect(eventOf(events, 'step.succeeded', 'c').outputs.x).toBe(21);
    expect(events.filter((e) => e.type === 'step.output' && e.step === 'd').map((e) => (e.type === 'step.output' ? e.text : ''))).toEqual(['got b-21 and 21']);
    // d starts only after both of its needs succeeded
    expect(eventOf(events, 'step.started', 'd').seq).toBeGreaterThan(Math.max(eventOf(events, 'step.succeeded', 'b').seq, eventOf(events, 'step.succeeded', 'c').seq));
  });

  it('runs independent steps at the same time (overlap read from event timestamps)', async () => {
    const dir = temp();
    const result = await runIn(dir, ['run', fixture('parallel'), '-o', 'json']);
    expect(result.code).toBe(0);
    const events = ndjson(result.stdout);
    const at = (type: 'step.started' | 'step.succeeded', step: string) => Date.parse(eventOf(events, type, step).ts);
    expect(at('step.started', 'right')).toBeLessThan(at('step.succeeded', 'left'));
    expect(at('step.started', 'left')).toBeLessThan(at('step.succeeded', 'right'));
  });

  it('skips a step whose `when` is false and retries a flaky step until its third attempt succeeds', async () => {
    const dir = temp();
    const result = await runIn(dir, ['run', fixture('when-retry'), '-o', 'json']);
    expect(result.code).toBe(0);
    const events = ndjson(result.stdout);
    expect(eventOf(events, 'step.skipped', 'skipped').reason).toContain("params.mode == 'slow'");
    expect(exists(dir, 'skipped.marker')).toBe(false);
    expect(events.filter((e) => e.type === 'step.started' && e.step === 'flaky').map((e) => (e.type === 'step.started' ? e.attempt : 0))).toEqual([1, 2, 3]);
    expect(events.filter((e) => e.type === 'step.retrying')).toHaveLength(2);
    expect(readFileSync(join(dir, 'count'), 'utf8').trim()).toBe('3');
    expect(exists(dir, 'after.marker')).toBe(true);
  });

  it('a timeout leaves no process of the step tree alive, and finally still runs', async () => {
    const dir = temp();
    const result = await runIn(dir, ['run', fixture('timeout')]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('slow timed out after 1s');
    const pids = ['child.pid', 'grandchild.pid'].map((f) => Number(readFileSync(join(dir, f), 'utf8').trim()));
    for (const pid of pids) expect(alive(pid), `process ${pid} is still alive`).toBe(false);
    expect(readFileSync(join(dir, 'finally.marker'), 'utf8').trim()).toBe('finally');
  });

  it('rolls back in reverse order of completion and reports the failing undo with the original error', async () => {
    const dir = temp();
    const result = await runIn(dir, ['run', fixture('rollback')]);
    expect(result.code).toBe(1);
    expect(readFileSync(join(dir, 'done.log'), 'utf8').split('\n').filter(Boolean)).toEqual(['one', 'two', 'three']);
    expect(readFileSync(join(dir, 'undo.log'), 'utf8').split('\n').filter(Boolean)).toEqual(['undo-three', 'undo-two', 'undo-one']);
    expect(result.stdout).toContain('step `boom` failed: the script exited with code 7');
    expect(result.stdout).toContain('the rollback failed too: undo of `two`');
    expect(result.stdout).toMatch(/boom\s+failed\s+\S+\s+← failed first/);
    expect(readFileSync(join(dir, 'finally.marker'), 'utf8').trim()).toBe('finally failed');
  });

  it('runs a called runbook with its steps nested as `call/inner`; its gate counts before the first side effect', async () => {
    const p = project({ 'opsctl.yaml': `runbooks: [${JSON.stringify(join(fixture('nested/parent'), '..'))}]\n` });
    cleanups.push(p.cleanup);
    const refused = await runIn(p.dir, ['run', 'parent', '-o', 'json']);
    expect(refused.code).toBe(3);
    expect(ndjson(refused.stdout).some((e) => e.type === 'step.started')).toBe(false);
    const result = await runIn(p.dir, ['run', 'parent', '-o', 'json', '--approve', 'call/gate']);
    expect(result.code).toBe(0);
    const events = ndjson(result.stdout);
    expect(eventOf(events, 'step.confirmed', 'call/gate').via).toBe('approve');
    expect(events.filter((e) => e.type === 'step.succeeded').map((e) => ('step' in e ? e.step : ''))).toEqual(['before', 'call/inner', 'call/gate', 'call', 'after']);
    expect(readFileSync(join(p.dir, 'child.marker'), 'utf8').trim()).toBe('hello from-parent');
  });
});
