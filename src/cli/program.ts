import { Command, Option } from 'commander';
import { VERSION } from './version';
import { registerIncident } from './commands/incident';
import { RUN_COMMANDS } from './run-flags';
import { usageError } from '../util/errors';

/**
 * The commander program. Each command declares its flags here (cheap) and imports its
 * implementation only when it runs, so `opsctl --version` loads almost nothing.
 * A command is registered only when it works. Given the command line, only the command it names
 * is declared; all of them for help, completion, or a word that names none (so that commander
 * lists them or suggests one). Declaring all ~40 commands and their flags took ~1 ms a start-up.
 */
export function buildProgram(args?: readonly string[]): Command {
  const program = new Command('opsctl')
    .description('Run operations runbooks safely: plans, confirmations, dry-run, resume, rollback, locks and an audit journal.')
    .version(VERSION, '-V, --version')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text) });

  program.addOption(new Option('-C, --dir <path>', 'run as if started in this folder'));
  program.hook('preAction', () => {
    const dir = program.opts<{ dir?: string }>().dir;
    if (dir) changeDirectory(dir);
  });

  const all = commands();
  const named = args === undefined ? undefined : commandIn(args);
  const chosen = all.filter(([name]) => name === named);
  for (const [, register] of chosen.length > 0 ? chosen : all) register(program);
  return program;
}

/** A top-level command: its name, and what declares it (flags, subcommands, lazy action). */
export type CommandEntry = readonly [name: string, register: (program: Command) => void];

/** The top-level commands, in the order `opsctl --help` lists them. */
function commands(): readonly CommandEntry[] {
  return [
    ...RUN_COMMANDS,
    ['validate', registerValidate],
    ['list', registerList],
    ['graph', registerGraph],
    ['schema', registerSchema],
    ['incident', registerIncident],
    ['runs', registerRuns],
    ['resume', registerResume],
    ['lock', registerLock],
    ['checklist', registerChecklist],
    ['init', registerInit],
    ['completion', registerCompletion],
  ];
}

/**
 * The command a command line (without node and the script) names: its first word that is not an
 * option or the folder of `-C`. `help` and `completion` describe the whole program: none.
 */
export function commandIn(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '-C' || arg === '--dir') i++;
    else if (arg === '--') return undefined;
    else if (!arg.startsWith('-')) return arg === 'help' || arg === 'completion' ? undefined : arg;
  }
  return undefined;
}

function registerValidate(program: Command): void {
  program
    .command('validate [paths...]')
    .description('check runbooks (files, folders, or names; none: every runbook in the search path); exit 2 on any error')
    .option('--env <name>', 'also run the checks that depend on this environment (protected: confirmations)')
    .option('--output <format>', 'pretty | plain | json')
    .action(lazy(() => import('./commands/validate')));
}

function registerList(program: Command): void {
  program
    .command('list')
    .description('runbooks found in the search path, with their titles, params and where they come from')
    .option('--output <format>', 'pretty | plain | json')
    .action(lazy(() => import('./commands/list')));
}

function registerGraph(program: Command): void {
  program
    .command('graph <runbook>')
    .description('draw a runbook: needs edges, confirmation gates, conditions and finally steps')
    .addOption(new Option('--format <format>', 'picture format').choices(['ascii', 'mermaid', 'dot']).default('ascii'))
    .action(lazy(() => import('./commands/graph')));
}

function registerSchema(program: Command): void {
  program
    .command('schema')
    .description('print the JSON Schema of the runbook format (for editors), every action included')
    .action(lazy(() => import('./commands/schema')));
}

function registerRuns(program: Command): void {
  const runs = program.command('runs').description('history and audit of runs: who ran what, where, with which params and approvals');
  runs
    .command('list', { isDefault: true })
    .description('recorded runs, newest first')
    .option('--limit <n>', 'how many runs to show', '20')
    .option('--all', 'show every run')
    .option('--runbook <name>', 'only runs of this runbook')
    .option('--output <format>', 'pretty | plain | json')
    .action(lazy(() => import('./commands/runs').then((m) => ({ default: m.list }))));
  runs
    .command('show <run>')
    .description('the audit record of a run (id, unique prefix or `last`) and how each step ended')
    .option('--output <format>', 'pretty | plain | json')
    .action(lazy(() => import('./commands/runs').then((m) => ({ default: m.show }))));
  runs
    .command('logs <run>')
    .description("a run's journal: every event and the output kept of each step")
    .option('--step <id>', 'only this step (and the steps of a runbook it called)')
    .option('--output <format>', 'pretty | plain | json (the NDJSON events)')
    .action(lazy(() => import('./commands/runs').then((m) => ({ default: m.logs }))));
}

