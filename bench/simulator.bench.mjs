// Runs bench/simulatorBench.ts under plain Node 20: bundles it with esbuild into .cache/ first.
import { fileURLToPath } from 'node:url';
import { runBundled } from './runBundled.mjs';

await runBundled(fileURLToPath(new URL('./simulatorBench.ts', import.meta.url)));
