import { applyParams, checkParam, paramFlag } from '../engine/params';
import type { ParamSpec, StepGraph } from '../runbook/model';
import type { Prompter } from '../ui/prompter';
import { OpsctlError, usageError } from '../util/errors';
import { unreachable } from '../util/unreachable';
import { ExitCode } from './exit-codes';

/** Secret params a resumed run (or `rollback --run`) needs again: the original run was given them, and they are never journaled. */
export interface GivenAgain {
  readonly fromRunId: string;
  readonly names: readonly string[];
}

/**
 * `-p key=value` flags → typed params; missing ones asked for on a terminal, else named in an
 * exit-2 error. `givenAgain` names secret params that must be given again although they may have a
 * default: never silently replaced by it.
 */
export async function settleParams(graph: StepGraph, flags: readonly string[], prompter: Prompter, givenAgain?: GivenAgain): Promise<Record<string, unknown>> {
  const given: Record<string, string> = {};
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    if (eq <= 0) throw usageError(`-p ${flag}: expected key=value`, 'for example: -p version=1.2.3');
    given[flag.slice(0, eq)] = flag.slice(eq + 1);
  }
  const name = graph.runbook.name;
  const needed = graph.runbook.params.filter((spec) => givenAgain?.names.includes(spec.name) && !Object.hasOwn(given, spec.name));
  if (needed.length > 0 && givenAgain) {
    if (!prompter.interactive) {
      const names = needed.map((s) => `\`${s.name}\``).join(', ');
      throw usageError(
        `secret ${needed.length === 1 ? 'param' : 'params'} ${names} ${needed.length === 1 ? 'was' : 'were'} given to run ${givenAgain.fromRunId} and ${needed.length === 1 ? 'is' : 'are'} never journaled: ${needed.length === 1 ? 'it is' : 'they are'} not replaced by ${needed.length === 1 ? 'its default' : 'their defaults'}`,
        `pass ${needed.map((s) => `-p ${s.name}=<${s.type}>`).join(' ')} again`,
      );
    }
    for (const spec of needed) given[spec.name] = await askParam(spec, prompter);
  }
  const applied = applyParams(graph.runbook.params, given, name);
  if (applied.ok) return applied.values;
  if (applied.invalid.length > 0) throw usageError(applied.invalid.join('\n'));
  if (!prompter.interactive) {
    throw usageError(
      `runbook \`${name}\` needs ${applied.missing.length === 1 ? 'a param' : `${applied.missing.length} params`} that ${applied.missing.length === 1 ? 'was' : 'were'} not given: ${applied.missing.map((s) => `\`${s.name}\``).join(', ')}`,
      `pass ${applied.missing.map(paramFlag).join(' ')}`,
    );
  }
  const asked: Record<string, string> = { ...given };
  for (const spec of applied.missing) asked[spec.name] = await askParam(spec, prompter);
  const again = applyParams(graph.runbook.params, asked, name);
  if (!again.ok) throw usageError([...again.invalid, ...again.missing.map((s) => `param \`${s.name}\` is required`)].join('\n'));
  return again.values;
}

async function askParam(spec: ParamSpec, prompter: Prompter): Promise<string> {
  const message = `${spec.name}${spec.description ? ` (${spec.description})` : ''}${spec.type === 'enum' && spec.values ? ` [${spec.values.join('|')}]` : ` <${spec.type}>`}`;
  const answer =
    spec.type === 'enum' && spec.values
      ? await prompter.select(message, spec.values.map((value) => ({ value, name: value })))
      : await prompter.input(message, {
          secret: spec.secret,
          validate: (value) => {
            const checked = checkParam(spec, value);
            return checked.ok ? true : checked.message;
          },
        });
  switch (answer.type) {
    case 'answered':
      return String(answer.value);
    case 'cancelled':
      throw new OpsctlError(`param \`${spec.name}\` was not given (the prompt was cancelled)`, ExitCode.NotConfirmed);
    case 'no-terminal':
      throw usageError(`param \`${spec.name}\` is required`, `pass ${paramFlag(spec)}`);
    default:
      return unreachable(answer);
  }
}
