import { unknownEnvironment } from '../config/environment';
import type { Config, EnvironmentConfig } from '../config/model';
import { runGraph, type RunResult } from '../engine/engine';
import { teeSink } from '../engine/emitter';
import type { EventSink } from '../engine/events';
import type { StepGraph } from '../runbook/model';
import { redactActive } from '../state/redactor';
import { installInterruptHandlers } from '../state/signals';
import type { Approval } from '../state/store';
import { chooseOutput, choosePrompter, currentTerminal, type OutputMode, type Terminal } from '../ui/choose';
import { clockFromEnv, type Clock } from '../util/clock';
import { parseDuration } from '../util/duration';
import { OpsctlError, ShownError, usageError } from '../util/errors';
import { unreachable } from '../util/unreachable';
import { ExitCode } from './exit-codes';
import { passProtectedEnvironment } from './protected-environment';
import { createRunHooks, type RunHooks, type SessionInfo } from './run-hooks';
import { settleParams, type GivenAgain } from './session-params';

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
  /** `resume`, `rollback --run`: secret params the original run was given, to be given again (never defaulted). */
  readonly givenAgain?: GivenAgain;
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
  const seen = { started: false };
  try {
    return await session(request, hooks, sessionEnv, seen);
  } catch (error) {
    // `--output json` promises a JSON line on stdout: a run refused before it started (an invalid
    // runbook, a bad param or flag) says so as one `error` event instead of printing nothing there.
    if (request.output === 'json' && !seen.started) writeJsonError(sessionEnv?.stdout ?? process.stdout, error);
    throw error;
  }
}

/** `{"type":"error","exitCode":2,"message":…,"hint"?,"diagnostics"?}`: see docs/events.md. */
function writeJsonError(out: NodeJS.WritableStream, error: unknown): void {
  if (!(error instanceof OpsctlError)) return;
  const diagnostics = (error as { diagnostics?: unknown }).diagnostics;
  const line = {
    type: 'error',
    exitCode: error.exitCode,
    message: error.message,
    ...(error.hint ? { hint: error.hint } : {}),
    ...(Array.isArray(diagnostics) && diagnostics.length > 0 ? { diagnostics } : {}),
  };
  out.write(`${redactActive(JSON.stringify(line))}\n`);
}

