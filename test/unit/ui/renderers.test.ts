import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { RunEvent, RunEventBody } from '../../../src/engine/events';
import { jsonRenderer } from '../../../src/ui/render-json';
import { plainRenderer } from '../../../src/ui/render-plain';
import { prettyRenderer } from '../../../src/ui/render-pretty';

function stamp(bodies: RunEventBody[]): RunEvent[] {
  return bodies.map((body, i) => ({ ...body, runId: 'r1', seq: i + 1, ts: new Date(Date.UTC(2026, 0, 1, 12, 0, i)).toISOString() }) as RunEvent);
}

const run = stamp([
  { type: 'run.started', runbook: 'deploy', title: 'Deploy', dryRun: false, params: { version: '1.2.3' } },
  { type: 'step.started', step: 'build', attempt: 1, effect: 'write' },
  { type: 'step.output', step: 'build', stream: 'stdout', text: 'compiling' },
  { type: 'step.succeeded', step: 'build', durationMs: 1500, outputs: {} },
  { type: 'step.started', step: 'migrate', attempt: 1, effect: 'write' },
  { type: 'step.retrying', step: 'migrate', attempt: 2, delayMs: 1000, reason: 'exit code 75: busy' },
  { type: 'step.started', step: 'migrate', attempt: 2, effect: 'write' },
  { type: 'step.failed', step: 'migrate', durationMs: 2500, reason: 'exit-non-zero', exitCode: 1, message: 'the script exited with code 1' },
  { type: 'step.skipped', step: 'dns', reason: 'not started: `migrate` failed' },
  { type: 'run.finished', status: 'failed', durationMs: 5000, failedStep: 'migrate', error: 'step `migrate` failed: the script exited with code 1' },
]);

function collect(): { out: PassThrough; text: () => string } {
  const out = new PassThrough();
  let text = '';
  out.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  return { out, text: () => text };
}

describe('plain renderer', () => {
  it('prints time-stamped lines, prefixed output and a closing table naming the step that failed first', () => {
    const { out, text } = collect();
    const renderer = plainRenderer({ out });
    for (const event of run) renderer.emit(event);
    expect(text()).toMatchInlineSnapshot(`
      "12:00:00.000 run deploy — Deploy params version=1.2.3
      12:00:01.000 ▶ build
      12:00:02.000 [build] compiling
      12:00:03.000 ✔ build 1.5s
      12:00:04.000 ▶ migrate
      12:00:05.000 ↻ migrate failed (exit code 75: busy); attempt 2 in 1s
      12:00:06.000 ▶ migrate attempt 2
      12:00:07.000 ✖ migrate failed (exit-non-zero, exit code 1, 2.5s): the script exited with code 1
      12:00:08.000 ↷ dns skipped: not started: \`migrate\` failed
        STEP     STATUS     TIME      NOTE
        build    succeeded  1.5s
        migrate  failed     2.5s      ← failed first  2 attempts  the script exited with code 1
        dns      skipped              not started: \`migrate\` failed
      run of \`deploy\` failed in 5s: step \`migrate\` failed: the script exited with code 1
      "
    `);
  });

  it('F22: the closing table NOTE of a failed script shows its last stderr line, not a cut-off "last lines of stderr:"', () => {
    const { out, text } = collect();
    const renderer = plainRenderer({ out });
    for (const event of stamp([
      { type: 'run.started', runbook: 'deploy', title: 'Deploy', dryRun: false, params: {} },
      { type: 'step.started', step: 'migrate', attempt: 1, effect: 'write' },
      { type: 'step.failed', step: 'migrate', durationMs: 10, reason: 'exit-non-zero', exitCode: 4, message: 'the script exited with code 4; last lines of stderr:\n  connecting\n  ERROR: relation "users" does not exist' },
      { type: 'run.finished', status: 'failed', durationMs: 20, failedStep: 'migrate', error: 'step `migrate` failed' },
    ]))
      renderer.emit(event);
    expect(text()).toMatch(/migrate +failed +10ms +← failed first {2}the script exited with code 4; last lines of stderr: ERROR: relation "users" does not exist\n/);
  });

  it('under GitHub Actions wraps each step in ::group:: and reports failures with ::error::', () => {
    const { out, text } = collect();
    const renderer = plainRenderer({ out, githubActions: true });
    for (const event of run) renderer.emit(event);
    const lines = text().split('\n');
    expect(lines).toContain('::group::build');
    expect(lines.filter((l) => l === '::endgroup::')).toHaveLength(2);
    expect(lines).toContain('::error title=opsctl step migrate::step migrate: the script exited with code 1');
  });
});

