import { editDistance } from '../util/edit-distance';
import type { ActionDefinition, AdapterRegistry } from './types';
import { awsDefinitions } from './aws/definitions';
import { confirmDefinition } from './confirm/definition';
import { httpDefinition } from './http/definition';
import { logDefinition } from './log/definition';
import { manualDefinition } from './manual/definition';
import { notifyDefinition } from './notify/definition';
import { runbookDefinition } from './runbook/definition';
import { shellDefinition } from './shell/definition';
import { sqlDefinition } from './sql/definition';
import { waitDefinition } from './wait/definition';

/**
 * Every action a runbook can name. Definitions are light (a schema and a lazy `load()`); adding an
 * adapter is one import and one entry in this list.
 */
export const definitions: readonly ActionDefinition[] = [
  shellDefinition,
  httpDefinition,
  waitDefinition,
  logDefinition,
  confirmDefinition,
  manualDefinition,
  notifyDefinition,
  runbookDefinition,
  sqlDefinition,
  ...awsDefinitions,
];

export function createRegistry(extra: readonly ActionDefinition[] = []): AdapterRegistry {
  const byKey = new Map<string, ActionDefinition>();
  for (const definition of [...definitions, ...extra]) {
    if (byKey.has(definition.key)) throw new Error(`two adapters register \`${definition.key}\``);
    byKey.set(definition.key, definition);
  }
  const keys = [...byKey.keys()].sort();
  return {
    get: (key) => byKey.get(key),
    keys: () => keys,
  };
}

export const defaultRegistry: AdapterRegistry = createRegistry();

/** Closest registered keys to an unknown one, for "did you mean" (at most 3, best first). */
export function suggestKeys(registry: AdapterRegistry, key: string): string[] {
  const limit = Math.max(2, Math.floor(key.length / 3));
  return registry
    .keys()
    .map((candidate) => ({ candidate, distance: editDistance(key.toLowerCase(), candidate.toLowerCase()) }))
    .filter(({ distance, candidate }) => distance <= limit || candidate.startsWith(`${key}.`))
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
    .slice(0, 3)
    .map(({ candidate }) => candidate);
}
