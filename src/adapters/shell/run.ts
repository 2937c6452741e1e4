import { statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { ActionContext, ActionImpl, ActionOutcome, PlanContext, PlanDescription } from '../types';
import { InputReader, type Parsed } from '../core/input';
import { abortedOutcome, failure, success } from '../core/outcome';
import { runProcess, type ProcessResult } from './process';
import { quoteArgv } from './quote';
import { unreachable } from '../../util/unreachable';

/** SIGTERM → SIGKILL grace; `OPSCTL_KILL_GRACE_MS` overrides it (tests, slow shutdowns). */
export const KILL_GRACE_MS = 5_000;
/** Bytes of stdout kept for `stdout` / `json:` / `regex:` output selectors. */
export const CAPTURE_BYTES = 1024 * 1024;
/** Bytes kept from the end of stdout and stderr, for failure messages. */
export const TAIL_BYTES = 64 * 1024;
/** Lines of stderr quoted in a failure message. */
const STDERR_LINES_IN_MESSAGE = 10;

type Command = { readonly type: 'script'; readonly script: string; readonly shell: string } | { readonly type: 'argv'; readonly argv: readonly string[] };

interface ShellInput {
  readonly command: Command;
  readonly cwd?: string;
  readonly env: Readonly<Record<string, string>>;
  readonly stdin?: string;
}

function parse(input: Readonly<Record<string, unknown>>): Parsed<ShellInput> {
  const r = new InputReader('shell', input);
  const script = r.string('run');
  const argv = r.stringList('argv');
  const shell = r.string('shell') ?? 'bash';
  const cwd = r.string('cwd');
  const env = r.stringMap('env') ?? {};
  const stdin = r.string('stdin');
  for (const name of Object.keys(env)) if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) r.fail(`\`shell.env\` key \`${name}\` is not a valid environment variable name`);
  if (script !== undefined && argv !== undefined) r.fail('`shell` takes either `run` (a script) or `argv` (a program and its arguments), not both');
  else if (script === undefined && argv === undefined && r.problems.length === 0) r.fail('`shell` needs `run` (a script) or `argv` (a program and its arguments)');
  if (argv !== undefined && argv.length === 0) r.fail('`shell.argv` needs at least the program');
  if (argv !== undefined && r.has('shell')) r.fail('`shell.shell` applies to `run` only; `argv` runs without a shell');
  const command: Command = argv !== undefined ? { type: 'argv', argv } : { type: 'script', script: script ?? '', shell };
  return r.done({ command, ...(cwd !== undefined ? { cwd } : {}), env, ...(stdin !== undefined ? { stdin } : {}) });
}

/** `bash -eo pipefail -c`; shells without `pipefail` (sh, dash) get `-e` only. */
export function shellArgs(shell: string, script: string): string[] {
  const name = basename(shell);
  return name === 'bash' || name === 'zsh' || name === 'ksh' ? ['-eo', 'pipefail', '-c', script] : ['-e', '-c', script];
}

function commandLine(command: Command): { file: string; args: string[] } {
  switch (command.type) {
    case 'script':
      return { file: command.shell, args: shellArgs(command.shell, command.script) };
    case 'argv': {
      const [file = '', ...args] = command.argv;
      return { file, args };
    }
    default:
      return unreachable(command);
  }
}

function describe(input: ShellInput, ctx: PlanContext): PlanDescription {
  const details: string[] = [];
  let summary: string;
  switch (input.command.type) {
    case 'script': {
      // The script as a person reads it: values filled in (and redacted) by the engine.
      const shown = ctx.scriptDisplay.run ?? input.command.script;
      const prefix = [input.command.shell, ...shellArgs(input.command.shell, '').slice(0, -1)].join(' ');
      const lines = shown.replace(/\n+$/, '').split('\n');
      if (lines.length === 1) summary = `${prefix} ${quoteArgv([shown])}`;
      else {
        summary = `${prefix} <script>`;
        details.push(...lines);
      }
      break;
    }
    case 'argv':
      summary = quoteArgv(input.command.argv);
      break;
    default:
      return unreachable(input.command);
  }
  if (input.cwd !== undefined) details.push(`cwd: ${input.cwd}`);
  for (const [name, value] of Object.entries(input.env)) details.push(`env: ${name}=${value}`);
  if (input.stdin !== undefined) details.push(`stdin: ${JSON.stringify(input.stdin)}`);
  return { summary: ctx.redact(summary), details: details.map(ctx.redact) };
}

