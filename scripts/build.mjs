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
    packages: 'external',
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
