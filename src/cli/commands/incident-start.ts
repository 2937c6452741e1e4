import type { SeverityName } from '../../config/model';
import { draftIncident, startIncident } from '../../incident/actions';
import { parseSeverity, runbookFor } from '../../incident/policy';
import { parseDuration } from '../../util/duration';
import { OpsctlError, usageError } from '../../util/errors';
import { unreachable } from '../../util/unreachable';
import type { Incident } from '../../state/store';
import type { Answer } from '../../ui/prompter';
import { ExitCode } from '../exit-codes';
import { printJson, printLines, printStatus, withIncidentSession, type IncidentSession } from './incident-shared';
import { runIncidentRunbook, type IncidentRunFlags } from './incident-runbook';

export interface StartFlags extends IncidentRunFlags {
  readonly severity?: string;
  readonly title?: string;
  /** commander's `--no-runbook` sets this to false. */
  readonly runbook?: boolean;
  readonly commander?: string;
  readonly detectedAt?: string;
  readonly output?: string;
}

/**
 * `opsctl incident start --severity P1..P4 --title TEXT`: creates and acknowledges the incident,
 * then runs the severity's runbook on its timeline (unless `--no-runbook`).
 */
export default async function start(flags: StartFlags): Promise<void> {
  const { severity, title } = await askMissing(flags);
  await withIncidentSession(flags.output, async (session) => {
    const detectedAt = flags.detectedAt === undefined ? undefined : parseDetectedAt(flags.detectedAt, session.clock.now());
    const options = {
      severity,
      title,
      ...(flags.commander?.trim() && { commander: flags.commander.trim() }),
      ...(detectedAt !== undefined && { detectedAt }),
    };
    if (flags.dryRun) {
      await dryRun(session, draftIncident(session, options), flags);
      return;
    }
    const incident = await startIncident(session, options);
    announce(session, incident.id, severity);
    if (session.format === 'json') printJson({ type: 'incident.started', incident });
    else printStatus(session, incident);
    if (flags.runbook === false) {
      if (session.format !== 'json') printLines([`no runbook started (--no-runbook); run one with: opsctl incident run ${runbookFor(session.policy, severity)}`]);
      return;
    }
    await runIncidentRunbook(session, incident, runbookFor(session.policy, severity), flags);
    if (session.format !== 'json') printStatus(session, (await session.store.getIncident(incident.id)) ?? incident);
  });
}

/**
 * `incident start --dry-run`: nothing is stored. Shows the incident that would be opened and the
 * plan of its severity's runbook (with the would-be incident in `incident.*`).
 */
async function dryRun(session: IncidentSession, incident: Incident, flags: StartFlags): Promise<void> {
  const runbook = runbookFor(session.policy, incident.severity);
  if (session.format === 'json') printJson({ type: 'incident.dry-run', incident, runbook: flags.runbook === false ? null : runbook });
  else {
    process.stderr.write(`dry run: would open incident ${incident.id} at ${incident.severity} (“${incident.title}”, commander ${incident.commander}); nothing is stored\n`);
  }
  if (flags.runbook === false) return;
  await runIncidentRunbook(session, incident, runbook, flags);
}

/** On a terminal, what the flags left out is asked for; elsewhere it is a usage error naming the flag. */
async function askMissing(flags: StartFlags): Promise<{ severity: SeverityName; title: string }> {
  const { choosePrompter, currentTerminal } = await import('../../ui/choose');
  const prompter = choosePrompter(currentTerminal());
  const interactive = prompter.interactive && flags.output !== 'json';
  let severity = flags.severity === undefined ? undefined : requireSeverity(flags.severity);
  if (!severity && interactive) {
    severity = answered(
      await prompter.select<SeverityName>('Severity?', [
        { value: 'P1', name: 'P1 critical', description: 'complete outage, data loss, security breach' },
        { value: 'P2', name: 'P2 high', description: 'major feature broken, significant user impact' },
        { value: 'P3', name: 'P3 medium', description: 'minor feature issue, workaround available' },
        { value: 'P4', name: 'P4 low', description: 'cosmetic, no user impact' },
      ]),
    );
  }
  let title = flags.title?.trim();
  if (!title && interactive) {
    title = answered(await prompter.input('What is broken? (title)', { validate: (v) => (v.trim() === '' ? 'a title is required' : true) })).trim();
  }
  if (!severity) throw missingSeverity();
  if (!title) throw usageError('`incident start` needs `--title TEXT`', 'say what is broken, e.g. `--title "API returns 500 for all users"`');
  return { severity, title };
}

function answered<T>(answer: Answer<T>): T {
  switch (answer.type) {
    case 'answered':
      return answer.value;
    case 'cancelled':
      throw new OpsctlError('cancelled at the prompt; no incident was opened', ExitCode.NotConfirmed);
    case 'no-terminal':
      throw usageError('`incident start` needs `--severity P1..P4` and `--title TEXT` when there is no terminal');
    default:
      return unreachable(answer);
  }
}

export function requireSeverity(value: string | undefined): SeverityName {
  if (value === undefined) throw missingSeverity();
  const severity = parseSeverity(value);
  if (!severity) throw usageError(`unknown severity \`${value}\``, 'use P1, P2, P3 or P4');
  return severity;
}

const missingSeverity = () =>
  usageError('`incident start` needs `--severity P1..P4`', 'P1 outage or data loss · P2 major feature broken · P3 minor, workaround exists · P4 cosmetic');

/** `--detected-at 2026-11-22T03:00:00Z`, or how long ago: `--detected-at 20m`. */
export function parseDetectedAt(value: string, nowMs: number): number {
  const ago = parseDuration(value);
  if (ago !== undefined) return nowMs - ago;
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw usageError(`\`--detected-at ${value}\` is neither a time nor a duration`, 'give an ISO time (2026-11-22T03:00:00Z) or how long ago (20m)');
  return at;
}

function announce(session: IncidentSession, id: string, severity: SeverityName): void {
  if (session.format !== 'json') process.stderr.write(`incident ${id} opened at ${severity}; everything done from here is on its timeline\n`);
}