function graceMs(): number {
  const fromEnv = Number(process.env.OPSCTL_KILL_GRACE_MS);
  return Number.isFinite(fromEnv) && fromEnv >= 0 && process.env.OPSCTL_KILL_GRACE_MS !== '' ? fromEnv : KILL_GRACE_MS;
}

/** What the step reports after the process ended; pure, so messages are tested without processes. */
export function outcomeOf(result: ProcessResult, what: string, ctx: Pick<ActionContext, 'signal' | 'timeoutMs' | 'redact'>): ActionOutcome {
  switch (result.type) {
    case 'aborted-before-start':
      return abortedOutcome(ctx.signal, what, ctx.timeoutMs);
    case 'spawn-error':
      // It never ran: no exit code, except a program not found, which a shell also reports as 127.
      return failure('exit-non-zero', result.message, { errorKind: result.code, ...(result.code === 'ENOENT' ? { exitCode: 127 } : {}) });
    case 'exited': {
      const outputs = { exit_code: result.exitCode, ...(result.stdoutTruncated ? { stdout_truncated: true } : {}) };
      if (result.aborted) return abortedOutcome(ctx.signal, what, ctx.timeoutMs, { exitCode: result.exitCode, outputs });
      if (result.exitCode === 0) return success(outputs, { text: result.stdout, exitCode: 0 });
      const how = result.signalName ? `was killed by ${result.signalName}` : `exited with code ${result.exitCode}`;
      return failure('exit-non-zero', ctx.redact(`${what} ${how}${stderrSummary(result.stderrTail)}`), {
        exitCode: result.exitCode,
        errorKind: `exit-${result.exitCode}`,
        outputs,
      });
    }
    default:
      return unreachable(result);
  }
}

function stderrSummary(tail: string): string {
  const lines = tail.replace(/\s+$/, '').split('\n').filter((line) => line.trim() !== '');
  if (lines.length === 0) return '';
  const last = lines.slice(-STDERR_LINES_IN_MESSAGE);
  return `; last lines of stderr:\n${last.map((line) => `  ${line}`).join('\n')}`;
}

const impl: ActionImpl = {
  async plan(input, ctx) {
    const parsed = parse(input);
    return parsed.ok ? describe(parsed.value, ctx) : { summary: `shell (invalid: ${parsed.message})` };
  },

  async run(input, ctx) {
    const parsed = parse(input);
    if (!parsed.ok) return failure('invalid-input', parsed.message);
    const { command, env, stdin } = parsed.value;
    const cwd = resolve(ctx.cwd, parsed.value.cwd ?? '.');
    if (!isDirectory(cwd)) return failure('invalid-input', `the working folder \`${cwd}\` of step \`${ctx.stepId}\` does not exist`);
    const { file, args } = commandLine(command);
    const what = command.type === 'script' ? 'the script' : `\`${basename(file)}\``;
    const result = await runProcess({
      file,
      args,
      cwd,
      // The engine's env is the whole environment (process env, step env, OPSCTL_V* values, secrets).
      env: { ...(ctx.env.PATH === undefined ? stringEnv(process.env) : {}), ...ctx.env, ...env },
      ...(stdin !== undefined ? { stdin } : {}),
      signal: ctx.signal,
      graceMs: graceMs(),
      onLine: (stream, line) => ctx.output(stream, line),
      ...(ctx.safeCut ? { safeCut: ctx.safeCut } : {}),
      captureBytes: CAPTURE_BYTES,
      tailBytes: TAIL_BYTES,
    });
    return outcomeOf(result, what, ctx);
  },
};

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function stringEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  return out;
}

export const { plan, run } = impl;
