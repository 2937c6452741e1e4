import { describe, expect, it } from 'vitest';
import { collectSteps } from '../../../src/checklist/collect';
import { checklistItems, firstLine, reportedLines, skipNote, summaryLine } from '../../../src/checklist/verdict';
import { verdictLine } from '../../../src/checklist/render';
import type { ChecklistItem } from '../../../src/checklist/verdict';
import type { RunEventBody } from '../../../src/engine/events';
import { graphOf } from './graph';

function feed(events: RunEventBody[]) {
  const collector = collectSteps();
  events.forEach((body, i) => collector.sink.emit({ ...body, runId: 'r1', seq: i + 1, ts: `2026-01-01T00:00:0${i}Z` } as Parameters<typeof collector.sink.emit>[0]));
  return collector;
}

const graph = graphOf([
  { id: 'disk', title: 'Disk space', kind: 'shell' },
  { id: 'errors', title: 'Error rate', kind: 'shell' },
  { id: 'api', title: 'API up', kind: 'http', input: { url: 'http://x', expect: { status: 200 } } },
  { id: 'docker', title: 'Resource usage', kind: 'shell' },
  { id: 'review', title: 'Review logs', kind: 'manual' },
]);

describe('checklist verdicts', () => {
  it('reads pass, warn and fail with the measured value next to the expectation', () => {
    const c = feed([
      { type: 'run.started', runbook: 'daily', title: 'Daily', dryRun: false, params: {} },
      { type: 'step.started', step: 'disk', attempt: 1, effect: 'read' },
      { type: 'step.output', step: 'disk', stream: 'stdout', text: 'value: 12.5 GB free on /tmp\nexpect: > 10 GB free\nverdict: warn\n' },
      { type: 'step.succeeded', step: 'disk', durationMs: 5, outputs: { value: '12.5 GB free on /tmp', expect: '> 10 GB free', verdict: 'warn' } },
      { type: 'step.started', step: 'errors', attempt: 1, effect: 'read' },
      { type: 'step.output', step: 'errors', stream: 'stdout', text: 'value: 3.20%' },
      { type: 'step.output', step: 'errors', stream: 'stdout', text: 'expect: < 1% of requests' },
      { type: 'step.output', step: 'errors', stream: 'stdout', text: 'verdict: fail' },
      { type: 'step.failed', step: 'errors', durationMs: 5, reason: 'exit-non-zero', message: 'exited with code 1\nmore', exitCode: 1 },
      { type: 'step.succeeded', step: 'api', durationMs: 5, outputs: { status: 200 } },
      { type: 'step.skipped', step: 'docker', reason: 'params.container != "" is false' },
      { type: 'step.declined', step: 'review', by: 'ana', reason: 'a manual task needs a person and there is no terminal' },
      { type: 'run.finished', status: 'failed', durationMs: 30 },
    ]);
    const items = checklistItems(graph, c.records);
    expect(items).toEqual([
      { id: 'disk', title: 'Disk space', verdict: 'warn', value: '12.5 GB free on /tmp', expect: '> 10 GB free', note: '' },
      { id: 'errors', title: 'Error rate', verdict: 'fail', value: '3.20%', expect: '< 1% of requests', note: 'exited with code 1' },
      { id: 'api', title: 'API up', verdict: 'pass', value: 'HTTP 200', expect: 'HTTP 200', note: '' },
      { id: 'docker', title: 'Resource usage', verdict: 'skip', value: '', expect: '', note: 'params.container != "" is false' },
      { id: 'review', title: 'Review logs', verdict: 'not-run', value: '', expect: 'done', note: 'a manual task needs a person and there is no terminal' },
    ]);
    expect(summaryLine(items)).toBe('5 items: 1 pass, 1 warn, 1 fail, 1 skipped, 1 not run');
    expect(checklistItems(graph, new Map())[0]).toMatchObject({ verdict: 'not-run', note: 'not run: the checklist stopped before it' });
    expect(c.run).toMatchObject({ runId: 'r1', status: 'failed' });
  });

  it('ignores the steps of called runbooks and keeps the last reported line', () => {
    const c = feed([
      { type: 'step.output', step: 'disk/inner', stream: 'stdout', text: 'value: nested' },
      { type: 'step.output', step: 'disk', stream: 'stdout', text: 'value: first\nvalue: second\n' },
      { type: 'step.succeeded', step: 'disk', durationMs: 1, outputs: {} },
    ]);
    expect(c.records.has('disk/inner')).toBe(false);
    expect(checklistItems(graph, c.records)[0]).toMatchObject({ verdict: 'pass', value: 'second' });
  });

  it('parses only whole reported lines', () => {
    expect(reportedLines('the value: is not at the start\nexpect:  two spaces\nverdict: pass  \n')).toEqual({ expect: ' two spaces', verdict: 'pass' });
  });
});

