// Runs bench/export/exportBench.ts under plain Node 20 (no TypeScript at
// run time): bundles it with esbuild into .cache/ first.
import { build } from 'esbuild';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const outfile = join(here, '../../.cache/bench/exportBench.mjs');
await build({
  entryPoints: [join(here, 'exportBench.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
});
await import(pathToFileURL(outfile).href);
