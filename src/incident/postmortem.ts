import type { IncidentPolicyConfig, SeverityName } from '../config/model';
import type { Incident, IncidentEntry } from '../state/store';
import { human } from './format';
import { targetsFor } from './policy';
import type { TimelineItem } from './timeline';

/**
 * The data `templates/postmortem.md` is rendered from: the `incident` root of the expression
 * context (the same root runbooks read inside an incident), grown with the lists a postmortem
 * needs. Every value is text a person reads, so the template (plain `${{ }}` CEL, lists through
 * `.map(…).join("\n")`) only arranges it.
 */
export interface PostmortemContext {
  readonly id: string;
  readonly title: string;
  readonly severity: SeverityName;
  readonly initial_severity: SeverityName;
  readonly status: Incident['status'];
  readonly commander: string;
  readonly started_at: string;
  readonly acknowledged_at: string;
  readonly mitigated_at: string;
  readonly resolved_at: string;
  readonly duration: string;
  readonly summary: string;
  readonly root_cause: string;
  readonly severity_history: readonly { readonly at: string; readonly actor: string; readonly from: string; readonly to: string; readonly text: string }[];
  readonly times: readonly Milestone[];
  readonly timeline: readonly { readonly at: string; readonly time: string; readonly actor: string; readonly kind: string; readonly text: string }[];
  readonly action_items: readonly { readonly at: string; readonly actor: string; readonly text: string }[];
  readonly generated_at: string;
}

export interface Milestone {
  readonly name: 'acknowledge' | 'mitigate' | 'resolve';
  /** When it happened, or `not recorded`. */
  readonly at: string;
  /** Time from the start, or `—`. */
  readonly took: string;
  readonly took_ms: number | null;
  /** The severity's target, or `—` where the policy sets none (mitigation). */
  readonly target: string;
  /** `met`, `missed by 12m`, `no target`, or `not recorded`. */
  readonly result: string;
}

const NOT_RECORDED = 'not recorded';

export function postmortemContext(input: {
  readonly incident: Incident;
  readonly entries: readonly IncidentEntry[];
  readonly timeline: readonly TimelineItem[];
  readonly policy: IncidentPolicyConfig;
  readonly generatedAt: string;
}): PostmortemContext {
  const { incident, entries, policy } = input;
  const start = Date.parse(incident.startedAt);
  const targets = targetsFor(policy, incident.severity);
  const changes = entries.filter((e) => e.kind === 'severity');
  const initial = severityField(changes[0]?.data?.from) ?? incident.severity;
  const opener = entries.find((e) => e.kind === 'opened')?.actor ?? incident.commander;
  const end = incident.resolvedAt ? Date.parse(incident.resolvedAt) : Date.parse(input.generatedAt);
  return {
    id: incident.id,
    title: incident.title,
    severity: incident.severity,
    initial_severity: initial,
    status: incident.status,
    commander: incident.commander,
    started_at: incident.startedAt,
    acknowledged_at: incident.acknowledgedAt ?? NOT_RECORDED,
    mitigated_at: incident.mitigatedAt ?? NOT_RECORDED,
    resolved_at: incident.resolvedAt ?? 'still open',
    duration: human(Math.max(0, end - start)),
    summary: incident.summary ?? '(no summary yet: `opsctl incident resolve --summary TEXT`)',
    root_cause: incident.rootCause ?? '(not recorded: `opsctl incident resolve --root-cause TEXT`)',
    severity_history: [
      { at: incident.startedAt, actor: opener, from: '', to: initial, text: `opened as ${initial}` },
      ...changes.map((e) => {
        const from = severityField(e.data?.from) ?? '?';
        const to = severityField(e.data?.to) ?? '?';
        return { at: e.at, actor: e.actor, from, to, text: `${from} → ${to}` };
      }),
    ],
    times: [
      milestone('acknowledge', start, incident.acknowledgedAt, targets.respondMs),
      milestone('mitigate', start, incident.mitigatedAt, undefined),
      milestone('resolve', start, incident.resolvedAt, targets.resolveMs),
    ],
    timeline: input.timeline.map((t) => ({ at: t.at, time: clockTime(t.at), actor: t.actor, kind: t.kind, text: t.text })),
    action_items: entries.filter((e) => e.kind === 'note').map((e) => ({ at: e.at, actor: e.actor, text: e.text })),
    generated_at: input.generatedAt,
  };
}

function milestone(name: Milestone['name'], start: number, at: string | undefined, targetMs: number | undefined): Milestone {
  const target = targetMs === undefined ? '—' : human(targetMs);
  if (!at) return { name, at: NOT_RECORDED, took: '—', took_ms: null, target, result: NOT_RECORDED };
  const tookMs = Math.max(0, Date.parse(at) - start);
  const result = targetMs === undefined ? 'no target' : tookMs <= targetMs ? 'met' : `missed by ${human(tookMs - targetMs)}`;
  return { name, at, took: human(tookMs), took_ms: tookMs, target, result };
}

function severityField(value: unknown): SeverityName | undefined {
  return value === 'P1' || value === 'P2' || value === 'P3' || value === 'P4' ? value : undefined;
}

/** `2026-11-22T03:04:05.000Z` → `2026-11-22 03:04:05` (UTC, as the template's heading says). */
function clockTime(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, '');
}
