// Runs bench/store/projectStoreBench.ts under plain Node 20 (no TypeScript at
// run time): bundles it with esbuild into .cache/, better-sqlite3 external.
import { build } from 'esbuild';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const outfile = join(here, '../../.cache/bench/projectStoreBench.mjs');
await build({
  entryPoints: [join(here, 'projectStoreBench.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['better-sqlite3'],
  logLevel: 'warning',
});
await import(pathToFileURL(outfile).href);