function registerResume(program: Command): void {
  program
    .command('resume <run>')
    .description('continue a run that failed, was cancelled or died: succeeded steps are skipped with their outputs restored')
    .option('-p, --param <key=value>', 'a param to give again (secret params are never journaled)', collect, [])
    .option('--rerun-interrupted', 'run again the steps that were running when the run stopped, even if not idempotent')
    .option('--force', 'resume even though the runbook changed since that run')
    .option('-y, --yes', 'pass every confirmation')
    .option('--approve <step>', 'pass the confirmation of this step (repeatable)', collect, [])
    .option('--concurrency <n>', 'steps run at once (default: the runbook’s)')
    .addOption(new Option('-o, --output <format>', 'output format (default: pretty on a terminal, else plain)').choices(['pretty', 'plain', 'json']))
    .option('--report <file>', 'write a JSON summary, or JUnit XML when FILE ends in .xml')
    .option('--wait-lock <duration>', 'if another run holds the lock, wait up to this long instead of exiting 4')
    .action(lazy(() => import('./commands/resume')));
}

function registerLock(program: Command): void {
  const lock = program.command('lock').description('locks that keep two runs from changing the same thing at once');
  lock
    .command('list', { isDefault: true })
    .description('held locks: key, run, user, host, since, and whether the holder looks dead')
    .option('--output <format>', 'pretty | plain | json')
    .action(lazy(() => import('./commands/lock').then((m) => ({ default: m.list }))));
  lock
    .command('release <key>')
    .description("free a lock another run holds (written into that run's journal with who did it)")
    .option('--force', 'required: confirms you know the holder is gone')
    .option('--output <format>', 'pretty | plain | json')
    .action(lazy(() => import('./commands/lock').then((m) => ({ default: m.release }))));
}

function registerChecklist(program: Command): void {
  program
    .command('checklist <name>')
    .description('run a checklist (daily, end-of-shift, weekly, monthly, quarterly, or a file): pass / warn / fail per item')
    .option('-p, --param <key=value>', 'a checklist param (repeatable)', collect, [])
    .option('--env <name>', 'environment from opsctl.yaml')
    .addOption(new Option('-o, --output <format>', 'output format (default: pretty on a terminal, else plain)').choices(['pretty', 'plain', 'json']))
    .option('--report <file>', 'write the markdown report (templates/checklist-report.md, or the checklist\'s vars.report_template)')
    .option('--force', 'replace the --report file if it exists')
    .option('-y, --yes', 'pass every confirmation')
    .option('--approve <step>', 'pass the confirmation of this step (repeatable)', collect, [])
    .option('--dry-run', 'run the checks (reads) only; print what the other steps would do')
    .addHelpText(
      'after',
      `
A checklist is a runbook in runbooks/checklists/. Each step is an item: it passes when the step
succeeds, fails when it fails (give it on_failure: continue so the others still run), and warns
when it succeeds with the output \`verdict: warn\`. The measured value and the expectation are the
step's \`value\` and \`expect\` outputs, or the lines \`value: ...\` and \`expect: ...\` a shell check
prints (HTTP and SQL steps report their status / value and their \`expect\` by themselves).`,
    )
    .action(lazy(() => import('./commands/checklist')));
}

function registerInit(program: Command): void {
  program
    .command('init')
    .description('write opsctl.yaml (staging + protected production) and starter runbooks here; never overwrites')
    .option('--output <format>', 'pretty | plain | json')
    .action(lazy(() => import('./commands/init')));
}

function registerCompletion(program: Command): void {
  program
    .command('completion <shell>')
    .description('print a shell completion script: bash or zsh (source <(opsctl completion bash))')
    .action(lazy(() => import('./commands/completion')));
}

/**
 * Wraps a lazily imported command implementation as a commander action. The module's default
 * export receives commander's arguments; it may set `process.exitCode` or throw an OpsctlError.
 */
export function lazy<A extends unknown[]>(load: () => Promise<{ default: (...args: A) => Promise<void> | void }>) {
  return async (...args: A): Promise<void> => {
    const command = await load();
    await command.default(...args);
  };
}

/** Collects a repeatable flag (`-p a=1 -p b=2`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `-C DIR`: a folder that is not there is a usage error (exit 2), not an internal one. */
function changeDirectory(dir: string): void {
  try {
    process.chdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such folder' : code === 'ENOTDIR' ? 'not a folder' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw usageError(`-C ${dir}: ${why}`, 'give a folder that exists (opsctl runs as if started there)');
  }
}
