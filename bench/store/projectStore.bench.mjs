// Runs bench/store/projectStoreBench.ts under plain Node 20 (no TypeScript at
// run time): bundles it with esbuild into .cache/, better-sqlite3 external.
import { fileURLToPath } from 'node:url';
import { runBundled } from '../runBundled.mjs';

await runBundled(fileURLToPath(new URL('./projectStoreBench.ts', import.meta.url)));