describe('expectations and values the actions carry', () => {
  it('names the first column of a sql value and words its expect, with params filled in', () => {
    const sqlGraph = graphOf([
      { id: 'db', title: 'Connections', kind: 'sql', input: { query: 'select 1', expect: { max: '${{ params.max }}', min_rows: 1 } } },
      { id: 'api', title: 'API', kind: 'http', input: { url: 'http://x', expect: { status: [200, 204], body_contains: 'ok' } } },
    ]);
    const c = feed([
      { type: 'step.succeeded', step: 'db', durationMs: 1, outputs: { rows: [{ used_pct: 5 }], row: { used_pct: 5 }, value: 5, count: 1 } },
      { type: 'step.failed', step: 'api', durationMs: 1, reason: 'expectation-failed', message: 'HTTP 500, expected 200 or 204' },
    ]);
    const resolve = (v: unknown) => JSON.parse(JSON.stringify(v).replace('${{ params.max }}', '80')) as unknown;
    expect(checklistItems(sqlGraph, c.records, resolve)).toEqual([
      { id: 'db', title: 'Connections', verdict: 'pass', value: 'used_pct: 5', expect: '<= 80, at least 1 rows', note: '' },
      { id: 'api', title: 'API', verdict: 'fail', value: '', expect: 'HTTP 200 or 204, body contains "ok"', note: 'HTTP 500, expected 200 or 204' },
    ]);
  });
});

describe('the closing verdict line (F12)', () => {
  const item = (id: string, verdict: ChecklistItem['verdict']): ChecklistItem => ({ id, title: id, verdict, value: '', expect: '', note: '' });
  it('says failed when an item failed, passed with warnings, or passed', () => {
    expect(verdictLine('daily', [item('a', 'pass'), item('b', 'fail'), item('c', 'skip')])).toBe('checklist `daily` failed: 1 of 3 items failed');
    expect(verdictLine('daily', [item('a', 'pass'), item('b', 'warn')])).toBe('checklist `daily` passed with 1 warning');
    expect(verdictLine('daily', [item('a', 'pass'), item('b', 'not-run')])).toBe('checklist `daily` passed; 1 not run');
  });
});

describe('a failed item’s note (F12)', () => {
  it('keeps the last stderr line when the first line only introduces it', () => {
    expect(firstLine('the script exited with code 1; last lines of stderr:\n  curl noise\n  down: http://127.0.0.1:8000/health\n')).toBe(
      'the script exited with code 1; last lines of stderr: down: http://127.0.0.1:8000/health',
    );
    expect(firstLine('exit code 1\nmore')).toBe('exit code 1');
  });
});

describe('a skipped item’s note (F12)', () => {
  it('says which param to pass instead of the raw condition', () => {
    expect(skipNote('`when: ${{ params.prometheus_url != "" }}` is false')).toBe('not configured: pass -p prometheus_url=…');
    expect(skipNote('`when: ${{ params.security }}` is false')).toBe('`when: ${{ params.security }}` is false');
  });
});
