import type { AdapterRegistry } from '../adapters/types';
import { literal, s, type ObjectNode, type SchemaNode } from './schema-dsl';

/**
 * The runbook format of DESIGN.md §2 in the schema language. Action keys come from the
 * adapter registry, so a new adapter extends validation and `opsctl schema` at once.
 *
 * Fields the loader reads itself are `literal` (a `${{ }}` there is an error, never dropped);
 * the run evaluates only action inputs, `when`, a `confirm` gate, `env`, `cwd`, `vars` and `lock`.
 */
export const API_VERSION = 'opsctl/v1';

export const PARAM_TYPES = ['string', 'integer', 'number', 'boolean', 'enum'] as const;

const scalar = s.oneOf([s.string(), s.number(), s.boolean()]);

export const paramSchema = literal(
  s.object({
    type: s.enumOf(PARAM_TYPES, 'value type (default string)'),
    required: s.boolean('the run refuses to start without it'),
    default: scalar,
    pattern: s.string({ description: 'regular expression a string value must match' }),
    values: s.array(s.string(), { minItems: 1, description: 'allowed values of an enum' }),
    min: s.number(),
    max: s.number(),
    secret: s.boolean('redacted everywhere it would be shown'),
    description: s.string(),
  }),
);

export const secretSchema = literal(
  s.object(
    {
      from: s.enumOf(['env', 'file', 'prompt'], 'where the value comes from'),
      name: s.string({ description: '`from: env`: the environment variable' }),
      path: s.string({ description: '`from: file`: the file holding the value' }),
      message: s.string({ description: '`from: prompt`: the question' }),
    },
    { required: ['from'] },
  ),
);

export const retrySchema = literal(
  s.object(
    {
      attempts: s.integer({ min: 1, description: 'total attempts; 1 = no retry' }),
      delay: s.duration('wait before the second attempt'),
      backoff: s.number({ min: 1, description: 'each delay is the previous one times this' }),
      max_delay: s.duration('upper bound of a delay'),
      jitter: s.number({ min: 0, max: 1, description: 'random spread of each delay, 0..1' }),
      on: s.array(s.oneOf([s.integer(), s.string()]), { description: 'what is retried: exit codes, `timeout`, error kinds, `any` (default: any failure)' }),
    },
    { shortForm: 'attempts' },
  ),
);

export const ON_FAILURE_STEP = ['abort', 'continue'] as const;
export const ON_FAILURE_RUNBOOK = ['abort', 'rollback'] as const;

const envMap = s.map(scalar, { keyPattern: '^[A-Za-z_][A-Za-z0-9_]*$', description: 'environment variables' });

/** Fields every step may have besides its one action. */
export function commonStepFields(confirm: SchemaNode): Record<string, SchemaNode> {
  return {
    id: literal(s.string({ format: 'id', description: 'unique id; expressions read `steps.<id>`' })),
    title: literal(s.string()),
    needs: literal(s.array(s.string(), { description: 'steps that must succeed first (default: the step above; `[]`: none)' })),
    when: s.oneOf([s.string({ format: 'expression' }), s.boolean()], 'condition; false skips the step'),
    confirm,
    timeout: literal(s.duration()),
    retry: retrySchema,
    on_failure: literal(s.enumOf(ON_FAILURE_STEP, 'abort the run (default) or continue')),
    idempotent: literal(s.boolean('safe to run again after an interruption')),
    readonly: literal(s.boolean('changes nothing; runs during --dry-run')),
    outputs: literal(s.map(s.string(), { keyPattern: '^[A-Za-z_][A-Za-z0-9_]*$', description: 'name → selector: stdout, json:$.path, regex:…, or an adapter output' })),
    env: envMap,
    cwd: s.string(),
  };
}

export interface RunbookFormat {
  readonly root: ObjectNode;
  readonly step: ObjectNode;
  readonly undo: ObjectNode;
  /** Registry key → that action's input schema (shared by steps and `undo`). */
  readonly actions: Readonly<Record<string, SchemaNode>>;
}

const cache = new WeakMap<AdapterRegistry, RunbookFormat>();

export function runbookFormat(registry: AdapterRegistry): RunbookFormat {
  const hit = cache.get(registry);
  if (hit) return hit;
  const actions: Record<string, SchemaNode> = {};
  for (const key of registry.keys()) {
    const definition = registry.get(key);
    if (definition) actions[key] = { ...definition.schema, description: definition.summary };
  }
  const undo = s.object(actions, { description: 'one action' });
  const common = commonStepFields(actions.confirm ?? s.string());
  const step = s.object({ ...common, undo: s.oneOf([literal(s.enumOf(['auto'])), undo], 'an action that reverses the step, or `auto`'), ...actions }, { required: ['id'] });
  const root = s.object(
    {
      apiVersion: literal(s.enumOf([API_VERSION])),
      kind: literal(s.enumOf(['Runbook'])),
      name: literal(s.string({ format: 'name', description: 'kebab-case, unique in the search path' })),
      title: literal(s.string()),
      description: literal(s.string()),
      params: s.map(paramSchema, { keyPattern: '^[A-Za-z_][A-Za-z0-9_]*$' }),
      secrets: s.map(secretSchema, { keyPattern: '^[A-Za-z_][A-Za-z0-9_]*$' }),
      vars: s.map(s.any(), { keyPattern: '^[A-Za-z_][A-Za-z0-9_]*$' }),
      requires: literal(s.object({ tools: s.array(s.string()), env: s.array(s.string()) })),
      lock: s.oneOf([s.string(), s.boolean()], 'lock key; false for none (default `<name>@<environment>` when a step writes)'),
      concurrency: literal(s.integer({ min: 1, description: 'steps running at once' })),
      defaults: s.object({ timeout: literal(s.duration()), retry: retrySchema, on_failure: literal(s.enumOf(ON_FAILURE_STEP)), env: envMap, cwd: s.string() }),
      on_failure: literal(s.enumOf(ON_FAILURE_RUNBOOK, 'abort (default) or rollback: undo succeeded steps in reverse order')),
      steps: s.array(step, { minItems: 1 }),
      finally: s.array(step, { description: 'steps run after the main steps, whatever happened' }),
    },
    { required: ['apiVersion', 'kind', 'name', 'steps'] },
  );
  const format = { root, step, undo, actions };
  cache.set(registry, format);
  return format;
}

/** Action keys present in a step mapping's keys: `confirm` is a gate when another action is there. */
export function actionKeys(keys: readonly string[], registry: AdapterRegistry): { actions: string[]; confirmIsGate: boolean } {
  const present = keys.filter((key) => registry.get(key) !== undefined);
  const others = present.filter((key) => key !== 'confirm');
  if (others.length > 0) return { actions: others, confirmIsGate: present.includes('confirm') };
  return { actions: present, confirmIsGate: false };
}
