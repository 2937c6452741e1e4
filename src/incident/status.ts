import type { IncidentPolicyConfig } from '../config/model';
import type { Incident } from '../state/store';
import { escalationAt, nextEscalation, targetsFor, type EscalationLevel } from './policy';

/**
 * Where an incident stands against its severity's targets at a given time. Pure: the clock's
 * reading is passed in, so `OPSCTL_NOW` and unit tests see the same thing as the terminal.
 */

/** met: done within the target · late: done after it · running: not done, time left · breached: not done, time up. */
export type TargetState = 'met' | 'late' | 'running' | 'breached';

export interface TargetStatus {
  readonly name: 'respond' | 'resolve';
  readonly targetMs: number;
  readonly dueAt: string;
  readonly doneAt?: string;
  /** From the start to `doneAt`, or to now while not done. */
  readonly elapsedMs: number;
  /** Negative once past the target. */
  readonly remainingMs: number;
  readonly state: TargetState;
}

export interface IncidentStatus {
  readonly incident: Incident;
  readonly now: string;
  /** From the start to now, or to the resolution. */
  readonly elapsedMs: number;
  readonly respond: TargetStatus;
  readonly resolve: TargetStatus;
  readonly breached: readonly TargetStatus[];
  readonly escalation: EscalationLevel;
  readonly nextEscalation?: EscalationLevel & { readonly dueInMs: number; readonly dueAt: string };
  readonly nextAction: string;
}

export function incidentStatus(incident: Incident, policy: IncidentPolicyConfig, nowMs: number): IncidentStatus {
  const start = Date.parse(incident.startedAt);
  const end = incident.resolvedAt ? Date.parse(incident.resolvedAt) : nowMs;
  const elapsedMs = Math.max(0, end - start);
  const targets = targetsFor(policy, incident.severity);
  const respond = target('respond', start, targets.respondMs, incident.acknowledgedAt, nowMs);
  const resolve = target('resolve', start, targets.resolveMs, incident.resolvedAt, nowMs);
  const next = incident.status === 'open' ? nextEscalation(policy, elapsedMs) : undefined;
  return {
    incident,
    now: new Date(nowMs).toISOString(),
    elapsedMs,
    respond,
    resolve,
    breached: [respond, resolve].filter((t) => t.state === 'breached' || t.state === 'late'),
    escalation: escalationAt(policy, elapsedMs),
    ...(next && { nextEscalation: { ...next, dueAt: new Date(start + next.afterMs).toISOString() } }),
    nextAction: nextAction(incident),
  };
}

function target(name: TargetStatus['name'], start: number, targetMs: number, doneAt: string | undefined, nowMs: number): TargetStatus {
  const until = doneAt ? Date.parse(doneAt) : nowMs;
  const elapsedMs = Math.max(0, until - start);
  const remainingMs = targetMs - elapsedMs;
  const state: TargetState = doneAt ? (remainingMs >= 0 ? 'met' : 'late') : remainingMs >= 0 ? 'running' : 'breached';
  return { name, targetMs, dueAt: new Date(start + targetMs).toISOString(), ...(doneAt && { doneAt }), elapsedMs, remainingMs, state };
}

/** The one thing the commander should do next (seed 002: acknowledge, mitigate, resolve, document). */
export function nextAction(incident: Incident): string {
  if (incident.status === 'resolved') return `write the postmortem: opsctl incident postmortem ${incident.id}`;
  if (!incident.acknowledgedAt) return 'acknowledge the incident and assign an owner';
  if (!incident.mitigatedAt) return 'mitigate the impact, then: opsctl incident mitigated';
  return 'fix the cause, then: opsctl incident resolve --summary TEXT';
}
