import type { IncidentPolicyConfig, SeverityName } from '../config/model';
import type { Incident, IncidentEntry, StateStore } from '../state/store';
import type { Clock } from '../util/clock';
import { usageError } from '../util/errors';
import { escalationsReached, isMoreSevere } from './policy';

/**
 * What the incident commands change, each a small function over the store. Every change leaves
 * an entry on the timeline with who made it and when (the injected clock's now).
 */
export interface IncidentDeps {
  readonly store: StateStore;
  readonly clock: Clock;
  readonly policy: IncidentPolicyConfig;
  /** Who is acting: recorded on every entry. */
  readonly user: string;
}

const iso = (deps: IncidentDeps) => new Date(deps.clock.now()).toISOString();

async function record(deps: IncidentDeps, incident: Incident, kind: IncidentEntry['kind'], text: string, data?: Record<string, unknown>, at = iso(deps)): Promise<IncidentEntry> {
  const entry: IncidentEntry = { incidentId: incident.id, at, actor: deps.user, kind, text, ...(data && { data }) };
  await deps.store.appendIncidentEntry(entry);
  return entry;
}

async function update(deps: IncidentDeps, incident: Incident, patch: Partial<Omit<Incident, 'id'>>): Promise<Incident> {
  await deps.store.updateIncident(incident.id, patch);
  return { ...incident, ...patch };
}

/** `INC-20261122-k3f9`: the day, and four characters that make two starts in a day distinct. */
export function newIncidentId(nowMs: number, random: () => number = Math.random): string {
  const day = new Date(nowMs).toISOString().slice(0, 10).replaceAll('-', '');
  const suffix = Array.from({ length: 4 }, () => '0123456789abcdefghijklmnopqrstuvwxyz'[Math.floor(random() * 36)]).join('');
  return `INC-${day}-${suffix}`;
}

export interface StartOptions {
  readonly severity: SeverityName;
  readonly title: string;
  readonly commander?: string;
  /** When the problem was detected, if before now: the targets count from there. */
  readonly detectedAt?: number;
}

/** The incident `start` would create, without storing anything (`incident start --dry-run` shows it). */
export function draftIncident(deps: Pick<IncidentDeps, 'clock' | 'user'>, options: StartOptions): Incident {
  const now = deps.clock.now();
  if (options.detectedAt !== undefined && options.detectedAt > now) {
    throw usageError(`--detected-at ${new Date(options.detectedAt).toISOString()} is in the future`, 'give a past time (ISO 8601) or how long ago (e.g. 20m)');
  }
  return {
    id: newIncidentId(now),
    title: options.title,
    severity: options.severity,
    status: 'open',
    commander: options.commander ?? deps.user,
    startedAt: new Date(options.detectedAt ?? now).toISOString(),
    acknowledgedAt: new Date(now).toISOString(),
    runIds: [],
  };
}

/** Creates the incident and acknowledges it: the person starting it is responding (seed 002). */
export async function startIncident(deps: IncidentDeps, options: StartOptions): Promise<Incident> {
  const incident = draftIncident(deps, options);
  await deps.store.createIncident(incident);
  await record(deps, incident, 'opened', `opened as ${incident.severity}: ${incident.title}`, { severity: incident.severity }, incident.startedAt);
  await record(deps, incident, 'acknowledged', `acknowledged; commander ${incident.commander}`, { commander: incident.commander }, incident.acknowledgedAt ?? iso(deps));
  return incident;
}

export async function addNote(deps: IncidentDeps, incident: Incident, text: string): Promise<IncidentEntry> {
  if (text.trim() === '') throw usageError('the note is empty', 'write what happened or what to do: `opsctl incident note "TEXT"`');
  // Action items are often written after the resolution: allowed, and marked as such.
  if (incident.status === 'resolved') return record(deps, incident, 'note', `(after resolution) ${text.trim()}`, { afterResolution: true });
  return record(deps, incident, 'note', text.trim());
}

export type SeverityChange = { readonly type: 'unchanged' } | { readonly type: 'raised' | 'lowered'; readonly from: SeverityName; readonly incident: Incident };

