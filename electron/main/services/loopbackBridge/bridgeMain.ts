// Entry of the loopback bridge process (bundled to out/bridge/loopback-bridge.mjs
// by scripts/build-bridge.mjs): real store on Node's better-sqlite3, a fresh
// user data folder per run, and one JSON line on stdout with the address and
// the token for the test runner. Stops on SIGTERM/SIGINT or when stdin closes
// (the runner died), closing the project file first.
//
//   node out/bridge/loopback-bridge.mjs --user-data DIR --renderer out/renderer
//        --preload out/bridge/loopback-preload.js [--locale de-DE] [--port N]

import Database from 'better-sqlite3';
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import packageJson from '../../../../package.json' with { type: 'json' };
import { AppBackend } from '../appBackend/appBackend.ts';
import { SessionSettings } from '../appBackend/sessionSettings.ts';
import { ProjectStore } from '../store/projectStore.ts';
import type { SqliteDriver } from '../store/sqliteDriver.ts';
import { startLoopbackBridge } from './loopbackBridgeServer.ts';
import { QueuedDialogs } from './queuedDialogs.ts';

function flag(name: string, fallback?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? process.argv[i + 1] : fallback;
  if (value === undefined) {
    process.stderr.write(`loopback bridge: --${name} is required\n`);
    process.exit(2);
  }
  return value;
}

const userDataDir = resolve(flag('user-data'));
mkdirSync(userDataDir, { recursive: true });
const dialogs = new QueuedDialogs();
const store = new ProjectStore({ driver: Database as unknown as SqliteDriver, appVersion: packageJson.version });
const backend = new AppBackend({
  store,
  settings: new SessionSettings(userDataDir),
  userDataDir,
  dialogs,
  appInfo: { version: packageJson.version, locale: flag('locale', process.env.LANG?.split('.')[0]?.replace('_', '-') || 'en-US'), platform: process.platform },
});
const bridge = await startLoopbackBridge(
  { backend, dialogs, rendererDir: flag('renderer'), preloadScript: readFileSync(flag('preload'), 'utf8') },
  Number(flag('port', '0')),
);
process.stdout.write(JSON.stringify({ url: bridge.url, entryUrl: bridge.entryUrl, token: bridge.token, pid: process.pid }) + '\n');

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await bridge.close();
  backend.close();
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
process.stdin.on('end', () => void stop());
process.stdin.resume();
