import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { postmortemContext } from '../../../src/incident/postmortem';
import { findTemplate, renderIncidentTemplate } from '../../../src/incident/render';
import { buildTimeline } from '../../../src/incident/timeline';
import type { IncidentEntry } from '../../../src/state/store';
import { OpsctlError } from '../../../src/util/errors';
import { MIN, at, events, incident, policy, runRecord } from './fixtures';

const ROOT = join(import.meta.dirname, '../../..');

const resolved = incident({
  severity: 'P1',
  acknowledgedAt: at(20 * MIN),
  mitigatedAt: at(35 * MIN),
  resolvedAt: at(50 * MIN),
  status: 'resolved',
  summary: 'Rolled back to 1.2.2',
  rootCause: 'Connection pool exhausted by 1.2.3',
  runIds: ['run-1'],
});
const entries: IncidentEntry[] = [
  { incidentId: 'INC-1', at: at(0), actor: 'ana', kind: 'opened', text: 'opened as P2: API down' },
  { incidentId: 'INC-1', at: at(12 * MIN), actor: 'bo', kind: 'note', text: 'Add an alert on pool saturation' },
  { incidentId: 'INC-1', at: at(15 * MIN), actor: 'ana', kind: 'severity', text: 'severity P2 → P1', data: { from: 'P2', to: 'P1' } },
  { incidentId: 'INC-1', at: at(40 * MIN), actor: 'carla', kind: 'note', text: 'Load-test 1.2.4 before release' },
];
const timeline = buildTimeline(entries, [
  {
    record: runRecord({ id: 'run-1' }),
    events: events('run-1', [[30 * MIN, { type: 'step.succeeded', step: 'rollback', durationMs: 60_000, outputs: {} }]]),
  },
]);
const context = postmortemContext({ incident: resolved, entries, timeline, policy, generatedAt: at(60 * MIN) });

describe('postmortem context', () => {
  it('measures acknowledge, mitigate and resolve from the start against the current severity’s targets', () => {
    expect(context.times).toEqual([
      { name: 'acknowledge', at: at(20 * MIN), took: '20m', took_ms: 20 * MIN, target: '15m', result: 'missed by 5m' },
      { name: 'mitigate', at: at(35 * MIN), took: '35m', took_ms: 35 * MIN, target: '—', result: 'no target' },
      { name: 'resolve', at: at(50 * MIN), took: '50m', took_ms: 50 * MIN, target: '1h', result: 'met' },
    ]);
  });

  it('keeps the severity history from the opening severity', () => {
    expect(context.initial_severity).toBe('P2');
    expect(context.severity_history.map((s) => s.text)).toEqual(['opened as P2', 'P2 → P1']);
  });

  it('turns notes into action items', () => {
    expect(context.action_items.map((a) => [a.actor, a.text])).toEqual([
      ['bo', 'Add an alert on pool saturation'],
      ['carla', 'Load-test 1.2.4 before release'],
    ]);
  });

  it('says what is missing on an open incident', () => {
    const open = postmortemContext({ incident: incident(), entries: [], timeline: [], policy, generatedAt: at(5 * MIN) });
    expect(open.resolved_at).toBe('still open');
    expect(open.duration).toBe('5m');
    expect(open.times.map((t) => t.result)).toEqual(['not recorded', 'not recorded', 'not recorded']);
  });
});

describe('postmortem template', () => {
  const template = readFileSync(join(ROOT, 'templates/postmortem.md'), 'utf8');
  const text = renderIncidentTemplate(template, context, 'templates/postmortem.md');

  it('renders the title, severities, summary and root cause', () => {
    expect(text).toMatch(/^# Postmortem: API down\n/);
    expect(text).toContain('| Severity | P1 (opened as P2) |');
    expect(text).toContain('\n## Summary\n\nRolled back to 1.2.2\n');
    expect(text).toContain('\n## Root cause\n\nConnection pool exhausted by 1.2.3\n');
    expect(text).toContain(`- ${at(15 * MIN)} — P2 → P1 (ana)`);
  });

  it('renders the times against the targets as a table', () => {
    expect(text).toContain(`| acknowledge | ${at(20 * MIN)} | 20m | 15m | missed by 5m |`);
    expect(text).toContain(`| resolve | ${at(50 * MIN)} | 50m | 1h | met |`);
  });

  it('renders the timeline in order and the notes as open action items', () => {
    const lines = text.split('\n').filter((l) => /^- 2026-11-22 \d\d:\d\d:\d\d · /.test(l));
    expect(lines).toEqual([
      '- 2026-11-22 03:00:00 · ana · opened as P2: API down',
      '- 2026-11-22 03:12:00 · bo · Add an alert on pool saturation',
      '- 2026-11-22 03:15:00 · ana · severity P2 → P1',
      '- 2026-11-22 03:30:00 · ana · `rollback` succeeded in 1m',
      '- 2026-11-22 03:40:00 · carla · Load-test 1.2.4 before release',
    ]);
    expect(text).toContain(`- [ ] Add an alert on pool saturation (bo, ${at(12 * MIN)})`);
    expect(text).not.toContain('${{');
  });

  it('points at the line of a broken expression', () => {
    const error = (() => {
      try {
        return renderIncidentTemplate('# x\n\n${{ incident.nope }}\n', context, 'custom.md');
      } catch (e) {
        return e;
      }
    })() as OpsctlError;
    expect(error).toBeInstanceOf(OpsctlError);
    expect(error.message).toMatch(/^custom\.md:3: /);
  });

  it('prefers a project’s own template over the shipped one', () => {
    expect(findTemplate('postmortem.md', '/nonexistent').path).toBe(join(ROOT, 'templates/postmortem.md'));
    expect(() => findTemplate('nope.md', '/nonexistent')).toThrow(/template `nope.md` not found/);
  });
});
