// Runs bench/layers/layersBench.ts under plain Node 20 (no TypeScript at
// run time): bundles it with esbuild into .cache/ first.
import { fileURLToPath } from 'node:url';
import { runBundled } from '../runBundled.mjs';

await runBundled(fileURLToPath(new URL('./layersBench.ts', import.meta.url)));
