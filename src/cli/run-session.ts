import type { Config, EnvironmentConfig } from '../config/model';
import { runGraph, type RunResult } from '../engine/engine';
import { teeSink } from '../engine/emitter';
import type { EventSink } from '../engine/events';
import { applyParams, checkParam, paramFlag } from '../engine/params';
import { planRun } from '../engine/plan';
import type { ParamSpec, StepGraph } from '../runbook/model';
import { didYouMeanHint } from '../runbook/did-you-mean';
import { installInterruptHandlers } from '../state/signals';
import type { Approval } from '../state/store';
import { chooseOutput, choosePrompter, currentTerminal, type OutputMode, type Terminal } from '../ui/choose';
import type { Prompter } from '../ui/prompter';
import { clockFromEnv, type Clock } from '../util/clock';
import { parseDuration } from '../util/duration';
import { OpsctlError, usageError } from '../util/errors';
import { unreachable } from '../util/unreachable';
import { ExitCode } from './exit-codes';
import { createRunHooks, type RunHooks, type SessionInfo } from './run-hooks';

/** Everything `run`, `plan`, `deploy`, `rollback`, `backup`, `restore` take from the command line. */
export interface RunRequest {
  /** A runbook name from the search path, or a file path. */
  readonly target: string;
  readonly params?: readonly string[];
  readonly env?: string;
  readonly dryRun?: boolean;
  readonly yes?: boolean;
  readonly approve?: readonly string[];
  readonly concurrency?: string | number;
  readonly output?: string;
  readonly only?: readonly string[];
  readonly skip?: readonly string[];
  readonly from?: string;
  readonly noChecks?: boolean;
  readonly report?: string;
  readonly rerunInterrupted?: boolean;
  /** `--wait-lock DURATION`: wait this long for a lock another run holds instead of exiting 4. */
  readonly waitLock?: string;
  /** A graph built by the caller instead of loading `target` (`rollback --run` builds the undo graph). */
  readonly graph?: StepGraph;
  /** Inside an incident (`opsctl incident run|start`): what runbooks read as `incident.*`. */
  readonly incident?: Readonly<Record<string, unknown>>;
}

/** Effects of a session, injectable for tests. */
export interface SessionEnv {
  readonly terminal: Terminal;
  readonly clock: Clock;
  readonly stdout: NodeJS.WriteStream | NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly cwd: string;
  /** Installs SIGINT/SIGTERM handling (first aborts the controller, second exits 130); returns the uninstaller. */
  readonly onSignals?: (controller: AbortController, write: (line: string) => void) => () => void;
}

/**
 * The whole of a run: config → runbook → environment → params → secrets → renderer and
 * prompter → protected-environment check → engine → report → exit code (set on process.exitCode
 * and returned). Hooks (`run-hooks.ts`) add the journal, lock, run record and resume.
 */
