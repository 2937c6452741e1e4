import { describe, expect, it } from 'vitest';
import { buildProgram, commandIn } from '../../../src/cli/program';

const names = (args?: string[]) => buildProgram(args).commands.map((c) => c.name());

describe('commandIn', () => {
  it('is the first word that is not an option or the folder of -C', () => {
    expect(commandIn(['validate', 'deploy.yaml'])).toBe('validate');
    expect(commandIn(['-C', 'ops', 'run', 'x'])).toBe('run');
    expect(commandIn(['--dir', 'validate', 'list'])).toBe('list');
    expect(commandIn(['--dir=ops', 'runs', 'show', 'last'])).toBe('runs');
  });

  it('is none for help, completion, `--` and a line without a command', () => {
    expect(commandIn(['help', 'validate'])).toBeUndefined();
    expect(commandIn(['completion', 'bash'])).toBeUndefined();
    expect(commandIn(['--', 'validate'])).toBeUndefined();
    expect(commandIn(['--help'])).toBeUndefined();
    expect(commandIn([])).toBeUndefined();
  });
});

describe('buildProgram', () => {
  it('declares only the command the line names', () => {
    expect(names(['validate', 'x.yaml'])).toEqual(['validate']);
    expect(names(['-C', '/tmp', 'deploy', '--env', 'production'])).toEqual(['deploy']);
    expect(buildProgram(['runs', 'show', 'last']).commands[0]!.commands.map((c) => c.name())).toEqual(['list', 'show', 'logs']);
  });

  it('declares every command, in help order, for help, a mistyped name, or no line', () => {
    const all = names();
    expect(all.slice(0, 7)).toEqual(['run', 'plan', 'deploy', 'rollback', 'backup', 'restore', 'validate']);
    expect(all).toContain('completion');
    expect(names(['--help'])).toEqual(all);
    expect(names(['valdate'])).toEqual(all);
    expect(names(['help', 'run'])).toEqual(all);
  });
});
