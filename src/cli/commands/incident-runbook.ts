import type { EventSink, RunEvent } from '../../engine/events';
import { attachRun, markMitigated } from '../../incident/actions';
import { headerLine } from '../../incident/format';
import { incidentExprContext, mitigatedAt } from '../../incident/run-link';
import { incidentStatus } from '../../incident/status';
import type { Incident } from '../../state/store';
import type { RunHooks } from '../run-hooks';
import type { IncidentSession } from './incident-shared';

export interface IncidentRunFlags {
  readonly param?: readonly string[];
  readonly env?: string;
  readonly yes?: boolean;
  readonly approve?: readonly string[];
  readonly dryRun?: boolean;
}

/**
 * Runs a runbook inside the incident: `incident.*` is in its expressions, its run record carries
 * `incidentId`, the run is attached to the incident as it starts (so its events are on the
 * timeline even if the process dies), and its `mitigate` step stops the time-to-mitigate clock.
 * On a terminal the incident's clock and next action are printed around each step.
 * Returns the run's exit code (also set on process.exitCode).
 */
export async function runIncidentRunbook(session: IncidentSession, incident: Incident, target: string, flags: IncidentRunFlags): Promise<number> {
  const { runSession } = await import('../run-session');
  const { createRunHooks } = await import('../run-hooks');
  const { canPrompt, currentTerminal } = await import('../../ui/choose');
  const base = await createRunHooks();
  const guided = session.format !== 'json' && canPrompt(currentTerminal());
  let current = incident;
  let pending: Promise<unknown> = Promise.resolve();
  const later = (work: () => Promise<unknown>) => {
    pending = pending.then(work).catch((error: unknown) => process.stderr.write(`warning: could not update incident ${incident.id}: ${String(error)}\n`));
  };
  const header = () => {
    if (guided) process.stderr.write(`${headerLine(incidentStatus(current, session.policy, session.clock.now()))}\n`);
  };

  const incidentSink: EventSink = {
    emit(event: RunEvent) {
      if (event.type === 'step.succeeded' && !current.mitigatedAt && mitigatedAt([event])) {
        const before = current;
        current = { ...current, mitigatedAt: event.ts };
        later(() => markMitigated(session, before, event.ts, `mitigated: step \`${event.step}\` of run ${event.runId} done`));
      }
      if (event.type === 'step.succeeded' || event.type === 'step.failed' || event.type === 'step.skipped' || event.type === 'run.finished') header();
    },
    close: async () => {
      await pending;
    },
  };

  const hooks: RunHooks = {
    ...base,
    sinks: async (info) => {
      const theirs = (await base.sinks?.(info)) ?? [];
      if (!info.dryRun) {
        current = await attachRun(session, current, info.runId, info.graph.runbook.name);
        await tagRun(session, info.runId, incident.id);
      }
      header();
      return [...theirs, incidentSink];
    },
    onFinish: async (info, result, error) => {
      await base.onFinish?.(info, result, error);
      await pending;
      if (!info.dryRun) await tagRun(session, info.runId, incident.id);
    },
  };

  return runSession(
    {
      target,
      ...(flags.param && { params: flags.param }),
      ...(flags.env && { env: flags.env }),
      ...(flags.yes && { yes: true }),
      ...(flags.approve && { approve: flags.approve }),
      ...(flags.dryRun && { dryRun: true }),
      output: session.format,
      incident: incidentExprContext(incident),
    },
    hooks,
  );
}

/** The back-reference from the run to its incident; the run record exists once the journal made it. */
async function tagRun(session: IncidentSession, runId: string, incidentId: string): Promise<void> {
  if (await session.store.getRun(runId)) await session.store.updateRun(runId, { incidentId });
}
