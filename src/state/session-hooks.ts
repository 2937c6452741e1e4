import { dirname } from 'node:path';
import type { RunHooks, SessionInfo } from '../cli/run-hooks';
import { ExitCode } from '../cli/exit-codes';
import type { EventSink } from '../engine/events';
import type { StepGraph } from '../runbook/model';
import { OpsctlError, errorMessage } from '../util/errors';
import { JournalSink } from './journal';
import { openStore, stateFallback } from './open-store';
import { acquireRunLock, defaultLockKey, type RunLock } from './run-lock';
import { buildRunRecord, currentTrigger } from './run-record';
import { MIN_SECRET_LENGTH, setActiveRedactor } from './redactor';
import { redactParams, resolveSecrets } from './secrets';
import type { StateStore } from './store';

export interface StateHookOptions {
  /** `--wait-lock`, in ms. */
  readonly waitLockMs?: number;
  /** `opsctl resume` / `rollback --run`: what already happened. */
  readonly resume?: RunHooks['resume'];
  /** The runbook hash the resumed run used; a different one refuses with exit 5 unless `force`. */
  readonly expectedHash?: string;
  readonly force?: boolean;
  readonly rollbackOf?: string;
  readonly incidentId?: string;
  /** Overrides the lock key (rollback --run takes the lock of the run it undoes). */
  readonly lockKey?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where notes go (took over a dead lock, waiting for a lock, journal trouble). */
  readonly notify?: (line: string) => void;
  /** Tests pass a store; otherwise the configured one is opened. */
  readonly store?: StateStore;
}

/**
 * The state side of a run: secrets resolved and registered, the run record and its journal,
 * the lock taken before the first side effect and renewed while the run goes on, and everything
 * closed at the end whatever happened.
 */
export function stateHooks(options: StateHookOptions = {}): RunHooks {
  const env = options.env ?? process.env;
  const notify = options.notify ?? ((line: string) => process.stderr.write(`${line}\n`));
  let store: StateStore | undefined;
  let journal: JournalSink | undefined;
  let lock: RunLock | undefined;

  return {
    ...(options.resume ? { resume: options.resume } : {}),

    async resolveSecrets(info) {
      setActiveRedactor(info.redactor);
      checkHash(info.graph, options);
      const runbook = info.graph.runbook;
      const baseDir = runbook.source.path.startsWith('<') ? process.cwd() : dirname(runbook.source.path);
      const values = await resolveSecrets(runbook.secrets, { env, prompter: info.prompter, baseDir }, info.redactor);
      const short = [
        ...Object.entries(values).filter(([, v]) => v.length < MIN_SECRET_LENGTH).map(([name]) => `secret \`${name}\``),
        // An empty value hides nothing, and a default is written in the runbook anyway.
        ...runbook.params
          .filter((p) => p.secret && info.params[p.name] !== undefined && info.params[p.name] !== p.default && String(info.params[p.name]).length < MIN_SECRET_LENGTH)
          .filter((p) => String(info.params[p.name]) !== '')
          .map((p) => `param \`${p.name}\``),
      ];
      if (short.length > 0) notify(`warning: ${short.join(', ')} ${short.length === 1 ? 'is' : 'are'} shorter than ${MIN_SECRET_LENGTH} characters: too short to hide in output without hiding ordinary text`);
      return values;
    },

    async sinks(info) {
      store = options.store ?? (await openStore(info.config, env, notify));
      const runbook = info.graph.runbook;
      const record = buildRunRecord({
        id: info.runId,
        runbook,
        params: redactParams(runbook.params, info.params, info.redactor),
        ...(info.environment ? { environment: info.environment.name } : {}),
        dryRun: info.dryRun,
        startedAt: info.startedAt,
        user: info.user,
        trigger: currentTrigger(env),
        // A rollback restores the undone run's steps through `resume`, but it resumes nothing.
        ...(info.resumedFrom && !options.rollbackOf ? { resumedFrom: info.resumedFrom } : {}),
        ...(options.rollbackOf ? { rollbackOf: options.rollbackOf } : {}),
        ...(options.incidentId ? { incidentId: options.incidentId } : {}),
      });
      const fallback = options.store ? undefined : stateFallback(info.config, env);
      await store.createRun({ ...record, approvals: info.approvals, ...(fallback ? { stateFallback: fallback } : {}) });
      journal = new JournalSink({
        store,
        runId: info.runId,
        redactor: info.redactor,
        updateRecord: true,
        finalizeOnExit: true,
        onError: (error) => notify(`warning: the journal of run ${info.runId} could not be written: ${errorMessage(error)}`),
      });
      // Approvals given before the engine (the protected environment's typed name) are kept by the record.
      const sinks: EventSink[] = [withApprovals(journal, info.approvals)];
      return sinks;
    },

    async beforeFirstSideEffect(info) {
      if (!store) return;
      const key = options.lockKey ?? (await lockKeyOf(info));
      if (!key) return;
      lock = await acquireRunLock({
        store,
        key,
        runId: info.runId,
        user: info.user,
        clock: info.clock,
        waitMs: options.waitLockMs ?? 0,
        notify,
        ...(info.signal ? { signal: info.signal } : {}),
      });
      await store.updateRun(info.runId, { lockKey: key });
    },

    async beforeStep() {
      await lock?.check();
    },

    async onFinish(info, result) {
      try {
        await journal?.close();
        if (store && journal && journal.finishedStatus === undefined) {
          // The run stopped before the engine could finish it (a usage error, a held lock).
          await store.updateRun(info.runId, { status: result?.status ?? 'failed', endedAt: new Date(info.clock.now()).toISOString() }).catch(() => undefined);
        }
      } finally {
        try {
          await lock?.release();
        } catch (releaseError) {
          notify(`warning: lock \`${lock?.key}\` could not be released: ${errorMessage(releaseError)}; release it with \`opsctl lock release ${lock?.key} --force\``);
        }
        if (!options.store) await store?.close();
      }
    },
  };
}

