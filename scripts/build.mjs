// Bundles src/cli/main.ts into dist/ with code splitting, so that each command and adapter
// is its own chunk, loaded by dynamic import only when used (start-up stays near bare Node).
// The bundle is written beside dist/ and swapped in with renames, so a build never leaves a
// half-written dist/ under a bin/opsctl that is running at the same moment.
import { build } from 'esbuild';
import { renameSync, rmSync } from 'node:fs';

const root = new URL('..', import.meta.url);
const fresh = new URL(`dist.new-${process.pid}/`, root);
const old = new URL(`dist.old-${process.pid}/`, root);
const dist = new URL('dist/', root);

try {
  await build({
    entryPoints: { main: 'src/cli/main.ts' },
    outdir: fresh.pathname,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Light dependencies (commander, yaml, cel-js, picocolors) are bundled: loading yaml from
    // node_modules alone was ~70 CommonJS files to resolve, read and compile at each start.
    // Heavy ones stay external and are imported only by the adapters that use them.
    external: ['@aws-sdk/*', '@smithy/*', 'pg', 'pg-*', '@inquirer/*'],
    // Bundled CommonJS code may call require() (node builtins): give ESM chunks one.
    banner: { js: "import { createRequire as __opsctlCreateRequire } from 'node:module'; const require = __opsctlCreateRequire(import.meta.url);" },
    sourcemap: 'linked',
    chunkNames: 'chunks/[name]-[hash]',
    logLevel: 'warning',
  });
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
