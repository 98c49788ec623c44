// The store as the CLI uses it: better-sqlite3 12.11.1 (built for Node; the
// Electron app passes the better-sqlite3-electron alias instead) and the app
// version from package.json (bundled into dist/cli/virtwall.js by esbuild).

import Database from 'better-sqlite3';
import packageJson from '../../package.json' with { type: 'json' };
// The CLI drives the services directly (architecture.md: "the `virtwall`
// command over shared/ + services").
import { ProjectStore } from '../../electron/main/services/store/projectStore.ts';
import type { SqliteDriver } from '../../electron/main/services/store/sqliteDriver.ts';
import type { ProjectInfo } from '../../shared/api/contract.ts';
import { UsageError, type CliIo } from '../io.ts';
import { resolve } from 'node:path';

export const APP_VERSION: string = packageJson.version;

export function cliProjectStore(): ProjectStore {
  return new ProjectStore({ driver: Database as unknown as SqliteDriver, appVersion: APP_VERSION });
}

/** Resolves FILE against the CLI's working directory. */
export function projectPath(file: string | undefined, io: CliIo): string {
  if (!file) throw new UsageError('FILE is missing');
  return resolve(io.cwd, file);
}

/** Reads a project without writing to it. */
export function readProjectInfo(path: string): ProjectInfo {
  const store = cliProjectStore();
  try {
    return store.open(path, { readOnly: true });
  } finally {
    store.close();
  }
}