/** Records the approvals given before the engine started as if they were confirmations. */
function withApprovals(journal: JournalSink, approvals: SessionInfo['approvals']): EventSink {
  let started = false;
  return {
    emit(event) {
      journal.emit(event);
      if (!started && event.type === 'run.started') {
        started = true;
        for (const approval of approvals) {
          journal.emit({ type: 'step.confirmed', step: approval.step, by: approval.by, via: approval.via, runId: event.runId, seq: event.seq, ts: approval.at });
        }
      }
    },
    close: () => journal.close(),
  };
}

function checkHash(graph: StepGraph, options: StateHookOptions): void {
  const expected = options.expectedHash;
  const actual = graph.runbook.source.hash;
  if (!expected || expected === actual || options.force) return;
  throw new OpsctlError(
    `runbook \`${graph.runbook.name}\` changed since run ${options.resume?.fromRunId ?? options.rollbackOf ?? ''} (sha256 ${expected.slice(0, 12)} then, ${actual.slice(0, 12)} now): its steps may no longer mean what the journal says`,
    ExitCode.ResumeRefused,
    'check the change (e.g. `git diff`), then pass --force to go on with the runbook as it is now',
  );
}

/** The runbook's `lock:` evaluated, or `<name>@<environment>` when some step writes. */
async function lockKeyOf(info: SessionInfo): Promise<string | undefined> {
  const runbook = info.graph.runbook;
  const environment = info.environment ? { environment: info.environment.name } : {};
  if (runbook.lock === false) return undefined;
  if (typeof runbook.lock === 'string') {
    return defaultLockKey({ name: runbook.name, ...environment, lock: await evaluateLock(runbook.lock, info), writes: true });
  }
  return defaultLockKey({ name: runbook.name, ...environment, writes: runbook.lock === true || (await graphWrites(info.graph)) });
}

/**
 * Lock templates read params, the environment and the run (`deploy@${{ environment.name }}`).
 * A lock key is shown to everyone (`lock list`, the holder's refusal message, run records), so
 * a value that holds a secret (a secret param, a URL with a password) enters it as
 * `sha256:<12 hex>` of the value: the same secret gives the same key, and the key shown is the
 * one `opsctl lock release` takes.
 */
async function evaluateLock(template: string, info: SessionInfo): Promise<string> {
  const { interpolate, hasExpression, scanTemplate, stringify } = await import('../expr');
  if (!hasExpression(template)) return template;
  const scan = scanTemplate(template);
  if (!scan.ok) return String(interpolate(template, lockContext(info)));
  const { createHash } = await import('node:crypto');
  const ctx = lockContext(info);
  let key = '';
  for (const part of scan.parts) {
    if (part.kind === 'text') {
      key += part.text;
      continue;
    }
    const text = stringify(interpolate(`\${{ ${part.source} }}`, ctx));
    key += info.redactor.redact(text) === text ? text : `sha256:${createHash('sha256').update(text).digest('hex').slice(0, 12)}`;
  }
  return key;
}

function lockContext(info: SessionInfo): Parameters<typeof import('../expr').interpolate>[1] {
  const env = info.environment;
  return {
    params: info.params,
    vars: {},
    secrets: {},
    ...(env ? { environment: { name: env.name, protected: env.protected, vars: env.vars } } : {}),
    env: process.env,
    steps: {},
    run: { id: info.runId, user: info.user, dry_run: info.dryRun, status: 'running', started_at: new Date(info.startedAt).toISOString() },
  };
}

/** True when any step would change the world; actions the registry does not know count as writes. */
async function graphWrites(graph: StepGraph): Promise<boolean> {
  const { defaultRegistry } = await import('../adapters/registry');
  return [...graph.steps.values(), ...graph.finally].some((step) => {
    const definition = defaultRegistry.get(step.action.kind);
    if (!definition) return !step.readonly;
    try {
      return definition.effect(step.action.input, step) === 'write';
    } catch {
      return true;
    }
  });
}
