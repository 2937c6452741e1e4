/**
 * Small fakes for engine tests: a virtual clock, a registry of scriptable actions, a recording
 * sink and prompters. Expressions are the real src/expr.
 */
import type { ActionDefinition, ActionImpl, ActionOutcome, AdapterRegistry, UndoAction } from '../../../src/adapters/types';
import type { Config } from '../../../src/config/model';
import type { RedactorLike } from '../../../src/engine/emitter';
import type { EventSink, RunEvent } from '../../../src/engine/events';
import type { Action, Runbook, RetryPolicy, Step, StepGraph } from '../../../src/runbook/model';
import type { Clock } from '../../../src/util/clock';
import { s } from '../../../src/runbook/schema-dsl';

/** Virtual time: `sleep` waits until `run()` advances the clock past it. */
export class ManualClock implements Clock {
  time = Date.parse('2026-01-01T00:00:00Z');
  private timers: { at: number; resolve: () => void; id: number }[] = [];
  private nextId = 0;
  now = () => this.time;
  sleep = (ms: number, signal?: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const id = this.nextId++;
      const onAbort = () => {
        this.timers = this.timers.filter((t) => t.id !== id);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.timers.push({ at: this.time + ms, id, resolve: () => { signal?.removeEventListener('abort', onAbort); resolve(); } });
    });
  /** Runs `work` to completion, advancing virtual time whenever nothing else can happen. */
  async run<T>(work: Promise<T>): Promise<T> {
    let done = false;
    let value: T | undefined;
    let failure: unknown;
    let failed = false;
    work.then((v) => { done = true; value = v; }, (e: unknown) => { done = true; failed = true; failure = e; });
    for (let guard = 0; !done; guard++) {
      if (guard > 100_000) throw new Error('ManualClock: the work never finished');
      await new Promise((r) => setImmediate(r));
      if (done) break;
      this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.timers.shift();
      if (!next) continue;
      this.time = Math.max(this.time, next.at);
      next.resolve();
    }
    if (failed) throw failure;
    return value as T;
  }
}

export const noRetry: RetryPolicy = { attempts: 1, delayMs: 0, backoff: 1, jitter: 0, on: { any: false, exitCodes: [], timeout: false, errorKinds: [] } };
const range = { file: 'test.yaml', start: { line: 1, col: 1 }, end: { line: 1, col: 1 } } as unknown as Step['range'];

export function step(id: string, kind: string, input: Record<string, unknown>, extra: Partial<Step> = {}): Step {
  return {
    id,
    phase: 'main',
    action: { kind, input, range } as Action,
    needs: [],
    retry: noRetry,
    onFailure: 'abort',
    idempotent: false,
    readonly: false,
    outputs: {},
    env: {},
    range,
    ...extra,
  };
}

/** A graph from steps in list order; `needs` default to the previous step, as the loader does. */
export function graph(steps: Step[], options: Partial<Runbook> & { finally?: Step[] } = {}): StepGraph {
  const main = steps.map((st, i) => (st.needs.length === 0 && i > 0 && !(st as { explicitNeeds?: boolean }).explicitNeeds ? { ...st, needs: [steps[i - 1]!.id] } : st));
  const fin = (options.finally ?? []).map((st) => ({ ...st, phase: 'finally' as const }));
  const runbook: Runbook = {
    apiVersion: 'opsctl/v1',
    kind: 'Runbook',
    name: options.name ?? 'test',
    title: options.title ?? 'Test runbook',
    params: options.params ?? [],
    secrets: [],
    vars: options.vars ?? {},
    requires: { tools: [], env: [] },
    concurrency: options.concurrency ?? 1,
    onFailure: options.onFailure ?? 'abort',
    steps: main,
    finally: fin,
    source: { path: '/tmp/test.yaml', hash: 'x', text: '' },
  };
  const dependents = new Map<string, string[]>();
  for (const st of main) for (const need of st.needs) dependents.set(need, [...(dependents.get(need) ?? []), st.id]);
  return { runbook, order: main.map((st) => st.id), steps: new Map(main.map((st) => [st.id, st])), dependents, ancestors: new Map(), finally: fin };
}

/** Marks a step's `needs` as written by the author (so `[]` stays empty). */
export function needs(st: Step, ids: string[]): Step {
  return Object.assign({ ...st, needs: ids }, { explicitNeeds: true });
}

export interface Call {
  readonly step: string;
  readonly kind: string;
  readonly input: Record<string, unknown>;
  readonly attempt: number;
  readonly env: Readonly<Record<string, string>>;
}

