import { s } from '../../runbook/schema-dsl';
import type { ActionDefinition } from '../types';

const envValue = s.oneOf([s.string(), s.number(), s.boolean()]);

export const shellDefinition: ActionDefinition = {
  key: 'shell',
  summary: 'Run a script with `bash -eo pipefail`, or a program with `argv:` and no shell',
  schema: s.object(
    {
      run: s.string({ description: 'Script run by `bash -eo pipefail -c`. Each `${{ }}` reaches it as an environment variable, never as code.' }),
      argv: s.array(s.string(), { minItems: 1, description: 'Program and arguments, run without a shell (instead of `run`).' }),
      cwd: s.string({ description: 'Working folder, relative to the step cwd.' }),
      env: s.map(envValue, { keyPattern: '^[A-Za-z_][A-Za-z0-9_]*$', description: 'Extra environment variables.' }),
      stdin: s.string({ description: 'Text written to the program\'s standard input.' }),
      shell: s.string({ description: 'Shell for `run` (default `bash`; `-o pipefail` is used when the shell supports it).' }),
    },
    { shortForm: 'run', description: 'A shell command. Exactly one of `run` and `argv`.' },
  ),
  check: (input) => {
    if (input.run !== undefined && input.argv !== undefined) return '`shell` takes either `run` (a script) or `argv` (a program and its arguments), not both';
    if (input.run === undefined && input.argv === undefined) return '`shell` needs `run` (a script) or `argv` (a program and its arguments)';
    return undefined;
  },
  effect: (_input, step) => (step.readonly ? 'read' : 'write'),
  scriptFields: ['run'],
  outputs: ['exit_code'],
  load: () => import('./run'),
};