export async function runSession(request: RunRequest, hooks?: RunHooks, sessionEnv?: Partial<SessionEnv>): Promise<number> {
  const env: SessionEnv = {
    terminal: currentTerminal(),
    clock: clockFromEnv(),
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
    onSignals: (controller, write) => {
      const handlers = installInterruptHandlers({ controller, write });
      return () => handlers.dispose();
    },
    ...sessionEnv,
  };
  const runHooks = hooks ?? (await createRunHooks(request.waitLock !== undefined ? { waitLockMs: parseWaitLock(request.waitLock) } : {}));
  const { loadConfig } = await import('../config/load');
  const config = await loadConfig(env.cwd);
  const { environment, explicit } = pickEnvironment(config, request.env, env.terminal.env);
  const { defaultRegistry: registry } = await import('../adapters/registry');
  const graph = request.graph ?? (await loadGraph(request.target, config, registry, env));

  const output = chooseOutput(request.output, env.terminal);
  const renderer = await createRenderer(output, env);
  const prompter = choosePrompter(env.terminal, { before: () => renderer.pause?.(), after: () => renderer.resume?.() });
  const { Redactor } = await import('../state/redactor');
  const redactor = new Redactor();
  const params = await settleParams(graph, request.params ?? [], prompter);
  for (const spec of graph.runbook.params) if (spec.secret && params[spec.name] !== undefined) redactor.add(String(params[spec.name]));

  const { currentUser } = await import('../state/run-record');
  const { newRunId } = await import('../state/run-id');
  const startedAt = env.clock.now();
  const user = currentUser(env.terminal.env, env.cwd);
  const dryRun = request.dryRun ?? false;
  const base = {
    runId: runHooks.runId?.(startedAt) ?? newRunId(startedAt),
    graph,
    config,
    ...(environment ? { environment } : {}),
    params,
    user,
    dryRun,
    prompter,
    redactor,
    clock: env.clock,
    startedAt,
    ...(runHooks.resume ? { resumedFrom: runHooks.resume.fromRunId } : {}),
  };
  const secrets = (await runHooks.resolveSecrets?.(base)) ?? {};

  const approvals: Approval[] = [];
  if (!dryRun && environment?.protected) {
    const approval = await passProtectedEnvironment(graph, registry, environment, explicit, request, prompter, user, env.clock);
    if (approval.type === 'refused') {
      env.stderr.write(`error: ${approval.message}\n`);
      process.exitCode = ExitCode.NotConfirmed;
      return ExitCode.NotConfirmed;
    }
    approvals.push(approval.approval);
  }
  const info: SessionInfo = { ...base, approvals };

  const controller = new AbortController();
  const uninstall = env.onSignals?.(controller, (line) => env.stderr.write(line));
  let result: RunResult | undefined;
  let failure: unknown;
  try {
    const extra = (await runHooks.sinks?.(info)) ?? [];
    const { loadRunbook } = await import('../runbook/load');
    result = await runGraph({
      graph,
      registry,
      prompter,
      sink: teeSink([renderer, ...extra]),
      clock: env.clock,
      redactor,
      expr: await import('../expr'),
      runId: info.runId,
      user,
      params,
      config,
      ...(environment ? { environment } : {}),
      secrets,
      signal: controller.signal,
      dryRun,
      noChecks: request.noChecks ?? false,
      ...(request.concurrency !== undefined ? { concurrency: parseConcurrency(request.concurrency) } : {}),
      selection: { only: request.only ?? [], skip: request.skip ?? [], ...(request.from ? { from: request.from } : {}) },
      approvals: { yes: request.yes ?? false, approve: request.approve ?? [] },
      ...(runHooks.resume ? { resume: { ...runHooks.resume, ...(request.rerunInterrupted ? { rerunInterrupted: true } : {}) } } : {}),
      loadRunbook: async (name) => {
        const loaded = await loadRunbook(name, { registry, config });
        if (loaded.ok) return loaded.graph;
        throw new Error(loaded.diagnostics.map((d) => d.message).join('; '));
      },
      ...(runHooks.beforeFirstSideEffect ? { beforeFirstSideEffect: () => runHooks.beforeFirstSideEffect!(info) } : {}),
      cwd: env.cwd,
      env: env.terminal.env,
      ...(request.incident ? { incident: request.incident } : {}),
    });
    result = { ...result, approvals: [...approvals, ...result.approvals] };
    if (request.report) {
      const { writeReport } = await import('../ui/report');
      await writeReport(request.report, result, { runbook: graph.runbook.name, title: graph.runbook.title, ...(environment ? { environment: environment.name } : {}), startedAt: new Date(startedAt).toISOString() }, (v) => redactor.redactValue(v));
    }
  } catch (error) {
    failure = error;
  } finally {
    uninstall?.();
    await runHooks.onFinish?.(info, result, failure);
  }
  if (failure !== undefined) throw failure;

  const code = exitCodeOf(result!);
  if (code !== ExitCode.Success && result!.error && output !== 'json') env.stderr.write(`error: ${result!.error}\n`);
  process.exitCode = code;
  return code;
}

export function exitCodeOf(result: RunResult): number {
  switch (result.status) {
    case 'succeeded':
    case 'planned':
      return ExitCode.Success;
    case 'failed':
    case 'running':
      return ExitCode.StepFailed;
    case 'not-confirmed':
      return ExitCode.NotConfirmed;
    case 'cancelled':
      return ExitCode.Interrupted;
    default:
      return unreachable(result.status);
  }
}

function pickEnvironment(config: Config, requested: string | undefined, terminalEnv: Readonly<Record<string, string | undefined>>): { environment?: EnvironmentConfig; explicit: boolean } {
  const name = requested ?? terminalEnv.OPSCTL_ENV;
  if (name === undefined || name === '') return { explicit: false };
  const environment = config.environments[name];
  if (!environment) {
    const known = Object.keys(config.environments);
    throw usageError(
      `--env ${name}: there is no environment \`${name}\` in ${config.path ?? 'opsctl.yaml (none found)'}`,
      didYouMeanHint(name, known) ?? (known.length ? `environments: ${known.join(', ')}` : 'declare it under `environments:` in opsctl.yaml'),
    );
  }
  return { environment, explicit: requested !== undefined };
}

