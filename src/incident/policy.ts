import type { IncidentPolicyConfig, SeverityName, SeverityPolicy } from '../config/model';

/**
 * The severity policy of DESIGN.md §6 as pure functions of the config and an elapsed time:
 * response / resolution targets per severity and the escalation ladder (seed 004: operations
 * first, development after 30 min, management after 2 h).
 */
export const SEVERITIES: readonly SeverityName[] = ['P1', 'P2', 'P3', 'P4'];

/** Level 0 of the ladder: whoever is on call owns the incident until the first escalation. */
export const BASE_ESCALATION = 'operations';

export function parseSeverity(text: string): SeverityName | undefined {
  const upper = text.trim().toUpperCase();
  return SEVERITIES.find((s) => s === upper);
}

/** P1 is the most severe: `isMoreSevere('P1', 'P2')` is true. */
export function isMoreSevere(a: SeverityName, b: SeverityName): boolean {
  return SEVERITIES.indexOf(a) < SEVERITIES.indexOf(b);
}

export function targetsFor(policy: IncidentPolicyConfig, severity: SeverityName): SeverityPolicy {
  return policy.severities[severity];
}

/** The runbook a severity runs: config's `runbook`, else the shipped `incident-p1` … `incident-p4`. */
export function runbookFor(policy: IncidentPolicyConfig, severity: SeverityName): string {
  return policy.severities[severity].runbook ?? `incident-${severity.toLowerCase()}`;
}

export interface EscalationLevel {
  /** 0 = the base level (operations), 1 = the first entry of `escalation`, … */
  readonly level: number;
  readonly to: string;
  /** Time since the incident started at which this level applies. */
  readonly afterMs: number;
}

/** Levels in order, the base level first. Config guarantees ascending `afterMs`; sort anyway. */
export function escalationLadder(policy: IncidentPolicyConfig): EscalationLevel[] {
  const sorted = [...policy.escalation].sort((a, b) => a.afterMs - b.afterMs);
  return [{ level: 0, to: BASE_ESCALATION, afterMs: 0 }, ...sorted.map((e, i) => ({ level: i + 1, to: e.to, afterMs: e.afterMs }))];
}

/** The level in force `elapsedMs` after the start (a level applies from its `afterMs` on). */
export function escalationAt(policy: IncidentPolicyConfig, elapsedMs: number): EscalationLevel {
  const ladder = escalationLadder(policy);
  let current = ladder[0] as EscalationLevel;
  for (const level of ladder) if (elapsedMs >= level.afterMs) current = level;
  return current;
}

export interface NextEscalation extends EscalationLevel {
  readonly dueInMs: number;
}

/** The next level still ahead, or undefined at the top of the ladder. */
export function nextEscalation(policy: IncidentPolicyConfig, elapsedMs: number): NextEscalation | undefined {
  const next = escalationLadder(policy).find((level) => level.afterMs > elapsedMs);
  return next && { ...next, dueInMs: next.afterMs - elapsedMs };
}

/** Levels above the base reached within `elapsedMs`, in order: what the timeline should show. */
export function escalationsReached(policy: IncidentPolicyConfig, elapsedMs: number): EscalationLevel[] {
  return escalationLadder(policy).filter((level) => level.level > 0 && level.afterMs <= elapsedMs);
}
