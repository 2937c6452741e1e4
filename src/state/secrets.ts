import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import type { ParamSpec, SecretSpec } from '../runbook/model';
import type { Prompter } from '../ui/prompter';
import { ExitCode } from '../cli/exit-codes';
import { OpsctlError, errorMessage } from '../util/errors';
import { REDACTED } from './redactor';

/** The part of the redactor secrets need. */
export interface SecretSink {
  add(secret: string): void;
}

interface RedactsValues {
  redactValue(value: unknown): unknown;
}

export interface SecretSources {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly prompter: Prompter;
  /** Folder that relative `path:` values are read from (the runbook's folder). */
  readonly baseDir: string;
  readonly readFile?: (path: string) => Promise<string>;
}

/** Why a declared secret could not be read: one line a person can act on. */
export type SecretProblem = { readonly name: string; readonly message: string };

/**
 * Reads every declared secret and registers it with the redactor before anything prints.
 * All problems are reported at once (exit 2), so a person fixes them in one go.
 * Values are returned by name; they reach shell steps only as environment variables.
 */
export async function resolveSecrets(
  specs: readonly SecretSpec[],
  sources: SecretSources,
  redactor: SecretSink,
): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  const problems: SecretProblem[] = [];
  for (const spec of specs) {
    const result = await readSecret(spec, sources);
    if (typeof result === 'string') {
      redactor.add(result);
      values[spec.name] = result;
    } else {
      problems.push(result);
    }
  }
  if (problems.length > 0) {
    const where = specs[0]?.range.file;
    const lines = problems.map((p) => `  - \`${p.name}\`: ${p.message}`).join('\n');
    throw new OpsctlError(
      `${problems.length === 1 ? 'a secret' : `${problems.length} secrets`} could not be read${where ? ` (declared in ${where})` : ''}:\n${lines}`,
      ExitCode.Usage,
      'Set the environment variables or create the files named above, then run again.',
    );
  }
  return values;
}

async function readSecret(spec: SecretSpec, sources: SecretSources): Promise<string | SecretProblem> {
  switch (spec.from) {
    case 'env': {
      const value = sources.env[spec.env];
      if (value === undefined || value === '') {
        return { name: spec.name, message: `environment variable \`${spec.env}\` is not set` };
      }
      return value;
    }
    case 'file': {
      const path = expandPath(spec.path, sources.baseDir);
      try {
        const text = await (sources.readFile ?? ((p: string) => readFile(p, 'utf8')))(path);
        // A file written by `echo` ends with a newline that is not part of the secret.
        const value = text.replace(/\r?\n$/, '');
        if (value === '') return { name: spec.name, message: `file \`${path}\` is empty` };
        return value;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'is not readable' : `cannot be read (${errorMessage(error)})`;
        return { name: spec.name, message: `file \`${path}\` ${why}` };
      }
    }
    case 'prompt': {
      const answer = await sources.prompter.input(spec.message ?? `Value of secret \`${spec.name}\``, { secret: true });
      switch (answer.type) {
        case 'answered':
          return answer.value === '' ? { name: spec.name, message: 'an empty value was entered' } : answer.value;
        case 'no-terminal':
          return { name: spec.name, message: 'it is read from a prompt, and there is no terminal to ask (CI or no TTY)' };
        case 'cancelled':
          throw new OpsctlError(`cancelled while entering secret \`${spec.name}\``, ExitCode.NotConfirmed);
      }
    }
  }
}

function expandPath(path: string, baseDir: string): string {
  if (path === '~' || path.startsWith('~/')) return resolve(homedir(), path.slice(2));
  return isAbsolute(path) ? path : resolve(baseDir, path);
}

/** Registers the values of `secret: true` params; call before the first event is emitted. */
export function registerSecretParams(specs: readonly ParamSpec[], values: Readonly<Record<string, unknown>>, redactor: SecretSink): void {
  for (const spec of specs) {
    const value = values[spec.name];
    if (spec.secret && value !== undefined && value !== null) redactor.add(String(value));
  }
}

/**
 * Params as a run record keeps them: secret params replaced whole, the rest redacted. A secret
 * param left at its default is left out: `***` then always means "a value was given", which
 * `resume` and `rollback --run` must ask for again (it was never journaled).
 */
export function redactParams(
  specs: readonly ParamSpec[],
  values: Readonly<Record<string, unknown>>,
  redactor: RedactsValues,
): Record<string, unknown> {
  const secret = new Map(specs.filter((s) => s.secret).map((s) => [s.name, s]));
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    const spec = secret.get(name);
    if (!spec) out[name] = redactor.redactValue(value);
    else if (!(spec.default !== undefined && value === spec.default)) out[name] = REDACTED;
  }
  return out;
}

/** The secret params a run was given (journaled as `***`): a resume or rollback needs them again. */
export function givenSecretParams(params: Readonly<Record<string, unknown>>): string[] {
  return Object.entries(params)
    .filter(([, value]) => value === REDACTED)
    .map(([name]) => name);
}