async function loadGraph(target: string, config: Config, registry: import('../adapters/types').AdapterRegistry, env: SessionEnv): Promise<StepGraph> {
  const { loadRunbook } = await import('../runbook/load');
  const { formatDiagnostics } = await import('../runbook/print-diagnostics');
  const loaded = await loadRunbook(target, { registry, config });
  const color = env.terminal.stdoutIsTTY && !env.terminal.env.NO_COLOR;
  if (loaded.diagnostics.length > 0) env.stderr.write(`${formatDiagnostics(loaded.diagnostics, { color })}\n`);
  if (!loaded.ok) {
    const { DiagnosticsError } = await import('../util/errors');
    throw new DiagnosticsError(`runbook \`${target}\` is not valid`, loaded.diagnostics);
  }
  return loaded.graph;
}

interface Renderer extends EventSink {
  pause?(): void;
  resume?(): void;
}

async function createRenderer(mode: OutputMode, env: SessionEnv): Promise<Renderer> {
  switch (mode) {
    case 'json':
      return (await import('../ui/render-json')).jsonRenderer(env.stdout);
    case 'plain':
      return (await import('../ui/render-plain')).plainRenderer({ out: env.stdout, githubActions: env.terminal.env.GITHUB_ACTIONS === 'true' });
    case 'pretty': {
      const noColor = env.terminal.env.NO_COLOR !== undefined && env.terminal.env.NO_COLOR !== '';
      return (await import('../ui/render-pretty')).prettyRenderer({ out: env.stdout, color: !noColor });
    }
    default:
      return unreachable(mode);
  }
}

/** `-p key=value` flags → typed params; missing ones asked for on a terminal, else named in an exit-2 error. */
async function settleParams(graph: StepGraph, flags: readonly string[], prompter: Prompter): Promise<Record<string, unknown>> {
  const given: Record<string, string> = {};
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    if (eq <= 0) throw usageError(`-p ${flag}: expected key=value`, 'for example: -p version=1.2.3');
    given[flag.slice(0, eq)] = flag.slice(eq + 1);
  }
  const name = graph.runbook.name;
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

type ProtectedResult = { readonly type: 'passed'; readonly approval: Approval } | { readonly type: 'refused'; readonly message: string };

/**
 * A protected environment: on a terminal the person types its name; without one `--yes` passes it
 * only together with an explicit `--env NAME` (never through OPSCTL_ENV alone). Runs that change
 * nothing (every step a read) need neither.
 */
async function passProtectedEnvironment(
  graph: StepGraph,
  registry: import('../adapters/types').AdapterRegistry,
  environment: EnvironmentConfig,
  explicit: boolean,
  request: RunRequest,
  prompter: Prompter,
  user: string,
  clock: Clock,
): Promise<ProtectedResult> {
  const plan = planRun(graph, registry, { selection: { only: request.only ?? [], skip: request.skip ?? [], ...(request.from ? { from: request.from } : {}) } });
  const writes = plan.steps.some((step) => step.disposition.type === 'run' && step.effect === 'write');
  const step = `environment:${environment.name}`;
  const at = () => new Date(clock.now()).toISOString();
  if (!writes) return { type: 'passed', approval: { step, by: user, via: 'yes', at: at() } };
  if (prompter.interactive) {
    const answer = await prompter.input(`\`${environment.name}\` is a protected environment. Type its name to run \`${graph.runbook.name}\` against it:`, {
      validate: (value) => (value.trim() === environment.name ? true : `type \`${environment.name}\` exactly, or press Ctrl-C to stop`),
    });
    if (answer.type === 'answered' && answer.value.trim() === environment.name) return { type: 'passed', approval: { step, by: user, via: 'prompt', at: at() } };
    return { type: 'refused', message: `the protected environment \`${environment.name}\` was not confirmed; nothing was run` };
  }
  if (request.yes && explicit) return { type: 'passed', approval: { step, by: user, via: 'yes', at: at() } };
  return {
    type: 'refused',
    message: request.yes
      ? `\`${environment.name}\` is a protected environment: without a terminal, --yes passes it only together with an explicit --env ${environment.name}; nothing was run`
      : `\`${environment.name}\` is a protected environment and there is no terminal to confirm it; nothing was run. Pass --env ${environment.name} --yes to run it from CI`,
  };
}

function parseWaitLock(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw usageError(`--wait-lock ${text}: expected a duration such as 30s, 5m or 1h`);
  return ms;
}

function parseConcurrency(value: string | number): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(n) || n < 1) throw usageError(`--concurrency ${value}: expected a whole number of 1 or more`);
  return n;
}
