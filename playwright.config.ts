// End-to-end tests: the built renderer in Debian's Chromium, talking to the real
// services through the loopback bridge (one bridge process and a fresh user
// data folder per test: every test is a first start). Run with
// `npm run test:e2e` (scripts/run-e2e.mjs builds first). Never `playwright
// install`: the browser is /usr/bin/chromium.
//
// Chromium flags per architecture.md trap 5 (root, no GPU, no network chatter).
// The fresh profile is Playwright's own: it launches every browser with a new
// temporary --user-data-dir and refuses that flag in `args`.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.e2e.ts',
  outputDir: 'test-results/e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  // Two cores: two workers, each with its own browser and bridge.
  workers: 2,
  retries: 0,
  forbidOnly: true,
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    browserName: 'chromium',
    viewport: { width: 1440, height: 900 },
    locale: 'en-US',
    launchOptions: {
      executablePath: process.env.VIRTWALL_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
    },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