async function session(request: RunRequest, hooks: RunHooks | undefined, sessionEnv: Partial<SessionEnv> | undefined, seen: { started: boolean }): Promise<number> {
  const env: SessionEnv = {
    terminal: currentTerminal(),
    clock: clockFromEnv(),
    stdout: process.stdout,
    // Read when written to: a run that warns of nothing never makes process.stderr (std-streams.ts).
    get stderr(): NodeJS.WritableStream {
      return process.stderr;
    },
    cwd: process.cwd(),
    onSignals: (controller, write) => {
      const handlers = installInterruptHandlers({ controller, write });
      return () => handlers.dispose();
    },
    ...sessionEnv,
  };
  // Who runs it (git config user.email …), looked up while the config and runbook are read.
  const userLookup = import('../state/run-record').then((m) => m.currentUserAsync(env.terminal.env, env.cwd));
  const runHooks = hooks ?? (await createRunHooks(request.waitLock !== undefined ? { waitLockMs: parseWaitLock(request.waitLock) } : {}));
  const { loadConfig } = await import('../config/load');
  const config = await loadConfig(env.cwd);
  if (config.warnings?.length) {
    // A mistyped `runbooks:` folder would otherwise let `opsctl deploy` run the shipped deploy
    // instead of the team's without a word.
    const { formatDiagnostics } = await import('../runbook/print-diagnostics');
    env.stderr.write(`${formatDiagnostics(config.warnings, { color: env.terminal.stdoutIsTTY && !env.terminal.env.NO_COLOR })}\n`);
  }
  const { environment, explicit } = pickEnvironment(config, request.env, env.terminal.env);
  const { defaultRegistry: registry } = await import('../adapters/registry');
  const graph = request.graph ?? (await loadGraph(request.target, config, registry, env, environment?.name));
  const declared = Object.keys(config.environments);
  // Not for an incident (it must never be blocked), nor resume / rollback --run (they keep the run's own choice).
  if (!environment && declared.length > 0 && !request.incident && !request.graph && !runHooks.resume) {
    // Forgetting --env would silently aim `environment.*` at nothing (empty names, fallback clusters).
    const { runbookReads } = await import('../engine/static-reads');
    if (runbookReads(graph.runbook, 'environment')) {
      throw usageError(
        `runbook \`${graph.runbook.name}\` reads \`environment.*\` and opsctl.yaml declares environments (${declared.join(', ')}), but no environment was chosen`,
        `pass --env ${declared.length === 1 ? declared[0] : `${declared[0]}|${declared.slice(1).join('|')}`} (or set OPSCTL_ENV)`,
      );
    }
  }
  // F42: a runbook that reads `incident.*` runs inside an incident; said up front, not mid-run.
  let incident = request.incident;
  if (!incident && !request.graph) {
    const { readsIncident, placeholderIncident } = await import('../incident/run-link');
    if (readsIncident(graph)) {
      const name = graph.runbook.name;
      if (!request.dryRun) {
        throw usageError(
          `runbook \`${name}\` reads \`incident.*\`: it runs inside an incident`,
          `open one with \`opsctl incident start --severity P1..P4 --title TEXT\`, or run it on an open one with \`opsctl incident run ${name}\`; preview it with \`opsctl plan ${name}\``,
        );
      }
      incident = placeholderIncident('<commander>');
      env.stderr.write(`note: \`${name}\` runs inside an incident; this plan shows placeholders for \`incident.*\`\n`);
    }
  }
  const { unmetInCallTree } = await import('../runbook/requirements');
  const unmet = await unmetInCallTree(graph.runbook, env.terminal.env, async (name) => {
    const { loadRunbook } = await import('../runbook/load');
    const loaded = await loadRunbook(name, { registry, config, cwd: env.cwd });
    return loaded.ok ? loaded.graph.runbook : undefined;
  });
  if (unmet && !request.dryRun) throw usageError(unmet.message, unmet.hint);
  if (unmet) env.stderr.write(`warning: ${unmet.message} (a real run stops here)\n`);
  // Usage mistakes stop here, before a param is asked or a run record exists: a bad flag is not a
  // failed run in the history (F2), a selection that leaves out outputs a step reads (F20) and a
  // report path that cannot be written (F24) are not found after the changes were made.
  const concurrency = request.concurrency !== undefined ? parseConcurrency(request.concurrency) : undefined;
  const { selectionProblems } = await import('../engine/selection-reads');
  const problems = selectionProblems(graph, registry, {
    selection: { only: request.only ?? [], skip: request.skip ?? [], ...(request.from ? { from: request.from } : {}) },
    approve: request.approve ?? [],
    ...(runHooks.resume ? { completed: new Set(Object.keys(runHooks.resume.completed)), ...(runHooks.resume.interrupted ? { interrupted: runHooks.resume.interrupted } : {}) } : {}),
  });
  if (problems.length > 0) throw usageError(problems.join('\n'), 'see the step ids with `opsctl graph RUNBOOK`');
  if (request.report) {
    const { reportPathProblem } = await import('../ui/report');
    const problem = await reportPathProblem(request.report);
    if (problem) throw usageError(problem);
  }

  const output = chooseOutput(request.output, env.terminal);
  const renderer = await createRenderer(output, env);
  const prompter = choosePrompter(env.terminal, { before: () => renderer.pause?.(), after: () => renderer.resume?.() });
  const { Redactor } = await import('../state/redactor');
  const redactor = new Redactor();
  const params = await settleParams(graph, request.params ?? [], prompter, request.givenAgain);
  for (const spec of graph.runbook.params) {
    const value = params[spec.name];
    // A secret param naming a database of opsctl.yaml (`-p database=main`) is no secret: the
    // password in that database's URL is (the engine registers it), not the word `main`.
    if (spec.secret && value !== undefined && !(typeof value === 'string' && Object.hasOwn(config.databases, value))) redactor.add(String(value));
    // A password inside a URL (`-p database=postgres://app:PW@db/app`) is a secret whatever the
    // param's declaration: registered before the header echoes the params or the journal keeps them.
    if (typeof value === 'string') redactor.addUrlPasswords(value);
  }

  const { newRunId } = await import('../state/run-id');
  const startedAt = env.clock.now();
  const user = await userLookup;
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
  // Whether the renderer has printed the run's closing line (which names its error).
  let closed = false;
  const closing: EventSink = {
    emit: (event) => {
      if (event.type === 'run.started') seen.started = true;
      if (event.type === 'run.finished') closed = true;
    },
  };
  try {
    const extra = (await runHooks.sinks?.(info)) ?? [];
    const { loadRunbook } = await import('../runbook/load');
    result = await runGraph({
      graph,
      registry,
      prompter,
      sink: teeSink([renderer, closing, ...extra]),
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
      ...(concurrency !== undefined ? { concurrency } : {}),
      selection: { only: request.only ?? [], skip: request.skip ?? [], ...(request.from ? { from: request.from } : {}) },
      approvals: { yes: request.yes ?? false, approve: request.approve ?? [] },
      ...(runHooks.resume ? { resume: { ...runHooks.resume, ...(request.rerunInterrupted ? { rerunInterrupted: true } : {}) } } : {}),
      loadRunbook: async (name) => {
        const loaded = await loadRunbook(name, { registry, config });
        if (loaded.ok) return loaded.graph;
        throw new Error(loaded.diagnostics.map((d) => d.message).join('; '));
      },
      ...(runHooks.beforeFirstSideEffect ? { beforeFirstSideEffect: () => runHooks.beforeFirstSideEffect!({ ...info, signal: controller.signal }) } : {}),
      ...(runHooks.beforeStep ? { beforeStep: () => runHooks.beforeStep!(info) } : {}),
      cwd: env.cwd,
      env: env.terminal.env,
      ...(incident ? { incident } : {}),
    });
    result = { ...result, approvals: [...approvals, ...result.approvals] };
    if (request.report) {
      const { writeReport } = await import('../ui/report');
      // Checked up front; if it still fails (disk full, removed meanwhile) that is an I/O problem
      // to report, not a bug in opsctl, and the exit code stays the run's.
      await writeReport(request.report, result, { runbook: graph.runbook.name, title: graph.runbook.title, ...(environment ? { environment: environment.name } : {}), startedAt: new Date(startedAt).toISOString() }, (v) => redactor.redactValue(v)).catch((error: unknown) => {
        env.stderr.write(`error: could not write the report to ${request.report}: ${error instanceof Error ? error.message : String(error)}\n`);
      });
    }
  } catch (error) {
    failure = error;
  } finally {
    uninstall?.();
    await runHooks.onFinish?.(info, result, failure);
  }
  // Said once: in plain and pretty output the renderer's closing line names the error; in JSON
  // output stdout is for machines, so the person reads it on stderr.
  if (failure !== undefined) throw closed && output !== 'json' && failure instanceof OpsctlError ? new ShownError(failure) : failure;

  const code = exitCodeOf(result!);
  if (code !== ExitCode.Success && result!.error && output === 'json') env.stderr.write(`error: ${result!.error}\n`);
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
  if (!environment) throw unknownEnvironment(config, name);
  return { environment, explicit: requested !== undefined };
}

