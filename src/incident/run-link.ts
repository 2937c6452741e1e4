import type { RunEvent } from '../engine/events';
import type { StepGraph } from '../runbook/model';
import type { Incident } from '../state/store';

/**
 * How a run and its incident meet: what runbooks read as `incident.*`, and what a run tells the
 * incident back (the `mitigate` step's success is the moment the impact stopped).
 */
export function incidentExprContext(incident: Incident): Readonly<Record<string, unknown>> {
  return {
    id: incident.id,
    title: incident.title,
    severity: incident.severity,
    status: incident.status,
    commander: incident.commander,
    started_at: incident.startedAt,
  };
}

/** The step id that, once done, marks the incident mitigated (the shipped runbooks use it). */
export const MITIGATE_STEP = 'mitigate';

/**
 * When the run's `mitigate` step (also inside a called runbook: `call/mitigate`) succeeded, unless
 * a person marked that manual step skipped.
 */
export function mitigatedAt(events: readonly RunEvent[]): string | undefined {
  for (const event of events) {
    if (event.type !== 'step.succeeded') continue;
    if (event.step !== MITIGATE_STEP && !event.step.endsWith(`/${MITIGATE_STEP}`)) continue;
    if (event.outputs.decision === 'skip') continue;
    return event.ts;
  }
  return undefined;
}

/**
 * Whether the runbook's own expressions read `incident.*` (vars, inputs, conditions, messages):
 * such a runbook runs inside an incident. Called runbooks are not followed.
 */
export function readsIncident(graph: StepGraph): boolean {
  const { runbook } = graph;
  const text = JSON.stringify({ vars: runbook.vars, steps: runbook.steps, finally: runbook.finally }, (_key, value: unknown) =>
    typeof value === 'bigint' ? value.toString() : value instanceof Map ? Object.fromEntries(value) : value,
  );
  // The root `incident` (not `steps.incident…` or `params.incident_id`) inside a `${{ }}`.
  return /\$\{\{(?:(?!\}\}).)*(?<![.\w$])incident\s*[.[]/.test(text);
}

/** What a dry run outside an incident shows for `incident.*` (`opsctl plan incident-p1`). */
export function placeholderIncident(user: string): Readonly<Record<string, unknown>> {
  return { id: '<incident id>', title: '<incident title>', severity: '<severity>', status: 'open', commander: user, started_at: '<incident start>' };
}
