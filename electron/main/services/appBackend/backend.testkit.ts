// A real AppBackend over a temporary user data folder (Node's better-sqlite3),
// with dialogs answered from a queue: what main and the bridge run, minus Electron.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProjectStore } from '../store/projectStore.ts';
import type { SqliteDriver } from '../store/sqliteDriver.ts';
import { QueuedDialogs } from '../loopbackBridge/queuedDialogs.ts';
import { AppBackend } from './appBackend.ts';
import { SessionSettings } from './sessionSettings.ts';

export function testBackend(userDataDir = mkdtempSync(join(tmpdir(), 'vw-backend-'))) {
  const dialogs = new QueuedDialogs();
  const sessions: unknown[] = [];
  const backend = new AppBackend({
    store: new ProjectStore({ driver: Database as unknown as SqliteDriver, appVersion: '0.1.0-test' }),
    settings: new SessionSettings(userDataDir),
    userDataDir,
    dialogs,
    appInfo: { version: '0.1.0-test', locale: 'en-US', platform: 'linux' },
    onSessionChanged: (s) => sessions.push(s),
  });
  return {
    backend,
    dialogs,
    sessions,
    userDataDir,
    dispose: () => {
      backend.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
