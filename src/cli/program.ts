import { Command, Option } from 'commander';
import { VERSION } from './version';
import { registerIncident } from './commands/incident';

/**
 * The commander program. Each command declares its flags here (cheap) and imports its
 * implementation only when it runs, so `opsctl --version` loads almost nothing.
 * A command is registered only when it works.
 */
export function buildProgram(): Command {
  const program = new Command('opsctl')
    .description('Run operations runbooks safely: plans, confirmations, dry-run, resume, rollback, locks and an audit journal.')
    .version(VERSION, '-V, --version')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text) });

  program.addOption(new Option('-C, --dir <path>', 'run as if started in this folder'));
  program.hook('preAction', () => {
    const dir = program.opts<{ dir?: string }>().dir;
    if (dir) process.chdir(dir);
  });

  registerIncident(program);

  program
    .command('init')
    .description('write opsctl.yaml (staging + protected production) and starter runbooks here; never overwrites')
    .option('--output <format>', 'pretty | plain | json')
    .action(lazy(() => import('./commands/init')));

  return program;
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
