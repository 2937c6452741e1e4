import type { RunEvent } from '../engine/events';
import type { IncidentEntry, RunRecord } from '../state/store';
import { formatDuration } from '../util/duration';
import { unreachable } from '../util/unreachable';

/**
 * An incident's timeline: its own entries (opened, notes, severity changes, escalations,
 * resolution) merged with the events of every run attached to it, in time order, each with
 * who acted. Pure: the caller reads the store.
 */
export interface TimelineItem {
  readonly at: string;
  readonly actor: string;
  /** An entry kind (`note`, `severity`, …) or a run event type (`step.succeeded`, …). */
  readonly kind: string;
  readonly text: string;
  readonly runId?: string;
  readonly step?: string;
}

export interface IncidentRun {
  readonly record: RunRecord;
  readonly events: readonly RunEvent[];
}

export function buildTimeline(entries: readonly IncidentEntry[], runs: readonly IncidentRun[]): TimelineItem[] {
  const items: TimelineItem[] = entries.map((e) => ({ at: e.at, actor: e.actor, kind: e.kind, text: e.text }));
  for (const run of runs) {
    const refused = refusedBeforeStart(run.events);
    if (refused.length > 0 && refused[0]) {
      const steps = refused.map((e) => `\`${e.step}\``).join(', ');
      items.push({
        at: refused[0].ts,
        actor: 'opsctl',
        kind: 'run.not-started',
        runId: refused[0].runId,
        text: `runbook \`${run.record.runbook.name}\` not started: ${refused.length === 1 ? 'a step needs' : `${refused.length} steps need`} approval and there was no terminal to ask (--approve/--yes): ${steps}`,
      });
    }
    for (const event of run.events) {
      if ((refused as readonly RunEvent[]).includes(event)) continue;
      const item = eventItem(event, run.record);
      if (item) items.push(item);
    }
  }
  // Array.prototype.sort is stable: equal times keep entries first, then runs, then event order.
  return items
    .map((item, index) => ({ item, index, time: Date.parse(item.at) }))
    .sort((a, b) => a.time - b.time || a.index - b.index)
    .map(({ item }) => item);
}

/** One run event as a timeline line; undefined for the noise a person does not need there. */
export function eventItem(event: RunEvent, run: RunRecord): TimelineItem | undefined {
  const base = { at: event.ts, actor: run.user, kind: event.type, runId: event.runId };
  const name = run.runbook.name;
  switch (event.type) {
    case 'run.started':
      return { ...base, text: `run ${event.runId} of \`${event.runbook}\` started${event.dryRun ? ' (dry run)' : ''}` };
    case 'run.finished':
      return { ...base, text: `run ${event.runId} of \`${name}\` ${event.status}${event.failedStep ? ` at step \`${event.failedStep}\`` : ''} after ${formatDuration(event.durationMs)}` };
    case 'step.started':
      return { ...base, step: event.step, text: `\`${event.step}\` started${event.title ? `: ${event.title}` : ''}${event.attempt > 1 ? ` (attempt ${event.attempt})` : ''}` };
    case 'step.succeeded':
      return { ...base, step: event.step, text: `\`${event.step}\` succeeded in ${formatDuration(event.durationMs)}${evidence(event.outputs)}` };
    case 'step.failed':
      return { ...base, step: event.step, text: `\`${event.step}\` failed: ${event.message}` };
    case 'step.timed-out':
      return { ...base, step: event.step, text: `\`${event.step}\` timed out after ${formatDuration(event.timeoutMs)}` };
    case 'step.cancelled':
      return { ...base, step: event.step, text: `\`${event.step}\` cancelled` };
    case 'step.skipped':
      return { ...base, step: event.step, text: `\`${event.step}\` skipped: ${event.reason}` };
    case 'step.confirmed':
      return { ...base, actor: event.by, step: event.step, text: `\`${event.step}\` approved (${event.via})` };
    case 'step.declined':
      // Only a person says no; with no terminal nobody was asked.
      if (isNoTerminal(event.reason)) return { ...base, actor: 'opsctl', step: event.step, text: `\`${event.step}\` not run: needs approval (no terminal)` };
      return { ...base, actor: event.by, step: event.step, text: `\`${event.step}\` declined: ${event.reason}` };
    case 'step.retrying':
      return { ...base, step: event.step, text: `\`${event.step}\` retrying (attempt ${event.attempt}): ${event.reason}` };
    case 'step.rolled-back':
      return { ...base, step: event.step, text: `\`${event.step}\` rolled back` };
    case 'step.rollback-failed':
      return { ...base, step: event.step, text: `\`${event.step}\` rollback failed: ${event.message}` };
    case 'log':
      return { ...base, ...(event.step && { step: event.step }), text: event.message };
    case 'step.planned':
    case 'step.awaiting-confirmation':
    case 'step.output':
    case 'step.progress':
    case 'step.rolling-back':
      return undefined;
    default:
      return unreachable(event);
  }
}

/** A manual step's note (or a `note` output of any step) is evidence worth keeping on the line. */
function evidence(outputs: Readonly<Record<string, unknown>>): string {
  const note = outputs.note;
  return typeof note === 'string' && note.trim() !== '' ? ` — ${note.trim()}` : '';
}

/** The engine's words when a gate could not be asked (CI, no terminal), as opposed to a person's no. */
function isNoTerminal(reason: string): boolean {
  return reason.includes('no terminal');
}

type Declined = Extract<RunEvent, { type: 'step.declined' }>;

/**
 * Gates refused before any step started: the non-interactive pre-check, which refuses the whole
 * run up front. They become one line ("not started"), not one "declined" line per step.
 */
function refusedBeforeStart(events: readonly RunEvent[]): Declined[] {
  const refused: Declined[] = [];
  for (const event of events) {
    if (event.type === 'step.started') return [];
    if (event.type === 'step.declined') {
      if (!isNoTerminal(event.reason)) return [];
      refused.push(event);
    }
  }
  return refused;
}
