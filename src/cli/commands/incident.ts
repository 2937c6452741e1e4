import { Option, type Command } from 'commander';
import { collect, lazy } from '../program';

const outputOption = () => new Option('--output <format>', 'pretty, plain or json (default: pretty on a terminal, else plain)');
const idOption = () => new Option('--id <id>', 'the incident to act on (default: the one open incident)');

/**
 * `opsctl incident …` (DESIGN.md §6). Flags are declared here, cheaply; each subcommand's
 * implementation is imported only when it runs.
 */
export function registerIncident(program: Command): void {
  const incident = program
    .command('incident')
    .description('Run an incident: severities P1–P4 with response targets, a timeline of everything done, escalation and a postmortem draft');

  const runFlags = (command: Command) =>
    command
      .option('-p, --param <key=value>', 'a runbook param (repeatable)', collect)
      .option('--env <name>', 'the environment from opsctl.yaml')
      .option('--yes', 'pass every confirmation gate (non-interactive)')
      .option('--approve <step>', 'pass this step’s gate, or mark this manual step done (repeatable)', collect)
      .option('--dry-run', 'show what the runbook would do; change nothing');

  runFlags(
    incident
      .command('start')
      .description('Open an incident, acknowledge it and run its severity’s runbook on the timeline')
      .option('--severity <P1..P4>', 'P1 outage/data loss · P2 major feature broken · P3 workaround exists · P4 cosmetic')
      .option('--title <text>', 'what is broken')
      .option('--no-runbook', 'open the incident without running the severity’s runbook')
      .option('--commander <name>', 'the incident commander (default: you)')
      .option('--detected-at <time>', 'when it was detected, if earlier: ISO time or how long ago (20m); targets count from there')
      .addOption(outputOption()),
  ).action(lazy(() => import('./incident-start')));

  runFlags(
    incident
      .command('severity')
      .description('Change the severity; raising it offers the higher severity’s runbook')
      .argument('<severity>', 'P1, P2, P3 or P4')
      .option('--run-runbook', 'when raised, run the new severity’s runbook without asking')
      .addOption(idOption())
      .addOption(outputOption()),
  ).action(lazy(() => import('./incident-severity')));

  runFlags(
    incident
      .command('run')
      .description('Run a runbook on the incident: its steps land on the timeline, `incident.*` is in its expressions')
      .argument('<runbook>', 'a runbook name from the search path, or a file')
      .addOption(idOption())
      .addOption(outputOption()),
  ).action(lazy(() => import('./incident-run')));

  incident
    .command('resume')
    .description('Continue the incident’s runbook where it stopped (a declined gate, Ctrl-C, a failed step); done steps are not run again')
    .argument('[run]', 'the run to resume (default: the incident’s most recent unfinished run)')
    .option('-p, --param <key=value>', 'a runbook param (repeatable; secret params must be given again)', collect)
    .option('--yes', 'pass every confirmation gate (non-interactive)')
    .option('--approve <step>', 'pass this step’s gate, or mark this manual step done (repeatable)', collect)
    .option('--rerun-interrupted', 'run again the steps that were running when it stopped')
    .option('--force', 'resume even though the runbook changed since')
    .addOption(idOption())
    .addOption(outputOption())
    .action(lazy(() => import('./incident-resume')));

  incident
    .command('status')
    .description('Elapsed time against the respond/resolve targets, breaches, escalation level and the next one due')
    .addOption(idOption())
    .addOption(outputOption())
    .action(lazy(() => import('./incident-status')));

  incident
    .command('note')
    .description('Put a note on the timeline (notes become the postmortem’s action items); also after the resolution')
    .argument('<text>', 'what happened, what was seen, what must be done later')
    .addOption(idOption())
    .addOption(outputOption())
    .action(lazy(() => import('./incident-note')));

  incident
    .command('mitigated')
    .description('Record that the impact has stopped (stops the time-to-mitigate clock)')
    .option('--note <text>', 'how it was mitigated')
    .addOption(idOption())
    .addOption(outputOption())
    .action(lazy(() => import('./incident-mitigated')));

  incident
    .command('resolve')
    .description('Resolve the incident with a summary (and root cause) for the postmortem')
    .option('--summary <text>', 'what fixed it (required)')
    .option('--root-cause <text>', 'why it happened')
    .addOption(idOption())
    .addOption(outputOption())
    .action(lazy(() => import('./incident-resolve')));

  incident
    .command('reopen')
    .description('The problem is back: open the resolved incident again, on the same timeline')
    .option('--reason <text>', 'what came back (required)')
    .option('--id <id>', 'the incident (default: the one resolved most recently)')
    .addOption(outputOption())
    .action(lazy(() => import('./incident-reopen')));

  incident
    .command('list')
    .description('Incidents, newest first')
    .option('--status <status>', 'open or resolved')
    .addOption(outputOption())
    .action(lazy(() => import('./incident-list')));

  incident
    .command('postmortem')
    .description('Render templates/postmortem.md from the incident’s timeline')
    .argument('[id]', 'the incident (default: the open one, else the most recent)')
    .addOption(idOption())
    .option('--output <file|json>', 'write the draft to FILE (default: stdout); `json` prints the data instead')
    .option('--force', 'replace FILE if it exists (it may hold the team’s edits)')
    .action(lazy(() => import('./incident-postmortem')));

}
