// Test fixture: one loopback bridge per test (a fresh user data folder, so each
// test is the app's first start) and helpers to answer dialogs, fire menu
// commands as the menu bar would, and save screenshots of what the user sees.

import { test as base, expect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join, resolve } from 'node:path';
import type { MenuCommand } from '../../shared/api/contract.ts';

const root = resolve(import.meta.dirname, '../..');
/** Screenshots of every main screen, saved on each run (README "End-to-end tests"). */
export const SCREENSHOT_DIR = join(root, 'e2e-screenshots');

export interface BridgeApp {
  url: string;
  token: string;
  userDataDir: string;
  /** Opens the app in the page (first start: the sample lab opens). */
  open(): Promise<void>;
  /** The next file dialog answers this path (null = Cancel). */
  answerDialog(answer: string | null): Promise<void>;
  /** As if the user picked the item from the application menu. */
  menu(command: MenuCommand): Promise<void>;
  /** Quits the backend and starts it again on the same user data (an app restart), then reopens the page. */
  restart(): Promise<void>;
  screenshot(name: string): Promise<void>;
}

async function startBridge(userDataDir: string, locale: string): Promise<{ child: ChildProcess; info: { url: string; entryUrl: string; token: string } }> {
  const child = spawn(
    process.execPath,
    [join(root, 'out/bridge/loopback-bridge.mjs'), '--user-data', userDataDir, '--renderer', join(root, 'out/renderer'), '--preload', join(root, 'out/bridge/loopback-preload.js'), '--locale', locale],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout! });
  const info = await new Promise<{ url: string; entryUrl: string; token: string }>((ready, fail) => {
    child.once('exit', (code) => fail(new Error(`loopback bridge exited with ${code} before it was ready (run scripts/run-e2e.mjs: it builds out/)`)));
    lines.once('line', (line) => ready(JSON.parse(line)));
  });
  return { child, info };
}

/** SIGTERM by pid (the bridge closes the project file and exits); waits for the exit. */
async function stopBridge(child: ChildProcess): Promise<void> {
  child.stdin?.end();
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  await exited;
}

export const test = base.extend<{ bridgeLocale: string; app: BridgeApp }>({
  bridgeLocale: ['en-US', { option: true }],
  app: async ({ page, bridgeLocale }, use, testInfo) => {
    const userDataDir = testInfo.outputPath('user-data');
    mkdirSync(userDataDir, { recursive: true });
    let { child, info } = await startBridge(userDataDir, bridgeLocale);
    const post = async (path: string, body: unknown) => {
      const response = await page.request.post(`${info.url}${path}`, { headers: { 'x-virtwall-token': info.token, 'content-type': 'application/json' }, data: body });
      expect(response.ok(), `${path}: ${await response.text()}`).toBe(true);
    };
    const app: BridgeApp = {
      url: info.url,
      token: info.token,
      userDataDir,
      open: async () => {
        await page.goto(`${app.url}/?token=${app.token}`);
        await expect(page.getByTestId('app-ready')).toBeAttached();
      },
      answerDialog: (answer) => post('/__test/dialog', { answer }),
      restart: async () => {
        await stopBridge(child);
        ({ child, info } = await startBridge(userDataDir, bridgeLocale));
        app.url = info.url;
        app.token = info.token;
        await app.open();
      },
      menu: (command) => post('/__test/menu', { command }),
      screenshot: async (name) => {
        mkdirSync(SCREENSHOT_DIR, { recursive: true });
        await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
      },
    };
    try {
      await use(app);
    } finally {
      await stopBridge(child);
    }
  },
});

export { expect, type Page };