describe('json renderer', () => {
  it('writes each event as one JSON line', () => {
    const { out, text } = collect();
    const renderer = jsonRenderer(out);
    for (const event of run) renderer.emit(event);
    const lines = text().trim().split('\n');
    expect(lines).toHaveLength(run.length);
    expect(lines.map((l) => JSON.parse(l))).toEqual(run);
  });
});

describe('pretty renderer', () => {
  it('prints transitions and the summary; the live area is erased before the summary', async () => {
    const { out, text } = collect();
    const renderer = prettyRenderer({ out, color: false, now: () => Date.UTC(2026, 0, 1, 12, 0, 10) });
    for (const event of run) renderer.emit(event);
    await renderer.close?.();
    // eslint-disable-next-line no-control-regex
    const visible = text().replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
    expect(visible).toContain('build │ compiling');
    expect(visible).toContain('✖ migrate failed (exit-non-zero, exit code 1, 2.5s): the script exited with code 1');
    expect(visible).toMatch(/migrate\s+failed\s+2\.5s\s+← failed first/);
    expect(visible.trim().split('\n').at(-1)).toBe('run of `deploy` failed in 5s: step `migrate` failed: the script exited with code 1');
  });
});

describe('pretty renderer during a prompt', () => {
  it('holds lines while paused and prints them on resume', () => {
    const { out, text } = collect();
    const renderer = prettyRenderer({ out, color: false });
    renderer.pause();
    renderer.emit(run[2]!);
    expect(text()).toBe('');
    renderer.resume();
    expect(text()).toContain('build │ compiling');
  });
});

describe('event lines', () => {
  it('a timeout line keeps what the action said when it stopped, without repeating the duration', async () => {
    const { eventLines } = await import('../../../src/ui/event-lines');
    const { noPaint } = await import('../../../src/ui/run-summary');
    const [ecs, shell] = stamp([
      { type: 'step.timed-out', step: 'deploy', durationMs: 900_000, timeoutMs: 900_000, message: 'timed out after 15m: last state: rollout IN_PROGRESS, running 1/2' },
      { type: 'step.timed-out', step: 'slow', durationMs: 1000, timeoutMs: 1000, message: 'the script timed out after 1s' },
    ]);
    expect(eventLines(ecs!, noPaint)).toEqual(['✖ deploy timed out after 15m: last state: rollout IN_PROGRESS, running 1/2']);
    expect(eventLines(shell!, noPaint)).toEqual(['✖ slow timed out after 1s']);
  });
});

describe('closing line after a step that failed with on_failure: continue (F12)', () => {
  it('does not say "succeeded" above a failure', () => {
    const { out, text } = collect();
    const renderer = plainRenderer({ out });
    for (const event of stamp([
      { type: 'run.started', runbook: 'daily', title: 'Daily', dryRun: false, params: {} },
      { type: 'step.started', step: 'services', attempt: 1, effect: 'read' },
      { type: 'step.failed', step: 'services', durationMs: 69, reason: 'exit-non-zero', exitCode: 1, message: 'the script exited with code 1' },
      { type: 'run.finished', status: 'succeeded', durationMs: 76 },
    ]))
      renderer.emit(event);
    const last = text().trimEnd().split('\n').at(-1);
    expect(last).toBe('run of `daily` finished in 76ms with 1 failed step (on_failure: continue)');
  });
});
