import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);

/**
 * A Node built-in module loaded when first used rather than when opsctl starts: `node:crypto`
 * alone costs a `validate` ~2 ms to load, for a hash only a run records.
 */
export function lazyBuiltin<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= load(name) as T);
}
