// Bundles src/cli/main.ts into one file, dist/opsctl.cjs (a CommonJS module as one function
// expression), that bin/opsctl compiles with a V8 code cache (see bin/opsctl): parsing and
// compiling opsctl's own code was the largest part of a start-up, and a code cache can only be
// given to a script, not to ES modules, on Node 20.
// Modules that are imported lazily stay lazy inside the file: esbuild wraps them in functions
// run at their first import, so `opsctl --help` does not run the engine's module code.
// One file also means a run that is live while opsctl is rebuilt or upgraded never loads half
// of the old build and half of the new one (it holds all of its code from the start).
// The bundle is written beside dist/ and swapped in with renames, so a build never leaves a
// half-written dist/ under a bin/opsctl that is running at the same moment. Then the code caches
// of the common commands are made once, into dist/code-cache/, so that the first run on a fresh
// machine (a CI container) starts as fast as the hundredth.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const fresh = join(root, `dist.new-${process.pid}`);
const old = join(root, `dist.old-${process.pid}`);
const dist = join(root, 'dist');

/**
 * commander requires node:child_process when it loads, for subcommands that are separate
 * executables, which opsctl has none of. Loading child_process (and net, dgram, streams with it)
 * cost every start-up a few milliseconds; commander gets a stand-in that loads it on first use.
 */
const lazyChildProcessForCommander = {
  name: 'lazy-child-process-for-commander',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) => (/[\\/]node_modules[\\/]commander[\\/]/.test(args.importer) ? { path: 'lazy-child-process', namespace: 'opsctl-lazy' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'opsctl-lazy' }, () => ({
      contents: "module.exports = new Proxy({}, { get: (_, key) => require('node:child_process')[key] });",
      loader: 'js',
    }));
  },
};

/**
 * The CEL library sets up its functions and operators when it loads (~4 ms): src/expr/cel-library.ts
 * becomes a function that requires it at the first expression, which esbuild turns into running
 * the library's bundled module code then, not at start-up.
 */
const lazyCelLibrary = {
  name: 'lazy-cel-library',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]expr[\\/]cel-library\.ts$/ }, () => ({
      contents: "export function celLibrary() { return require('@marcbachmann/cel-js'); }",
      loader: 'js',
      resolveDir: join(root, 'src', 'expr'),
    }));
  },
};

