import type { EventSink, RunEvent } from '../../engine/events';
import { attachRun, markMitigated } from '../../incident/actions';
import { headerLine } from '../../incident/format';
import { incidentExprContext, mitigatedAt } from '../../incident/run-link';
import { incidentStatus } from '../../incident/status';
import type { Incident } from '../../state/store';
import type { StateHookOptions } from '../../state/session-hooks';
import type { RunHooks } from '../run-hooks';
import type { RunRequest } from '../run-session';
import { ExitCode } from '../exit-codes';
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
  return runOnIncident(session, incident, {
    target,
    ...(flags.param && { params: flags.param }),
    ...(flags.env && { env: flags.env }),
    ...(flags.yes && { yes: true }),
    ...(flags.approve && { approve: flags.approve }),
    ...(flags.dryRun && { dryRun: true }),
    output: session.format,
  });
}

/**
 * Runs `request` on the incident (see `runIncidentRunbook`). `opsctl resume` of a run that
 * belongs to an incident comes here too, with the resume's hook options, so the resumed run gets
 * `incident.*` back and lands on the same timeline.
 */
export async function runOnIncident(session: IncidentSession, incident: Incident, request: RunRequest, hookOptions: StateHookOptions = {}): Promise<number> {
  const { runSession } = await import('../run-session');
  const { createRunHooks } = await import('../run-hooks');
  const { canPrompt, currentTerminal } = await import('../../ui/choose');
  const base = await createRunHooks(request.dryRun ? hookOptions : { ...hookOptions, incidentId: incident.id });
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
      if (!request.dryRun && event.type === 'step.succeeded' && !current.mitigatedAt && mitigatedAt([event])) {
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

  const code = await runSession({ ...request, incident: incidentExprContext(incident) }, hooks);
  if (!request.dryRun && (code === ExitCode.NotConfirmed || code === ExitCode.Interrupted || code === ExitCode.StepFailed) && current.runIds.length > incident.runIds.length && session.format !== 'json') {
    const runId = current.runIds[current.runIds.length - 1];
    process.stderr.write(`continue this incident's runbook where it stopped with: opsctl incident resume --id ${incident.id}   (or: opsctl resume ${runId})\n`);
  }
  return code;
}

/** The back-reference from the run to its incident; the run record exists once the journal made it. */
async function tagRun(session: IncidentSession, runId: string, incidentId: string): Promise<void> {
  if (await session.store.getRun(runId)) await session.store.updateRun(runId, { incidentId });
}