export async function changeSeverity(deps: IncidentDeps, incident: Incident, to: SeverityName): Promise<SeverityChange> {
  assertOpen(incident, 'change its severity');
  const from = incident.severity;
  if (from === to) return { type: 'unchanged' };
  const updated = await update(deps, incident, { severity: to });
  await record(deps, incident, 'severity', `severity ${from} → ${to}`, { from, to });
  return { type: isMoreSevere(to, from) ? 'raised' : 'lowered', from, incident: updated };
}

export async function markMitigated(deps: IncidentDeps, incident: Incident, at = iso(deps), how = 'mitigated: impact stopped'): Promise<Incident> {
  assertOpen(incident, 'mark it as mitigated');
  if (incident.mitigatedAt) return incident;
  const updated = await update(deps, incident, { mitigatedAt: at });
  await record(deps, incident, 'mitigated', how, undefined, at);
  return updated;
}

export async function resolveIncident(deps: IncidentDeps, incident: Incident, options: { readonly summary: string; readonly rootCause?: string }): Promise<Incident> {
  if (options.summary.trim() === '') throw usageError('the resolution summary is empty', 'say what fixed it: `opsctl incident resolve --summary "TEXT"`');
  assertOpen(incident, 'resolve it again');
  await recordEscalations(deps, incident);
  const resolvedAt = iso(deps);
  const patch = { status: 'resolved' as const, resolvedAt, summary: options.summary.trim(), ...(options.rootCause?.trim() && { rootCause: options.rootCause.trim() }) };
  const updated = await update(deps, incident, patch);
  await record(deps, incident, 'resolved', `resolved: ${patch.summary}`, patch.rootCause ? { rootCause: patch.rootCause } : undefined, resolvedAt);
  return updated;
}

export async function attachRun(deps: IncidentDeps, incident: Incident, runId: string, runbook: string): Promise<Incident> {
  const updated = await update(deps, incident, { runIds: [...incident.runIds, runId] });
  await record(deps, incident, 'run', `runbook \`${runbook}\` attached as run ${runId}`, { runId, runbook });
  return updated;
}

/**
 * Puts each escalation level the incident has reached on its timeline, once, at the time it
 * became due (not when someone happened to look), so the timeline shows when it escalated.
 */
export async function recordEscalations(deps: IncidentDeps, incident: Incident): Promise<readonly string[]> {
  if (incident.status !== 'open') return [];
  const start = Date.parse(incident.startedAt);
  const reached = escalationsReached(deps.policy, deps.clock.now() - start);
  if (reached.length === 0) return [];
  const entries = await deps.store.readIncidentEntries(incident.id);
  const recorded = new Set(entries.filter((e) => e.kind === 'escalated').map((e) => e.data?.level));
  const added: string[] = [];
  for (const level of reached) {
    if (recorded.has(level.level)) continue;
    await deps.store.appendIncidentEntry({
      incidentId: incident.id,
      at: new Date(start + level.afterMs).toISOString(),
      actor: 'opsctl',
      kind: 'escalated',
      text: `escalation level ${level.level}: ${level.to}`,
      data: { level: level.level, to: level.to },
    });
    added.push(level.to);
  }
  return added;
}

function assertOpen(incident: Incident, verb: string): void {
  if (incident.status !== 'open') {
    throw usageError(
      `incident \`${incident.id}\` is resolved; cannot ${verb}`,
      `if the problem is back: \`opsctl incident reopen --id ${incident.id} --reason TEXT\`; see it with \`opsctl incident postmortem ${incident.id}\``,
    );
  }
}

/**
 * The problem came back: the incident is open again, on the same timeline (its clocks still count
 * from the original start). The earlier resolution stays on the timeline; a new one is needed.
 */
export async function reopenIncident(deps: IncidentDeps, incident: Incident, reason: string): Promise<Incident> {
  if (incident.status === 'open') throw usageError(`incident \`${incident.id}\` is open already`, 'see it with `opsctl incident status`');
  if (reason.trim() === '') throw usageError('say why it is reopened', 'e.g. `opsctl incident reopen --reason "errors are back"`');
  const updated = await update(deps, incident, { status: 'open', resolvedAt: undefined, summary: undefined, rootCause: undefined });
  await record(deps, incident, 'opened', `reopened: ${reason.trim()}`, { reopened: true });
  return updated;
}
