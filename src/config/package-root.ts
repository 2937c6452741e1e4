import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * The folder of the opsctl install (the one holding opsctl's package.json). Found by walking up
 * from this module, because it runs from `src/config/` under vitest and from `dist/chunks/`
 * once bundled.
 */
export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && isOpsctl(manifest)) return (cached = dir);
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the opsctl install folder (no package.json named "opsctl" above this module)');
    dir = parent;
  }
}

function isOpsctl(manifest: string): boolean {
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'opsctl';
  } catch {
    return false;
  }
}

/** The shipped `runbooks/` folder. */
export function shippedRunbooks(): string {
  return join(packageRoot(), 'runbooks');
}
