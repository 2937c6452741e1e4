import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from '../config/model';
import { usageError } from '../util/errors';

/**
 * `opsctl checklist NAME`: `checklists/NAME.yaml` (or .yml) in the first runbook folder of the
 * search path that has it (project folders first, the shipped ones last); a path is a file.
 */
export function locateChecklist(nameOrPath: string, config: Config, cwd: string): string {
  if (/[\\/]/.test(nameOrPath) || /\.ya?ml$/.test(nameOrPath)) {
    const path = resolve(cwd, nameOrPath);
    if (existsSync(path) && statSync(path).isFile()) return path;
    throw usageError(`checklist file \`${nameOrPath}\` not found`, `looked for ${path}`);
  }
  for (const root of config.runbookPaths) {
    for (const ext of ['.yaml', '.yml']) {
      const path = join(root, 'checklists', `${nameOrPath}${ext}`);
      if (existsSync(path)) return path;
    }
  }
  const known = availableChecklists(config);
  throw usageError(
    `no checklist named \`${nameOrPath}\``,
    known.length ? `the checklists are: ${known.join(', ')}` : 'put checklist runbooks in runbooks/checklists/',
  );
}

/** Checklist names of every search-path folder, sorted, without duplicates. */
export function availableChecklists(config: Config): string[] {
  const names = new Set<string>();
  for (const root of config.runbookPaths) {
    let entries: string[];
    try {
      entries = readdirSync(join(root, 'checklists'));
    } catch {
      continue; // a folder without checklists
    }
    for (const entry of entries) {
      const match = /^(.*)\.ya?ml$/.exec(entry);
      if (match?.[1]) names.add(match[1]);
    }
  }
  return [...names].sort();
}
