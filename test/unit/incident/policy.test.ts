import { describe, expect, it } from 'vitest';
import { escalationAt, escalationsReached, isMoreSevere, nextEscalation, parseSeverity, runbookFor, targetsFor } from '../../../src/incident/policy';
import { HOUR, MIN, policy } from './fixtures';

describe('severity policy', () => {
  it('reads each severity’s targets from the config', () => {
    expect(targetsFor(policy, 'P1')).toMatchObject({ respondMs: 15 * MIN, resolveMs: HOUR });
    expect(targetsFor(policy, 'P3')).toMatchObject({ respondMs: 4 * HOUR, resolveMs: 24 * HOUR });
  });

  it('names the shipped runbook unless the config maps one', () => {
    expect(runbookFor(policy, 'P2')).toBe('incident-p2');
    expect(runbookFor(policy, 'P4')).toBe('low-priority');
  });

  it('parses severities case-insensitively and orders P1 above P4', () => {
    expect(parseSeverity('p1')).toBe('P1');
    expect(parseSeverity('P5')).toBeUndefined();
    expect(parseSeverity('SEV1')).toBeUndefined();
    expect(isMoreSevere('P1', 'P2')).toBe(true);
    expect(isMoreSevere('P3', 'P2')).toBe(false);
    expect(isMoreSevere('P2', 'P2')).toBe(false);
  });
});

describe('escalation', () => {
  it('stays with operations for the first 30 minutes', () => {
    expect(escalationAt(policy, 0)).toEqual({ level: 0, to: 'operations', afterMs: 0 });
    expect(escalationAt(policy, 30 * MIN - 1).to).toBe('operations');
  });

  it('goes to development at 30 minutes and to management at 2 hours', () => {
    expect(escalationAt(policy, 30 * MIN)).toEqual({ level: 1, to: 'development', afterMs: 30 * MIN });
    expect(escalationAt(policy, 2 * HOUR - 1).to).toBe('development');
    expect(escalationAt(policy, 2 * HOUR)).toEqual({ level: 2, to: 'management', afterMs: 2 * HOUR });
    expect(escalationAt(policy, 100 * HOUR).level).toBe(2);
  });

  it('says which level comes next and when it is due', () => {
    expect(nextEscalation(policy, 10 * MIN)).toEqual({ level: 1, to: 'development', afterMs: 30 * MIN, dueInMs: 20 * MIN });
    expect(nextEscalation(policy, 45 * MIN)).toEqual({ level: 2, to: 'management', afterMs: 2 * HOUR, dueInMs: 75 * MIN });
    expect(nextEscalation(policy, 2 * HOUR)).toBeUndefined();
  });

  it('lists the levels reached, for the timeline', () => {
    expect(escalationsReached(policy, 29 * MIN)).toEqual([]);
    expect(escalationsReached(policy, 3 * HOUR).map((l) => l.to)).toEqual(['development', 'management']);
  });

  it('sorts a ladder written out of order', () => {
    const shuffled = { ...policy, escalation: [...policy.escalation].reverse() };
    expect(escalationAt(shuffled, 45 * MIN).to).toBe('development');
  });
});
