// Bundles the `virtwall` CLI so the command starts fast (no TypeScript
// compilation at run time). Runs from `npm install` (prepare).
// Code splitting: dist/cli/virtwall.js is only the command table; each
// command's lazy `import()` becomes its own chunk (dist/cli/chunks/), so
// `virtwall rules check` loads the netfilter parser and not the simulator,
// the export bundle or the XML code (Node compiles what it loads: the former
// single 1 MB file cost ≈ 40 ms at every start).
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Builds the CLI into `outdir` (entry `virtwall.js`, chunks in `chunks/`); returns esbuild's metafile. */
export async function buildCli(outdir = join(root, 'dist/cli')) {
  // Chunk names carry content hashes: drop the previous build's so none is left behind.
  rmSync(join(outdir, 'chunks'), { recursive: true, force: true });
  rmSync(join(outdir, 'virtwall.js'), { force: true });
  const result = await build({
    entryPoints: { virtwall: join(root, 'cli/main.ts') },
    outdir,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    metafile: true,
    // Native and heavy runtime packages stay external: better-sqlite3 loads a .node file.
    external: ['better-sqlite3', 'better-sqlite3-electron', 'electron'],
    banner: {
      js: "import { createRequire as __virtwallCreateRequire } from 'node:module'; const require = __virtwallCreateRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
  return result.metafile;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildCli();
