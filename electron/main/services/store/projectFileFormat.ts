// What makes a file a virtwall project, independent of the schema version.
//
// - `PRAGMA application_id` = 0x5657414C ("VWAL"): marks the file as ours, so
//   another application's SQLite database is refused by name instead of being
//   "migrated" (https://www.sqlite.org/pragma.html#pragma_application_id).
// - `PRAGMA user_version` = the schema version, one per migration file.
// - WAL with synchronous=NORMAL: a commit is durable once the write() to the WAL
//   returns, so an application crash (even SIGKILL) loses nothing committed; a
//   power cut may lose the last transactions but never corrupts the file
//   (https://www.sqlite.org/wal.html, pragma synchronous). foreign_keys is off by
//   default in SQLite and must be switched on per connection.

import type { SqliteDatabase } from './sqliteDriver.ts';

export const PROJECT_APPLICATION_ID = 0x5657414c;
export const PROJECT_FILE_EXTENSION = '.virtwall';

/** Per-connection settings for a read-write connection. */
export function configureConnection(db: SqliteDatabase): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // Another process (a second window, the CLI) may hold the write lock briefly.
  db.pragma('busy_timeout = 3000');
}

export function hex32(value: number): string {
  return '0x' + (value >>> 0).toString(16).padStart(8, '0');
}
