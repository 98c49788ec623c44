// Runs bench/layers/timelineBench.ts under plain Node 20 (no TypeScript at
// run time): bundles it with esbuild into .cache/ first.
import { build } from 'esbuild';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const outfile = join(here, '../../.cache/bench/timelineBench.mjs');
await build({
  entryPoints: [join(here, 'timelineBench.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
});
await import(pathToFileURL(outfile).href);
