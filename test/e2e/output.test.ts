import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixture, ndjson, project, runIn } from './run-fixtures';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
const temp = () => {
  const p = project();
  cleanups.push(p.cleanup);
  return p.dir;
};

describe('output formats and reports', () => {
  it('json: one event per line, seq from 1, run.started first and run.finished last', async () => {
    const result = await runIn(temp(), ['run', fixture('fails'), '--output', 'json']);
    expect(result.code).toBe(1);
    const events = ndjson(result.stdout);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events[0]!.type).toBe('run.started');
    expect(events.at(-1)).toMatchObject({ type: 'run.finished', status: 'failed', failedStep: 'broken' });
    expect(new Set(events.map((e) => e.runId)).size).toBe(1);
  });

  it('plain: time-stamped lines, output prefixed by the step id', async () => {
    const result = await runIn(temp(), ['run', fixture('parallel'), '--output', 'plain']);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines).toContainEqual(expect.stringMatching(/^\d\d:\d\d:\d\d\.\d{3} \[left\] left$/));
    expect(lines).toContainEqual(expect.stringMatching(/^\d\d:\d\d:\d\d\.\d{3} \[right\] right$/));
  });

  it('plain under GitHub Actions: ::group:: per step and ::error:: on failure', async () => {
    const result = await runIn(temp(), ['run', fixture('fails')], { env: { GITHUB_ACTIONS: 'true' } });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('::group::ok');
    expect(result.stdout).toContain('::endgroup::');
    expect(result.stdout).toMatch(/::error title=opsctl step broken::step broken: the script exited with code 3/);
  });

  it('--report writes a JSON summary, or JUnit XML for a .xml file', async () => {
    const dir = temp();
    await runIn(dir, ['run', fixture('fails'), '--report', 'report.json']);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    expect(report).toMatchObject({ runbook: 'fails', status: 'failed', failedStep: 'broken' });
    expect(report.steps.map((s: { id: string; status: string }) => [s.id, s.status])).toEqual([
      ['ok', 'succeeded'],
      ['broken', 'failed'],
      ['never', 'skipped'],
    ]);
    await runIn(dir, ['run', fixture('fails'), '--report', 'junit.xml']);
    const xml = readFileSync(join(dir, 'junit.xml'), 'utf8');
    expect(xml).toContain('<testsuite name="fails" tests="3" failures="1" skipped="1"');
    expect(xml).toMatch(/<testcase classname="fails" name="broken"[^>]*>\s*<failure message="the script exited with code 3/);
  });
});
