// Bundles the loopback bridge (Node) and its browser preload for the
// end-to-end tests: out/bridge/loopback-bridge.mjs and loopback-preload.js.
// The renderer itself comes from `electron-vite build` (out/renderer).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'out/bridge');

await build({
  entryPoints: [join(root, 'electron/main/services/loopbackBridge/bridgeMain.ts')],
  outfile: join(out, 'loopback-bridge.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['better-sqlite3', 'better-sqlite3-electron', 'electron'],
  banner: { js: "import { createRequire as __vwCreateRequire } from 'node:module'; const require = __vwCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});

await build({
  entryPoints: [join(root, 'electron/preload/loopbackPreload.ts')],
  outfile: join(out, 'loopback-preload.js'),
  bundle: true,
  platform: 'browser',
  format: 'iife',
  target: 'chrome120',
  logLevel: 'warning',
});
