// The SQLite driver is injected: tests and the CLI pass `better-sqlite3`
// (12.11.1, built for Node 20), the Electron main process passes
// `better-sqlite3-electron` (npm alias of 13.2.0, Node-API prebuilds that load in
// Electron's ABI). Both expose the same API, so there is one code path and this
// folder never imports either at run time (README: "better-sqlite3 and the two ABIs").

import type BetterSqlite3 from 'better-sqlite3';

export type SqliteDatabase = BetterSqlite3.Database;
export type SqliteOptions = BetterSqlite3.Options;

/** The module's default export: `new Driver(path, options)`. */
export type SqliteDriver = new (filename: string, options?: SqliteOptions) => SqliteDatabase;

/** better-sqlite3 throws SqliteError with an SQLITE_* code. */
export function sqliteErrorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
