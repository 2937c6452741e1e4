import { formatDuration } from '../util/duration';

/** Durations for people, to the nearest second (an injected clock drifts by milliseconds); days past 48h. */
export function human(ms: number): string {
  if (Math.abs(ms) < 1000) return formatDuration(ms);
  const rounded = Math.round(ms / 1000) * 1000;
  if (rounded < 2 * DAY) return formatDuration(rounded);
  const days = Math.floor(rounded / DAY);
  const rest = rounded - days * DAY;
  return `${days}d${rest > 0 ? formatDuration(rest) : ''}`;
}

const DAY = 86_400_000;
import { unreachable } from '../util/unreachable';
import type { IncidentStatus, TargetStatus } from './status';

/**
 * The status as lines a person reads at 3 a.m.: elapsed time against each target, breaches,
 * the escalation level and when the next one is due, and the next action. Pure text, no colour:
 * the caller decides how to paint it.
 */
export function statusLines(s: IncidentStatus): string[] {
  const i = s.incident;
  const lines = [
    `${i.id}  ${i.severity}  ${i.status}  ${i.title}`,
    `commander ${i.commander} · started ${clock(i.startedAt, '')} · ${i.status === 'open' ? 'elapsed' : 'lasted'} ${human(s.elapsedMs)}`,
    `respond ${targetText(s.respond, 'acknowledged', i.startedAt)}`,
    `resolve ${targetText(s.resolve, 'resolved', i.startedAt)}`,
  ];
  if (i.mitigatedAt) lines.push(`mitigated after ${human(Date.parse(i.mitigatedAt) - Date.parse(i.startedAt))}`);
  const next = s.nextEscalation;
  lines.push(`escalation: ${s.escalation.to} (level ${s.escalation.level})${next ? ` · next: ${next.to} in ${human(next.dueInMs)} (at ${clock(next.dueAt, i.startedAt)})` : ''}`);
  for (const t of s.breached) lines.push(`BREACH: ${breachText(t)}`);
  lines.push(`next: ${s.nextAction}`);
  return lines;
}

/** One line for guided mode: the clock, the nearest target, the escalation, the next action. */
export function headerLine(s: IncidentStatus): string {
  const i = s.incident;
  const open = [s.respond, s.resolve].find((t) => t.state === 'running' || t.state === 'breached');
  const target = open ? (open.state === 'breached' ? `${open.name} BREACHED by ${human(-open.remainingMs)}` : `${open.name} due in ${human(open.remainingMs)}`) : 'targets closed';
  const next = s.nextEscalation ? ` · ${s.nextEscalation.to} in ${human(s.nextEscalation.dueInMs)}` : '';
  return `[${i.id} ${i.severity} · ${human(s.elapsedMs)} elapsed · ${target} · escalation ${s.escalation.to}${next}] next: ${s.nextAction}`;
}

function targetText(t: TargetStatus, verb: string, start: string): string {
  const within = `within ${human(t.targetMs)}`;
  switch (t.state) {
    case 'met':
      return `${within}: met (${verb} after ${human(t.elapsedMs)})`;
    case 'late':
      return `${within}: missed (${verb} after ${human(t.elapsedMs)}, ${human(-t.remainingMs)} late)`;
    case 'running':
      return `${within}: ${human(t.remainingMs)} left (due ${clock(t.dueAt, start)})`;
    case 'breached':
      return `${within}: BREACHED ${human(-t.remainingMs)} ago (was due ${clock(t.dueAt, start)})`;
    default:
      return unreachable(t.state);
  }
}

function breachText(t: TargetStatus): string {
  const done = t.state === 'late' ? ` (${t.name === 'respond' ? 'acknowledged' : 'resolved'} ${human(-t.remainingMs)} late)` : ` by ${human(-t.remainingMs)}`;
  return `${t.name} target of ${human(t.targetMs)} exceeded${done}`;
}

/** `2026-11-22T03:04:05.000Z` → `03:04:05Z`, with the date when it is not the day of `since`. */
function clock(iso: string, since?: string): string {
  const time = iso.slice(11, 19);
  return since !== undefined && iso.slice(0, 10) !== since.slice(0, 10) ? `${iso.slice(0, 10)} ${time}Z` : `${time}Z`;
}

/** One line per incident: id, severity, state, how long, breaches, title. */
export function listLines(statuses: readonly IncidentStatus[]): string[] {
  if (statuses.length === 0) return ['no incidents'];
  return statuses.map((s) => {
    const i = s.incident;
    const breaches = s.breached.length > 0 ? `  BREACH ${s.breached.map((t) => t.name).join('+')}` : '';
    return `${i.id}  ${i.severity}  ${i.status.padEnd(8)}  ${human(s.elapsedMs).padStart(8)}${breaches}  ${i.title}`;
  });
}
