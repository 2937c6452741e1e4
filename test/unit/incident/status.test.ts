import { describe, expect, it } from 'vitest';
import { incidentStatus, nextAction } from '../../../src/incident/status';
import { HOUR, MIN, T0, at, incident, policy } from './fixtures';

describe('incident status', () => {
  it('counts time left on both targets of an open P2', () => {
    const s = incidentStatus(incident({ acknowledgedAt: at(5 * MIN) }), policy, T0 + 20 * MIN);
    expect(s.elapsedMs).toBe(20 * MIN);
    expect(s.respond).toMatchObject({ state: 'met', elapsedMs: 5 * MIN, remainingMs: 55 * MIN, dueAt: at(HOUR) });
    expect(s.resolve).toMatchObject({ state: 'running', elapsedMs: 20 * MIN, remainingMs: 220 * MIN, dueAt: at(4 * HOUR) });
    expect(s.breached).toEqual([]);
    expect(s.escalation.to).toBe('operations');
    expect(s.nextEscalation).toMatchObject({ to: 'development', dueInMs: 10 * MIN, dueAt: at(30 * MIN) });
  });

  it('reports a breach of the response target when nobody acknowledged in time', () => {
    const s = incidentStatus(incident({ severity: 'P1' }), policy, T0 + 16 * MIN);
    expect(s.respond).toMatchObject({ state: 'breached', remainingMs: -MIN });
    expect(s.breached.map((t) => t.name)).toEqual(['respond']);
  });

  it('keeps a late acknowledgement as a breach after the fact', () => {
    const s = incidentStatus(incident({ severity: 'P1', acknowledgedAt: at(20 * MIN) }), policy, T0 + 21 * MIN);
    expect(s.respond.state).toBe('late');
    expect(s.breached.map((t) => t.name)).toEqual(['respond']);
  });

  it('uses the current severity’s targets after a change', () => {
    const s = incidentStatus(incident({ severity: 'P1', acknowledgedAt: at(MIN) }), policy, T0 + 90 * MIN);
    expect(s.resolve).toMatchObject({ state: 'breached', targetMs: HOUR, remainingMs: -30 * MIN });
    expect(s.escalation).toMatchObject({ level: 1, to: 'development' });
    expect(s.nextEscalation).toMatchObject({ to: 'management', dueInMs: 30 * MIN });
  });

  it('stops the clock at resolution and has no next escalation', () => {
    const s = incidentStatus(
      incident({ status: 'resolved', acknowledgedAt: at(MIN), resolvedAt: at(3 * HOUR) }),
      policy,
      T0 + 10 * HOUR,
    );
    expect(s.elapsedMs).toBe(3 * HOUR);
    expect(s.resolve).toMatchObject({ state: 'met', elapsedMs: 3 * HOUR });
    expect(s.escalation.to).toBe('management');
    expect(s.nextEscalation).toBeUndefined();
  });

  it('names the next action from the incident’s progress', () => {
    expect(nextAction(incident())).toMatch(/acknowledge/);
    expect(nextAction(incident({ acknowledgedAt: at(0) }))).toMatch(/incident mitigated/);
    expect(nextAction(incident({ acknowledgedAt: at(0), mitigatedAt: at(1) }))).toMatch(/incident resolve --summary/);
    expect(nextAction(incident({ status: 'resolved' }))).toMatch(/postmortem INC-1/);
  });
});

describe('status text', () => {
  it('shows days for long targets and the date when a due time is on another day', async () => {
    const { human, statusLines } = await import('../../../src/incident/format');
    expect(human(7 * 24 * HOUR)).toBe('7d');
    expect(human(24 * HOUR)).toBe('24h');
    expect(human(50 * HOUR + 60_000)).toBe('2d2h1m');
    expect(human(59 * MIN + 59_600)).toBe('1h');
    const lines = statusLines(incidentStatus(incident({ severity: 'P4', acknowledgedAt: at(0) }), policy, T0 + HOUR));
    expect(lines).toContain('resolve within 7d: 6d23h left (due 2026-11-29 03:00:00Z)');
    expect(lines).toContain('escalation: development (level 1) · next: management in 1h (at 05:00:00Z)');
  });
});

describe('incident list lines', () => {
  it('shows how long each incident has run and which targets it breached', async () => {
    const { listLines } = await import('../../../src/incident/format');
    const open = incidentStatus(incident({ severity: 'P1' }), policy, T0 + 70 * MIN);
    const done = incidentStatus(incident({ id: 'INC-2', title: 'Typo', severity: 'P4', status: 'resolved', acknowledgedAt: at(0), resolvedAt: at(HOUR) }), policy, T0 + 70 * MIN);
    expect(listLines([open, done])).toEqual([
      'INC-1  P1  open         1h10m  BREACH respond+resolve  API down',
      'INC-2  P4  resolved        1h  Typo',
    ]);
    expect(listLines([])).toEqual(['no incidents']);
  });
});
