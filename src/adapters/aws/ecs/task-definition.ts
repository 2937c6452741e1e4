import type { ContainerDefinition, RegisterTaskDefinitionCommandInput, Tag, TaskDefinition } from '@aws-sdk/client-ecs';
import { InputError } from '../input';

/** Fields of a described task definition that RegisterTaskDefinition accepts back. */
const REGISTERABLE = [
  'family',
  'taskRoleArn',
  'executionRoleArn',
  'networkMode',
  'containerDefinitions',
  'volumes',
  'placementConstraints',
  'requiresCompatibilities',
  'cpu',
  'memory',
  'pidMode',
  'ipcMode',
  'proxyConfiguration',
  'inferenceAccelerators',
  'ephemeralStorage',
  'runtimePlatform',
  'enableFaultInjection',
] as const satisfies readonly (keyof RegisterTaskDefinitionCommandInput & keyof TaskDefinition)[];

/** Pure: the next revision of `current` with `container`'s image replaced. */
export function nextRevision(current: TaskDefinition, tags: readonly Tag[] | undefined, image: string, container?: string): RegisterTaskDefinitionCommandInput {
  const name = pickContainer(current, container);
  const input: Record<string, unknown> = {};
  for (const key of REGISTERABLE) if (current[key] !== undefined) input[key] = current[key];
  input.containerDefinitions = (current.containerDefinitions ?? []).map((c) => (c.name === name ? { ...c, image } : c));
  if (tags?.length) input.tags = [...tags];
  return input as unknown as RegisterTaskDefinitionCommandInput;
}

export function pickContainer(td: TaskDefinition, container?: string): string {
  const names = (td.containerDefinitions ?? []).map((c) => c.name ?? '');
  if (container) {
    if (!names.includes(container)) throw new InputError(`container \`${container}\` is not in task definition ${td.family}:${td.revision} (it has: ${names.join(', ') || 'none'})`);
    return container;
  }
  if (names.length === 1 && names[0]) return names[0];
  throw new InputError(`task definition ${td.family}:${td.revision} has ${names.length} containers (${names.join(', ')}); say which one with \`container\``);
}

type Comparable = Pick<TaskDefinition, 'cpu' | 'memory' | 'taskRoleArn' | 'executionRoleArn' | 'networkMode'> & { containerDefinitions?: ContainerDefinition[] };

const CONTAINER_FIELDS = ['image', 'cpu', 'memory', 'memoryReservation', 'command', 'entryPoint', 'essential', 'portMappings'] as const;
const TASK_FIELDS = ['cpu', 'memory', 'taskRoleArn', 'executionRoleArn', 'networkMode'] as const;

const show = (value: unknown) => (value === undefined ? '(none)' : JSON.stringify(value));

/** Pure: one line per difference between two task definitions, for the plan. */
export function diffTaskDefinitions(before: Comparable, after: Comparable): string[] {
  const lines: string[] = [];
  for (const key of TASK_FIELDS) {
    if (show(before[key]) !== show(after[key])) lines.push(`task ${key}: ${show(before[key])} → ${show(after[key])}`);
  }
  const old = new Map((before.containerDefinitions ?? []).map((c) => [c.name ?? '', c]));
  const next = new Map((after.containerDefinitions ?? []).map((c) => [c.name ?? '', c]));
  for (const [name, c] of next) {
    const was = old.get(name);
    if (!was) {
      lines.push(`container ${name}: added (image ${show(c.image)})`);
      continue;
    }
    for (const key of CONTAINER_FIELDS) {
      if (show(was[key]) !== show(c[key])) lines.push(`container ${name}: ${key} ${show(was[key])} → ${show(c[key])}`);
    }
    lines.push(...diffEnv(name, was, c));
  }
  for (const name of old.keys()) if (!next.has(name)) lines.push(`container ${name}: removed`);
  return lines;
}

function diffEnv(name: string, was: ContainerDefinition, now: ContainerDefinition): string[] {
  const a = new Map((was.environment ?? []).map((e) => [e.name ?? '', e.value]));
  const b = new Map((now.environment ?? []).map((e) => [e.name ?? '', e.value]));
  const lines: string[] = [];
  // Names only: task-definition environments often hold credentials, and plans are printed and journaled.
  for (const [k, v] of b) if (!a.has(k)) lines.push(`container ${name}: env ${k} added`);
  else if (a.get(k) !== v) lines.push(`container ${name}: env ${k} changed`);
  for (const k of a.keys()) if (!b.has(k)) lines.push(`container ${name}: env ${k} removed`);
  const secretsA = (was.secrets ?? []).map((s) => s.name).join(',');
  const secretsB = (now.secrets ?? []).map((s) => s.name).join(',');
  if (secretsA !== secretsB) lines.push(`container ${name}: secrets [${secretsA}] → [${secretsB}]`);
  return lines;
}
