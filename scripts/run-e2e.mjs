// npm run test:e2e: build the app (electron-vite, offline) and the loopback
// bridge, then run the Playwright specs in Debian's Chromium. Extra arguments go
// to `playwright test` (e.g. a spec path or --grep).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args) => {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

const chromium = process.env.VIRTWALL_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  const message = `end-to-end tests need Chromium at ${chromium} (Debian: apt-get install chromium; or set VIRTWALL_CHROMIUM)`;
  if (process.env.CI === 'true') {
    console.error(`✗ ${message}`);
    process.exit(1);
  }
  console.log(`- skipped: ${message}`);
  process.exit(0);
}

run(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build']);
run(process.execPath, [join(root, 'scripts/build-bridge.mjs')]);
run(process.execPath, [join(root, 'node_modules/@playwright/test/cli.js'), 'test', '--config', join(root, 'playwright.config.ts'), ...process.argv.slice(2)]);