async function loadGraph(
  target: string,
  config: Config,
  registry: import('../adapters/types').AdapterRegistry,
  env: SessionEnv,
  environment: string | undefined,
): Promise<StepGraph> {
  const { loadRunbook } = await import('../runbook/load');
  // The environment turns on its own checks (a protected one wants a confirmation before changes).
  const loaded = await loadRunbook(target, { registry, config, ...(environment ? { environment } : {}) });
  if (!loaded.ok) {
    // handle-error prints the diagnostics of a DiagnosticsError: printing them here too said everything twice.
    const { DiagnosticsError } = await import('../util/errors');
    throw new DiagnosticsError(`runbook \`${target}\` is not valid`, loaded.diagnostics);
  }
  if (loaded.diagnostics.length > 0) {
    const { formatDiagnostics } = await import('../runbook/print-diagnostics');
    const color = env.terminal.stdoutIsTTY && !env.terminal.env.NO_COLOR;
    env.stderr.write(`${formatDiagnostics(loaded.diagnostics, { color })}\n`);
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

function parseConcurrency(value: string | number): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(n) || n < 1) throw usageError(`--concurrency ${value}: expected a whole number of 1 or more`);
  return n;
}

function parseWaitLock(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw usageError(`--wait-lock ${text}: expected a duration such as 30s, 5m or 1h`);
  return ms;
}