/**
 * `fake` action: input { fail?: number (fail this many first attempts), exitCode?, sleep?: ms,
 * text?, outputs?, hang?: true (waits for its signal), write?: boolean }.
 */
export function fakeRegistry(calls: Call[], clock: Clock): AdapterRegistry {
  const attemptsByStep = new Map<string, number>();
  const impl: ActionImpl = {
    async plan(input, ctx) {
      return { summary: `fake ${JSON.stringify(input)}`, ...(Object.keys(ctx.scriptDisplay).length ? { details: Object.values(ctx.scriptDisplay) } : {}) };
    },
    async run(input, ctx): Promise<ActionOutcome> {
      calls.push({ step: ctx.stepId, kind: 'fake', input, attempt: ctx.attempt, env: ctx.env });
      const n = (attemptsByStep.get(ctx.stepId) ?? 0) + 1;
      attemptsByStep.set(ctx.stepId, n);
      if (typeof input.sleep === 'number') {
        try {
          await clock.sleep(input.sleep, ctx.signal);
        } catch {
          return { type: 'failure', reason: 'cancelled', message: 'aborted' };
        }
      }
      if (input.hang) {
        await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve, { once: true }));
        return { type: 'failure', reason: 'cancelled', message: typeof input.said === 'string' ? input.said : 'aborted' };
      }
      if (typeof input.say === 'string') ctx.output('stdout', input.say);
      if (typeof input.fail === 'number' && n <= input.fail) {
        return { type: 'failure', reason: 'exit-non-zero', exitCode: (input.exitCode as number) ?? 1, message: `attempt ${n} failed` };
      }
      if (input.failAfterChange) {
        return { type: 'failure', reason: 'timeout', message: 'the wait ran out; last state: IN_PROGRESS', outputs: { rev: 'r2' }, undoFacts: { ran: ctx.stepId } };
      }
      if (input.failWith === 'kind') return { type: 'failure', reason: 'http-error', errorKind: 'ECONNRESET', message: 'reset' };
      return {
        type: 'success',
        outputs: (input.outputs as Record<string, unknown>) ?? {},
        ...(typeof input.text === 'string' ? { text: input.text } : {}),
        exitCode: 0,
        undoFacts: { ran: ctx.stepId },
      };
    },
    undo(input, facts): UndoAction | undefined {
      return { kind: 'fake', input: { undoOf: facts.ran, ...(input.undoFails ? { fail: 99 } : {}) } };
    },
  };
  const definition: ActionDefinition = {
    key: 'fake',
    summary: 'test action',
    schema: s.object({}),
    effect: (input, st) => (st.readonly || input.write === false ? 'read' : 'write'),
    scriptFields: ['run'],
    autoUndo: true,
    load: async () => impl,
  };
  const manual: ActionDefinition = {
    key: 'manual',
    summary: 'test manual task',
    schema: s.object({}),
    effect: () => 'read',
    load: async () => ({
      plan: async () => ({ summary: 'manual task' }),
      run: async (_input, ctx) => {
        calls.push({ step: ctx.stepId, kind: 'manual', input: {}, attempt: ctx.attempt, env: {} });
        return ctx.approval ? { type: 'success', outputs: { decision: 'done', via: ctx.approval.via } } : { type: 'failure', reason: 'manual-failed', message: 'nobody did it' };
      },
    }),
  };
  return { get: (key) => (key === 'fake' ? definition : key === 'manual' ? manual : undefined), keys: () => ['fake', 'manual'] };
}

export class RecordingSink implements EventSink {
  readonly events: RunEvent[] = [];
  closed = false;
  emit(event: RunEvent) {
    this.events.push(event);
  }
  async close() {
    this.closed = true;
  }
  of<T extends RunEvent['type']>(type: T): Extract<RunEvent, { type: T }>[] {
    return this.events.filter((e): e is Extract<RunEvent, { type: T }> => e.type === type);
  }
}

export const identityRedactor: RedactorLike = { add: () => undefined, redact: (t) => t, redactValue: (v) => v };

export { nonInteractivePrompter as noTerminal } from '../../../src/ui/prompter-noninteractive';

export const config: Config = {
  root: '/tmp',
  runbookPaths: [],
  state: { backend: 'file' },
  environments: {},
  databases: {},
  incidents: { severities: {} as Config['incidents']['severities'], escalation: [] },
  notify: {},
};
