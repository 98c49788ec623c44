// A read-only SQLite connection that leaves no trace. Opening a WAL-mode
// database read-only makes SQLite create empty `-wal` and `-shm` files next to
// it, and a read-only connection cannot remove them when it closes (only the
// last read-write connection does). `virtwall project info` or a refused file
// would otherwise leave two stray files next to the project — on a USB stick,
// in a mail attachment folder.
//
// So: sidecars that did not exist before we opened are removed after close if
// the WAL is still empty (nothing to lose). Sidecars that existed belong to
// another connection (the app has the project open) and are left alone.

import { rmSync, statSync } from 'node:fs';
import type { SqliteDatabase, SqliteDriver } from './sqliteDriver.ts';

function size(path: string): number | null {
  try {
    return statSync(path).size;
  } catch {
    return null;
  }
}

export interface ReadOnlyConnection {
  db: SqliteDatabase;
  close(): void;
}

export function openReadOnly(driver: SqliteDriver, path: string): ReadOnlyConnection {
  const hadWal = size(path + '-wal') !== null;
  const hadShm = size(path + '-shm') !== null;
  const db = new driver(path, { readonly: true, fileMustExist: true });
  return {
    db,
    close() {
      db.close();
      if (!hadWal && !hadShm && size(path + '-wal') === 0) {
        rmSync(path + '-wal', { force: true });
        rmSync(path + '-shm', { force: true });
      }
    },
  };
}
