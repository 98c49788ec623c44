// Bundles the `virtwall` CLI into one ESM file so the command starts fast
// (no TypeScript compilation at run time). Runs from `npm install` (prepare).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

await build({
  entryPoints: [join(root, 'cli/main.ts')],
  outfile: join(root, 'dist/cli/virtwall.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  // Native and heavy runtime packages stay external: better-sqlite3 loads a .node file.
  external: ['better-sqlite3', 'better-sqlite3-electron', 'electron'],
  banner: {
    js: "import { createRequire as __virtwallCreateRequire } from 'node:module'; const require = __virtwallCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
