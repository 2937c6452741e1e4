import pc from 'picocolors';
import { loadConfig } from '../../config/load';
import type { Config } from '../../config/model';
import type { IncidentDeps } from '../../incident/actions';
import { recordEscalations } from '../../incident/actions';
import { headerLine, statusLines } from '../../incident/format';
import { selectIncident } from '../../incident/select';
import { incidentStatus, type IncidentStatus } from '../../incident/status';
import { openStore } from '../../state/open-store';
import { currentUser } from '../../state/run-record';
import type { Incident, StateStore } from '../../state/store';
import { clockFromEnv } from '../../util/clock';
import { usageError } from '../../util/errors';

/** What every `opsctl incident …` command works with: config, store, clock, the acting user. */
export interface IncidentSession extends IncidentDeps {
  readonly config: Config;
  readonly format: OutputFormat;
}

export type OutputFormat = 'pretty' | 'plain' | 'json';

export function outputFormat(value: string | undefined): OutputFormat {
  if (value === undefined) return process.stdout.isTTY && !process.env.CI ? 'pretty' : 'plain';
  if (value === 'pretty' || value === 'plain' || value === 'json') return value;
  throw usageError(`unknown output format \`${value}\``, 'use `--output pretty`, `plain` or `json`');
}

/** Opens config and store, runs `fn`, and always closes the store. */
export async function withIncidentSession<T>(output: string | undefined, fn: (session: IncidentSession) => Promise<T>): Promise<T> {
  const format = outputFormat(output);
  const config = await loadConfig();
  const store: StateStore = await openStore(config);
  try {
    return await fn({ config, store, clock: clockFromEnv(), policy: config.incidents, user: currentUser(), format });
  } finally {
    await store.close();
  }
}

/**
 * The incident a command acts on (`--id` or the one open), with any escalation it reached
 * since someone last looked put on its timeline first.
 */
export async function targetIncident(session: IncidentSession, id: string | undefined): Promise<Incident> {
  const incident = await selectIncident(session.store, id);
  const reached = await recordEscalations(session, incident);
  if (reached.length > 0 && session.format !== 'json') {
    process.stderr.write(`escalation: ${incident.id} has reached ${reached.join(', then ')}; bring them in (see \`opsctl incident status\`)\n`);
  }
  return incident;
}

export function statusOf(session: IncidentSession, incident: Incident): IncidentStatus {
  return incidentStatus(incident, session.policy, session.clock.now());
}

/** One JSON object per line on stdout: `--output json` is for machines. */
export function printJson(value: Readonly<Record<string, unknown>>): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

export function printLines(lines: readonly string[]): void {
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** The status block (human formats) or an `incident.status` object (json). */
export function printStatus(session: IncidentSession, incident: Incident): void {
  const status = statusOf(session, incident);
  if (session.format === 'json') printJson({ type: 'incident.status', ...status });
  else printLines(session.format === 'pretty' ? paintStatus(statusLines(status)) : statusLines(status));
}

/** Pretty output: the headline bold, breaches red, the next action in view. Honours NO_COLOR. */
function paintStatus(lines: readonly string[]): string[] {
  const c = pc.createColors(Boolean(process.stdout.isTTY) && !process.env.NO_COLOR);
  return lines.map((line, index) => {
    if (index === 0) return c.bold(line);
    if (line.startsWith('BREACH')) return c.red(c.bold(line));
    if (line.startsWith('next:')) return c.cyan(line);
    return line;
  });
}

/** Guided mode's one-line header (stderr, so stdout stays the run's own output). */
export function printHeader(session: IncidentSession, incident: Incident): void {
  if (session.format === 'json') return;
  process.stderr.write(`${headerLine(statusOf(session, incident))}\n`);
}
