// Runs a TypeScript bench file under plain Node 20 (no TypeScript at run
// time): bundles it with esbuild into .cache/bench/ first, then imports it.
// better-sqlite3 stays external (a native module cannot be bundled).
import { build } from 'esbuild';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cacheDir = fileURLToPath(new URL('../.cache/bench/', import.meta.url));

/** @param {string} tsFile absolute path of the bench's .ts entry */
export async function runBundled(tsFile) {
  const outfile = join(cacheDir, basename(tsFile).replace(/\.ts$/, '.mjs'));
  await build({
    entryPoints: [tsFile],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['better-sqlite3'],
    logLevel: 'warning',
  });
  await import(pathToFileURL(outfile).href);
}
