import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderItems, markdownTable } from '../../../src/checklist/render';
import { renderReport } from '../../../src/checklist/report';
import type { ChecklistItem } from '../../../src/checklist/verdict';

const items: ChecklistItem[] = [
  { id: 'disk', title: 'Disk space', verdict: 'pass', value: '42.0 GB free on /tmp', expect: '> 10 GB free', note: '' },
  { id: 'errors', title: 'Error rate', verdict: 'fail', value: '3.20%', expect: '< 1% of requests', note: 'exited with code 1' },
  { id: 'backup', title: 'Newest backup', verdict: 'warn', value: 'a|b', expect: 'younger than 26 h', note: '' },
];
const context = {
  params: { incidents: 'INC-7 resolved', alerts: 'none', next_shift: 'watch the disk on db-2' },
  environment: { name: 'production', protected: true, vars: {} },
  run: { id: 'run-1', user: 'ana@example.com', dry_run: false, status: 'failed', started_at: '2026-01-13T17:00:00.000Z' },
  steps: {},
};
const templates = join(__dirname, '../../../templates');

describe('checklist rendering', () => {
  it('prints each item with its verdict, measured value and expectation', () => {
    const text = renderItems('daily — Daily', items);
    expect(text.split('\n')[1]).toMatch(/^ {2}PASS {2}Disk space +42\.0 GB free on \/tmp +expected: > 10 GB free$/);
    expect(text).toContain('FAIL  Error rate');
    expect(text).toContain('(exited with code 1)');
    expect(text.trimEnd().split('\n').at(-1)).toBe('3 items: 1 pass, 1 warn, 1 fail, 0 skipped');
  });

  it('escapes pipes in the markdown table', () => {
    expect(markdownTable(items)).toContain('| WARN | Newest backup | a\\|b | younger than 26 h |  |');
  });

  it('renders the shipped checklist report template', () => {
    const template = readFileSync(join(templates, 'checklist-report.md'), 'utf8');
    const result = renderReport(template, 'checklist-report.md', { name: 'daily', title: 'Daily checklist', description: '', items, context });
    if (!result.ok) throw new Error(result.message);
    expect(result.text).toContain('# Daily checklist');
    expect(result.text).toContain('**fail** — 3 items: 1 pass, 1 warn, 1 fail, 0 skipped');
    expect(result.text).toContain('| production |');
    expect(result.text).toContain('| FAIL | Error rate | 3.20% | < 1% of requests | exited with code 1 |');
    expect(result.text).toContain('- **Error rate**: measured 3.20%, expected < 1% of requests (exited with code 1)');
  });

  it('renders the handoff template with the shift figures and the free text', () => {
    const template = readFileSync(join(templates, 'handoff.md'), 'utf8');
    const result = renderReport(template, 'handoff.md', { name: 'end-of-shift', title: 'End-of-shift handoff', description: '', items, context });
    if (!result.ok) throw new Error(result.message);
    expect(result.text).toContain('Handed over by ana@example.com (production) at 2026-01-13T17:00:00.000Z.');
    expect(result.text).toContain('| Newest backup | a|b |');
    expect(result.text).toContain('| Requests / error rate | not measured |');
    expect(result.text).toContain('## Issues for the next shift\n\nwatch the disk on db-2');
  });

  it('names the template line of a bad expression', () => {
    const result = renderReport('ok\n${{ checklist.nope.x }}\n', 'mine.md', { name: 'd', title: 'D', description: '', items, context });
    expect(result).toMatchObject({ ok: false });
    if (!result.ok) expect(result.message).toMatch(/^mine\.md:2: /);
  });
});
