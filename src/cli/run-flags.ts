import { Option, type Command } from 'commander';
import { lazy, type CommandEntry } from './program';
import type { RunRequest } from './run-session';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** The flags every run-like command takes (DESIGN.md §1). Cheap: no implementation imported. */
export function addRunFlags(command: Command, options: { readonly dryRunFlag?: boolean } = {}): Command {
  command
    .option('-p, --param <key=value>', 'a runbook param (repeatable)', collect, [])
    .option('--env <name>', 'environment from opsctl.yaml (`environment.*` in expressions)');
  if (options.dryRunFlag !== false) command.option('--dry-run', 'run the checks, print every change instead of making it');
  return command
    .option('-y, --yes', 'pass every confirmation (a protected environment in CI also needs --env)')
    .option('--approve <step>', 'pass the confirmation of this step, or mark this manual step done (repeatable; `call/inner` inside a called runbook)', collect, [])
    .option('--concurrency <n>', 'steps run at once (default: the runbook’s)')
    .addOption(new Option('-o, --output <format>', 'output format (default: pretty on a terminal, else plain)').choices(['pretty', 'plain', 'json']))
    .option('--only <step>', 'run only this step (repeatable)', collect, [])
    .option('--skip <step>', 'leave this step out (repeatable)', collect, [])
    .option('--from <step>', 'start at this step, leaving out the steps before it')
    .option('--no-checks', 'in a dry-run, do not run the read-only checks either')
    .option('--report <file>', 'write a JSON summary, or JUnit XML when FILE ends in .xml')
    .option('--wait-lock <duration>', 'if another run holds the lock, wait up to this long (e.g. 5m) instead of exiting 4');
}

export interface RunFlags {
  readonly param?: string[];
  readonly env?: string;
  readonly dryRun?: boolean;
  readonly yes?: boolean;
  readonly approve?: string[];
  readonly concurrency?: string;
  readonly output?: string;
  readonly only?: string[];
  readonly skip?: string[];
  readonly from?: string;
  /** commander's `--no-checks` sets `checks: false`. */
  readonly checks?: boolean;
  readonly report?: string;
  readonly waitLock?: string;
}

export function toRequest(target: string, flags: RunFlags, overrides: Partial<RunRequest> = {}): RunRequest {
  return {
    target,
    params: flags.param ?? [],
    ...(flags.env !== undefined ? { env: flags.env } : {}),
    dryRun: flags.dryRun ?? false,
    yes: flags.yes ?? false,
    approve: flags.approve ?? [],
    ...(flags.concurrency !== undefined ? { concurrency: flags.concurrency } : {}),
    ...(flags.output !== undefined ? { output: flags.output } : {}),
    only: flags.only ?? [],
    skip: flags.skip ?? [],
    ...(flags.from !== undefined ? { from: flags.from } : {}),
    noChecks: flags.checks === false,
    ...(flags.report !== undefined ? { report: flags.report } : {}),
    ...(flags.waitLock !== undefined ? { waitLock: flags.waitLock } : {}),
    ...overrides,
  };
}

/** `run`, `plan`, `deploy`, `rollback`, `backup`, `restore`: each imports its module only when it runs. */
export const RUN_COMMANDS: readonly CommandEntry[] = [
  ['run', (program) => addRunFlags(program.command('run <runbook>').description('run a runbook (a name from the search path, or a file)')).action(lazy(() => import('./commands/run')))],
  [
    'plan',
    (program) =>
      addRunFlags(program.command('plan <runbook>').description('= run --dry-run: run the checks, print every change, ask nothing'), { dryRunFlag: false }).action(
        lazy(() => import('./commands/plan')),
      ),
  ],
  ['deploy', (program) => addRunFlags(program.command('deploy').description('= run deploy')).action(lazy(() => import('./commands/deploy')))],
  [
    'rollback',
    (program) =>
      addRunFlags(program.command('rollback').description('= run rollback; with --run RUN_ID, undo what that run changed'))
        .option('--run <run-id>', 'undo the changes of this recorded run')
        .option('--force', 'with --run: undo although the runbook changed since that run')
        .action(lazy(() => import('./commands/rollback'))),
  ],
  ['backup', (program) => addRunFlags(program.command('backup').description('= run backup')).action(lazy(() => import('./commands/backup')))],
  [
    'restore',
    (program) =>
      addRunFlags(program.command('restore').description('= run restore'))
        .option('--backup <id>', 'the backup to restore (= -p backup=ID)')
        .action(lazy(() => import('./commands/restore'))),
  ],
];
