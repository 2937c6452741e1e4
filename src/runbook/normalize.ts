import type { AdapterRegistry } from '../adapters/types';
import { parseDuration } from '../util/duration';
import { actionKeys, type PARAM_TYPES } from './format';
import type { Locator, Path } from './locate';
import type { Action, ParamSpec, RetryPolicy, Runbook, RunbookSource, SecretSpec, Step } from './model';

/**
 * Turns the schema-checked document into the Runbook model: short forms expanded, `defaults:`
 * applied, durations in ms, implicit `needs` on the step above. Pure: no I/O.
 */
export interface Normalized {
  readonly runbook: Runbook;
  /** Where each step was written, for rules that point at its fields. */
  readonly stepPaths: ReadonlyMap<Step, Path>;
  /** Steps that wrote `needs:` themselves (the others got the implicit one). */
  readonly explicitNeeds: ReadonlySet<Step>;
}

type Raw = Record<string, unknown>;

export const DEFAULT_RETRY: RetryPolicy = { attempts: 1, delayMs: 0, backoff: 1, jitter: 0, on: { any: true, exitCodes: [], timeout: true, errorKinds: [] } };

export function normalize(doc: Raw, locator: Locator, registry: AdapterRegistry, source: RunbookSource): Normalized {
  const defaults = (obj(doc.defaults) ?? {}) as Raw;
  const stepPaths = new Map<Step, Path>();
  const explicitNeeds = new Set<Step>();

  const steps = (phase: 'main' | 'finally', list: unknown): Step[] => {
    const key = phase === 'main' ? 'steps' : 'finally';
    const out: Step[] = [];
    (Array.isArray(list) ? list : []).forEach((raw, index) => {
      const path = [key, index];
      const step = normalizeStep(obj(raw) ?? {}, path, phase, out.at(-1)?.id, defaults, locator, registry);
      if (!step) return;
      stepPaths.set(step, path);
      if (obj(raw)?.needs !== undefined) explicitNeeds.add(step);
      out.push(step);
    });
    return out;
  };

  const runbook: Runbook = {
    apiVersion: 'opsctl/v1',
    kind: 'Runbook',
    name: str(doc.name) ?? '',
    title: str(doc.title) ?? str(doc.name) ?? '',
    ...(str(doc.description) !== undefined ? { description: str(doc.description) } : {}),
    params: Object.entries(obj(doc.params) ?? {}).map(([name, raw]) => normalizeParam(name, obj(raw) ?? {}, locator)),
    secrets: Object.entries(obj(doc.secrets) ?? {}).map(([name, raw]) => normalizeSecret(name, obj(raw) ?? {}, locator)),
    vars: obj(doc.vars) ?? {},
    requires: { tools: strings(obj(doc.requires)?.tools), env: strings(obj(doc.requires)?.env) },
    ...(typeof doc.lock === 'boolean' || typeof doc.lock === 'string' ? { lock: doc.lock } : {}),
    concurrency: typeof doc.concurrency === 'number' ? doc.concurrency : 4,
    onFailure: doc.on_failure === 'rollback' ? 'rollback' : 'abort',
    steps: steps('main', doc.steps),
    finally: steps('finally', doc.finally),
    source,
  };
  return { runbook, stepPaths, explicitNeeds };
}

function normalizeStep(raw: Raw, path: Path, phase: 'main' | 'finally', previous: string | undefined, defaults: Raw, locator: Locator, registry: AdapterRegistry): Step | undefined {
  const id = str(raw.id);
  const { actions, confirmIsGate } = actionKeys(Object.keys(raw), registry);
  if (id === undefined) return undefined;
  // A step without its one action was already reported; it stays so that the rules about the
  // other steps (needs, expressions) do not report it as missing too. It never reaches a graph.
  const kind = actions[0] ?? '';
  const action = kind ? normalizeAction(kind, raw[kind], [...path, kind], locator, registry) : { kind, input: {}, range: locator.range(path) };
  const gate = confirmIsGate ? confirmMessage(raw.confirm) : undefined;
  const undo = raw.undo === 'auto' ? ('auto' as const) : obj(raw.undo) ? undoAction(obj(raw.undo) as Raw, [...path, 'undo'], locator, registry) : undefined;
  const timeout = str(raw.timeout) ?? str(defaults.timeout);
  const needs = Array.isArray(raw.needs) ? strings(raw.needs) : phase === 'main' && previous !== undefined ? [previous] : [];
  const when = typeof raw.when === 'boolean' ? String(raw.when) : str(raw.when);
  const cwd = str(raw.cwd) ?? str(defaults.cwd);
  return {
    id,
    ...(str(raw.title) !== undefined ? { title: str(raw.title) } : {}),
    phase,
    action,
    needs: phase === 'finally' ? [] : needs,
    ...(when !== undefined ? { when } : {}),
    ...(gate !== undefined ? { confirm: gate } : {}),
    ...(timeout !== undefined && parseDuration(timeout) !== undefined ? { timeoutMs: parseDuration(timeout) } : {}),
    retry: retryPolicy(defaults.retry, raw.retry),
    onFailure: (raw.on_failure ?? defaults.on_failure) === 'continue' ? 'continue' : 'abort',
    ...(undo !== undefined ? { undo } : {}),
    idempotent: raw.idempotent === true,
    readonly: raw.readonly === true,
    outputs: stringMap(raw.outputs),
    env: { ...stringMap(defaults.env), ...stringMap(raw.env) },
    ...(cwd !== undefined ? { cwd } : {}),
    range: locator.range(path),
  };
}