try {
  const result = await build({
    entryPoints: ['src/cli/main.ts'],
    absWorkingDir: root,
    outfile: join(fresh, 'opsctl.cjs'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    // Light dependencies (commander, yaml, cel-js, picocolors) are bundled: loading yaml from
    // node_modules alone was ~70 CommonJS files to resolve, read and compile at each start.
    // Heavy ones stay external and are imported (import(), kept as such) only by the adapters
    // that use them.
    external: ['@aws-sdk/*', '@smithy/*', 'pg', 'pg-*', '@inquirer/*'],
    supported: { 'dynamic-import': true },
    // The two modules that find opsctl's own folder read import.meta.url, worked out when read
    // (pathToFileURL at every start-up cost ~0.2 ms for commands that never read it).
    define: { 'import.meta.url': '__opsctlModule.url' },
    // The first line names the build: bin/opsctl keys its code caches on it (V8 itself checks
    // only the length of the source a cache was made from). The zeros are replaced by a hash of
    // the bundle below, in place, so the source map's lines stay true.
    // The bundle is one function expression that bin/opsctl compiles as it is: wrapping it there
    // cost a second 1.3 MB copy of the source at each start-up (V8 flattens the joined string).
    banner: { js: "// opsctl build 0000000000000000\n(function (exports, require, module, __filename, __dirname, __opsctlImport) {'use strict';\nconst __opsctlModule = { get url() { return require('node:url').pathToFileURL(__filename).href; } };" },
    footer: { js: '})' },
    sourcemap: 'linked',
    // Blanks and comments out, syntax shortened; names stay, so stack traces still name
    // functions (and the source map gives the lines). A 30% smaller file is read faster at each
    // start-up: ~1.4 ms of `validate`.
    minifyWhitespace: true,
    minifySyntax: true,
    plugins: [lazyChildProcessForCommander, lazyCelLibrary],
    write: false,
    logLevel: 'warning',
  });
  mkdirSync(fresh, { recursive: true });
  for (const file of result.outputFiles) {
    if (!file.path.endsWith('.cjs')) {
      writeFileSync(file.path, file.contents);
      continue;
    }
    // Pure ASCII, so that bin/opsctl can read it as latin1 into a one-byte string: the few
    // non-ASCII characters esbuild leaves (in comments, in a regex) become \u escapes, which
    // mean the same there and in strings.
    // import() of the external packages (pg, the AWS SDK, inquirer) is handed to bin/opsctl:
    // a script compiled by node:vm can only import() through an experimental loader that warns.
    const imports = file.text.match(/\bimport\(/g)?.length ?? 0;
    const text = file.text.replace(/\bimport\((?="[^"]+"\))/g, '__opsctlImport(');
    if (/\bimport\(/.test(text)) throw new Error(`the bundle has an import() of something other than a string: ${imports} found`);
    const ascii = text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    writeFileSync(file.path, ascii.replace(/^\/\/ opsctl build 0{16}\n/, `// opsctl build ${createHash('sha256').update(ascii).digest('hex').slice(0, 16)}\n`));
  }
  try {
    renameSync(dist, old);
  } catch {
    // no dist/ yet
  }
  renameSync(fresh, dist);
} finally {
  rmSync(fresh, { recursive: true, force: true });
  rmSync(old, { recursive: true, force: true });
}

warmCodeCaches();

/**
 * Runs the commands people run most once each, with a scratch cache folder, and keeps the code
 * caches they leave as dist/code-cache/. A failure here only costs speed: opsctl makes the
 * cache itself at the first run of a command.
 */
function warmCodeCaches() {
  const scratch = mkdtempSync(join(tmpdir(), 'opsctl-build-'));
  try {
    writeFileSync(join(scratch, 'opsctl.yaml'), 'state: { backend: file }\n');
    writeFileSync(join(scratch, 'warm.yaml'), [
      'apiVersion: opsctl/v1', 'kind: Runbook', 'name: warm', 'title: Warm the code cache', 'lock: false',
      'params:', '  who: { type: string, default: ops }',
      'steps:',
      '  - { id: hello, log: "hello ${{ params.who }}" }',
      '  - { id: check, shell: "echo ok", when: "${{ params.who != \'\' }}" }',
      '',
    ].join('\n'));
    const env = { ...process.env, CI: 'true', NO_COLOR: '1', OPSCTL_CACHE_DIR: join(scratch, 'cache') };
    const bin = join(root, 'bin', 'opsctl');
    // `list` reads what it can from its own cache (list.json) and parses only the runbooks that
    // changed, so its code cache is made once list.json is there: the parser's functions, which a
    // warm `list` does not call, stay out of it (0.46 MB instead of 0.77 MB to load).
    spawnSync(process.execPath, [bin, 'list'], { cwd: scratch, env: { ...env, OPSCTL_CODE_CACHE: 'off' }, stdio: 'ignore', timeout: 30_000 });
    for (const args of [['--help'], ['validate', join(root, 'runbooks', 'deploy.yaml')], ['list'], ['run', './warm.yaml', '--yes', '--output', 'plain']]) {
      spawnSync(process.execPath, [bin, ...args], { cwd: scratch, env, stdio: 'ignore', timeout: 30_000 });
    }
    const made = join(scratch, 'cache', 'code');
    const target = join(dist, 'code-cache');
    mkdirSync(target, { recursive: true });
    for (const name of readdirSync(made)) {
      writeFileSync(join(target, `${name}.tmp`), readFileSync(join(made, name)));
      renameSync(join(target, `${name}.tmp`), join(target, name));
    }
  } catch (error) {
    process.stderr.write(`note: the code caches were not made (${error.message}); opsctl makes them at first use\n`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
