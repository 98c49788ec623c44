// node bench/netfilter-parse.bench.mjs — runs bench/netfilterParseBench.ts under
// plain Node 20 (bundled with esbuild into .cache/). Build the CLI first
// (`npm run build:cli`) so the whole-process comparison uses the current code.
import { build } from 'esbuild';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const outfile = join(here, '../.cache/bench/netfilterParseBench.mjs');
await build({
  entryPoints: [join(here, 'netfilterParseBench.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
});
await import(pathToFileURL(outfile).href);