/** `shell: TEXT` → `{ run: TEXT }`: a scalar stands for the schema's short-form property. */
export function normalizeAction(kind: string, value: unknown, path: Path, locator: Locator, registry: AdapterRegistry): Action {
  const schema = registry.get(kind)?.schema;
  const input = obj(value) ?? (schema?.shortForm !== undefined && value !== null && value !== undefined ? { [schema.shortForm]: value } : {});
  return { kind, input, range: locator.pairRange(path) };
}

function undoAction(raw: Raw, path: Path, locator: Locator, registry: AdapterRegistry): Action | undefined {
  const kind = Object.keys(raw).find((key) => registry.get(key) !== undefined);
  return kind === undefined ? undefined : normalizeAction(kind, raw[kind], [...path, kind], locator, registry);
}

function confirmMessage(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  return str(obj(value)?.message);
}

export function retryPolicy(...layers: unknown[]): RetryPolicy {
  let policy: RetryPolicy = DEFAULT_RETRY;
  for (const layer of layers) {
    const raw = typeof layer === 'number' ? { attempts: layer } : obj(layer);
    if (!raw) continue;
    const delay = str(raw.delay) !== undefined ? parseDuration(str(raw.delay) as string) : undefined;
    const maxDelay = str(raw.max_delay) !== undefined ? parseDuration(str(raw.max_delay) as string) : undefined;
    policy = {
      attempts: typeof raw.attempts === 'number' ? raw.attempts : policy.attempts,
      delayMs: delay ?? policy.delayMs,
      backoff: typeof raw.backoff === 'number' ? raw.backoff : policy.backoff,
      ...(maxDelay !== undefined ? { maxDelayMs: maxDelay } : policy.maxDelayMs !== undefined ? { maxDelayMs: policy.maxDelayMs } : {}),
      jitter: typeof raw.jitter === 'number' ? raw.jitter : policy.jitter,
      on: Array.isArray(raw.on) ? retryOn(raw.on) : policy.on,
    };
  }
  return policy;
}

function retryOn(list: readonly unknown[]): RetryPolicy['on'] {
  const words = list.filter((x): x is string => typeof x === 'string');
  return {
    any: words.includes('any'),
    exitCodes: list.filter((x): x is number => typeof x === 'number'),
    timeout: words.includes('timeout'),
    errorKinds: words.filter((w) => w !== 'any' && w !== 'timeout'),
  };
}

function normalizeParam(name: string, raw: Raw, locator: Locator): ParamSpec {
  const type = (str(raw.type) ?? 'string') as (typeof PARAM_TYPES)[number];
  const value = raw.default;
  return {
    name,
    type,
    required: raw.required === true,
    ...(typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? { default: value } : {}),
    ...(str(raw.pattern) !== undefined ? { pattern: str(raw.pattern) } : {}),
    ...(Array.isArray(raw.values) ? { values: strings(raw.values) } : {}),
    ...(typeof raw.min === 'number' ? { min: raw.min } : {}),
    ...(typeof raw.max === 'number' ? { max: raw.max } : {}),
    secret: raw.secret === true,
    ...(str(raw.description) !== undefined ? { description: str(raw.description) } : {}),
    range: locator.range(['params', name], 'key'),
  };
}

function normalizeSecret(name: string, raw: Raw, locator: Locator): SecretSpec {
  const range = locator.range(['secrets', name], 'key');
  switch (raw.from) {
    case 'file':
      return { name, from: 'file', path: str(raw.path) ?? '', range };
    case 'prompt':
      return { name, from: 'prompt', ...(str(raw.message) !== undefined ? { message: str(raw.message) } : {}), range };
    default:
      return { name, from: 'env', env: str(raw.name) ?? name.toUpperCase(), range };
  }
}

function obj(value: unknown): Raw | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Raw) : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map((v) => String(v)) : [];
}

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(obj(value) ?? {})) if (v !== null && v !== undefined) out[key] = String(v);
  return out;
}
