import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { packageRoot } from '../../config/package-root';
import { usageError } from '../../util/errors';

/**
 * `opsctl init`: writes opsctl.yaml (staging + protected production) and starter runbooks from
 * the shipped `templates/init/` into the working folder. It never overwrites: when any target
 * exists it writes nothing and exits 2 naming each one.
 */
export default async function init(options: { output?: string }): Promise<void> {
  const source = join(packageRoot(), 'templates', 'init');
  const files = listFiles(source);
  const target = process.cwd();
  const existing = files.filter((file) => existsSync(join(target, file)));
  if (existing.length > 0) {
    throw usageError(
      `\`opsctl init\` would overwrite ${existing.length === 1 ? 'a file' : `${existing.length} files`} in ${target}: ${existing.map((f) => `\`${f}\``).join(', ')}`,
      'nothing was written; move those files away (or run `opsctl init` in an empty folder)',
    );
  }
  for (const file of files) {
    const to = join(target, file);
    mkdirSync(dirname(to), { recursive: true });
    // `wx`: fail rather than overwrite a file that appeared since the check.
    writeFileSync(to, readFileSync(join(source, file)), { flag: 'wx' });
  }
  if (options.output === 'json') {
    process.stdout.write(`${JSON.stringify({ type: 'init', dir: target, created: files })}\n`);
    return;
  }
  const lines = [
    `Created in ${target}:`,
    ...files.map((f) => `  ${f}`),
    '',
    'Next:',
    '  opsctl validate                                      # check the runbooks',
    '  opsctl plan deploy --env staging -p version=1.0.0    # see what a deploy would do, changing nothing',
    '  opsctl list                                          # every runbook, yours and the shipped ones',
    'Add `.opsctl/` (run history and locks) to .gitignore.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** Files under `dir`, relative, sorted, with `/` separators. */
function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) out.push(relative(dir, path).split('\\').join('/'));
    }
  };
  walk(dir);
  return out.sort();
}
