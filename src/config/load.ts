import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { defaultIncidentPolicy } from './defaults';
import type { Config } from './model';
import { shippedRunbooks } from './package-root';

export const CONFIG_FILES = ['opsctl.yaml', 'opsctl.yml'];

/** The nearest opsctl.yaml from `cwd` upward, or undefined. */
export function findConfigFile(cwd: string): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    for (const name of CONFIG_FILES) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The configuration in force: the nearest opsctl.yaml, else defaults. Throws DiagnosticsError on a bad file. */
export async function loadConfig(cwd: string = process.cwd(), env: NodeJS.ProcessEnv = process.env): Promise<Config> {
  const path = findConfigFile(cwd);
  if (!path) return defaultConfig(resolve(cwd));
  // Reading a file needs YAML, the schema walker and CEL: they are imported only when there is one.
  const { readConfigFile } = await import('./parse-config');
  return readConfigFile(path, cwd, env);
}

export function defaultConfig(root: string): Config {
  return {
    root,
    runbookPaths: [shippedRunbooks()],
    state: { backend: 'file' },
    environments: {},
    databases: {},
    incidents: defaultIncidentPolicy(),
    notify: {},
  };
}
