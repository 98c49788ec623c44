// node bench/netfilter-parse.bench.mjs — runs bench/netfilterParseBench.ts under
// plain Node 20 (bundled with esbuild into .cache/). Build the CLI first
// (`npm run build:cli`) so the whole-process comparison uses the current code.
import { fileURLToPath } from 'node:url';
import { runBundled } from './runBundled.mjs';

await runBundled(fileURLToPath(new URL('./netfilterParseBench.ts', import.meta.url)));
