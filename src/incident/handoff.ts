import type { IncidentPolicyConfig } from '../config/model';
import type { Incident } from '../state/store';
import { formatDuration } from '../util/duration';
import { incidentStatus } from './status';

/**
 * The incidents an end-of-shift handoff must mention, from the state store: every open one, and
 * those resolved during the shift (since `sinceMs`). Pure: the caller reads the store and clock.
 */
export function shiftIncidents(incidents: readonly Incident[], sinceMs: number): { open: Incident[]; resolved: Incident[] } {
  const byStart = (a: Incident, b: Incident) => a.startedAt.localeCompare(b.startedAt);
  return {
    open: incidents.filter((i) => i.status === 'open').sort(byStart),
    resolved: incidents.filter((i) => i.status === 'resolved' && i.resolvedAt !== undefined && Date.parse(i.resolvedAt) >= sinceMs).sort(byStart),
  };
}

/** Markdown lines: id, severity, title, elapsed, breaches, commander (never "none" while one is open). */
export function handoffIncidentLines(incidents: readonly Incident[], policy: IncidentPolicyConfig, nowMs: number, sinceMs: number): string {
  const { open, resolved } = shiftIncidents(incidents, sinceMs);
  if (open.length === 0 && resolved.length === 0) return 'No incident open in opsctl, none resolved during the shift.';
  const line = (incident: Incident): string => {
    const status = incidentStatus(incident, policy, nowMs);
    const breaches = status.breached.map((t) => t.name);
    const state = incident.status === 'open' ? `**open** for ${formatDuration(status.elapsedMs)}${incident.mitigatedAt ? ', mitigated' : ''}` : `resolved after ${formatDuration(status.elapsedMs)}`;
    return `- ${incident.id} **${incident.severity}** ${incident.title} — ${state}${breaches.length > 0 ? `, **BREACH** ${breaches.join('+')}` : ''}; commander ${incident.commander}`;
  };
  const parts: string[] = [];
  if (open.length > 0) parts.push(`Open (${open.length}) — hand these over:`, ...open.map(line));
  if (resolved.length > 0) parts.push(...(parts.length > 0 ? [''] : []), `Resolved during the shift (${resolved.length}):`, ...resolved.map(line));
  return parts.join('\n');
}
