#!/usr/bin/env node
// Thin launcher: the CLI is bundled into dist/cli by `npm install` (prepare script).
globalThis.__VIRTWALL_CLI__ = true;
import('../dist/cli/virtwall.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/cli')) {
    process.stderr.write('virtwall: the CLI bundle is missing; run `npm run build:cli` (or `npm install`).\n');
    process.exit(2);
  }
  throw err;
});
