import { changeSeverity } from '../../incident/actions';
import { runbookFor } from '../../incident/policy';
import { printJson, printLines, printStatus, targetIncident, withIncidentSession, type IncidentSession } from './incident-shared';
import { requireSeverity } from './incident-start';
import { runIncidentRunbook, type IncidentRunFlags } from './incident-runbook';
import type { Incident } from '../../state/store';
import { ExitCode } from '../exit-codes';
import { OpsctlError } from '../../util/errors';
import { unreachable } from '../../util/unreachable';

export interface SeverityFlags extends IncidentRunFlags {
  readonly id?: string;
  readonly runRunbook?: boolean;
  readonly output?: string;
}

/**
 * `opsctl incident severity P1..P4`: records the change. Raising it offers the higher
 * severity's runbook: asked on a terminal; otherwise printed, or run with `--run-runbook`.
 */
export default async function severity(value: string, flags: SeverityFlags): Promise<void> {
  const to = requireSeverity(value);
  await withIncidentSession(flags.output, async (session) => {
    const incident = await targetIncident(session, flags.id);
    const change = await changeSeverity(session, incident, to);
    if (change.type === 'unchanged') {
      if (session.format === 'json') printJson({ type: 'incident.severity', incidentId: incident.id, from: to, to, changed: false });
      else printLines([`${incident.id} is already ${to}`]);
      return;
    }
    const runbook = runbookFor(session.policy, to);
    if (session.format === 'json') printJson({ type: 'incident.severity', incidentId: incident.id, from: change.from, to, changed: true, runbook: change.type === 'raised' ? runbook : null });
    else printStatus(session, change.incident);
    if (change.type !== 'raised') return;
    if (await shouldRun(session, change.incident, runbook, flags.runRunbook === true)) {
      await runIncidentRunbook(session, change.incident, runbook, flags);
    }
  });
}

async function shouldRun(session: IncidentSession, incident: Incident, runbook: string, flag: boolean): Promise<boolean> {
  if (flag) return true;
  const { choosePrompter, currentTerminal } = await import('../../ui/choose');
  const prompter = choosePrompter(currentTerminal());
  if (!prompter.interactive || session.format === 'json') {
    if (session.format !== 'json') printLines([`raised to ${incident.severity}: run its runbook with: opsctl incident run ${runbook} --id ${incident.id}  (or add --run-runbook)`]);
    return false;
  }
  const answer = await prompter.confirm(`Raised to ${incident.severity}. Run the ${incident.severity} runbook \`${runbook}\` now?`, { default: true });
  switch (answer.type) {
    case 'answered':
      if (!answer.value) printLines([`not run; later: opsctl incident run ${runbook}`]);
      return answer.value;
    case 'no-terminal':
      return false;
    case 'cancelled':
      throw new OpsctlError('cancelled at the prompt; the severity change is recorded, the runbook did not run', ExitCode.NotConfirmed);
    default:
      return unreachable(answer);
  }
}
