import { existsSync } from 'node:fs';
import { usageError } from './errors';

/**
 * A file opsctl writes on request (`--output FILE`, `--report FILE`) may be one a person has
 * since edited (a postmortem draft): an existing file is kept unless `--force` (exit 2 otherwise).
 * Call it before doing the work, so a refusal costs nothing.
 */
export function refuseOverwrite(file: string, force: boolean | undefined, what: string): void {
  if (force || !existsSync(file)) return;
  throw usageError(`${file} already exists; not overwriting it with the ${what}`, 'pass --force to replace it, or name another file');
}
