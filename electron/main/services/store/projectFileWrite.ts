// Writing a whole project file so that the target path only ever holds a
// complete, checked project: build it under a temporary name next to the target
// (same directory = same filesystem, so rename is atomic), check it, fsync the
// file, rename (or hard-link when the target must not exist), fsync the
// directory so the rename itself survives a power cut. Any failure before the
// rename removes the temporary file and leaves the target as it was.
//
// VACUUM INTO (https://www.sqlite.org/lang_vacuum.html#vacuuminto) gives a
// consistent, compacted copy of an open database; it refuses an existing
// non-empty output file and cannot run inside a transaction, hence a fresh
// temporary name and no surrounding transaction.

import { closeSync, fsyncSync, linkSync, openSync, renameSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { checkProjectFile, ProjectFileError } from './projectFileCheck.ts';
import type { SqliteDatabase, SqliteDriver } from './sqliteDriver.ts';
import { StoreError } from './storeError.ts';

export interface WriteHooks {
  /** Called with the checked temporary file just before it is moved into place (tests inject failures here). */
  beforeRename?: (tempPath: string) => void;
}

export function tempPathNextTo(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

/** Copies the open database `db` to `target` atomically; replaces an existing target. */
export function writeProjectCopy(db: SqliteDatabase, target: string, driver: SqliteDriver, hooks: WriteHooks = {}): void {
  const temp = tempPathNextTo(target);
  const expected = db.pragma('user_version', { simple: true }) as number;
  try {
    db.prepare('VACUUM INTO ?').run(temp);
    const facts = checkProjectFile(temp, driver);
    if (facts.schemaVersion !== expected) throw new ProjectFileError(temp, `copy has schema ${facts.schemaVersion}, expected ${expected}`);
    hooks.beforeRename?.(temp);
    placeFile(temp, target, { overwrite: true });
  } catch (err) {
    removeWithSidecars(temp);
    throw err;
  }
}

/** Builds a new project in a temporary file with `fill`, then moves it to `target`. */
export function writeNewProjectFile(target: string, driver: SqliteDriver, fill: (db: SqliteDatabase) => void, options: { overwrite: boolean; hooks?: WriteHooks }): void {
  const temp = tempPathNextTo(target);
  try {
    // Rollback-journal mode while building: no -wal file to fold in before the
    // rename. The store switches the file to WAL when it opens it.
    const db = new driver(temp);
    try {
      fill(db);
    } finally {
      db.close();
    }
    checkProjectFile(temp, driver);
    options.hooks?.beforeRename?.(temp);
    placeFile(temp, target, { overwrite: options.overwrite });
  } catch (err) {
    removeWithSidecars(temp);
    throw err;
  }
}

function placeFile(temp: string, target: string, { overwrite }: { overwrite: boolean }): void {
  fsyncPath(temp, 'r+');
  if (overwrite) {
    // A stale -wal of the old target would be replayed onto the new file on the
    // next open (SQLite does not tie a WAL to its database file): remove it first.
    for (const suffix of ['-wal', '-shm', '-journal']) rmSync(target + suffix, { force: true });
    renameSync(temp, target);
  } else {
    try {
      // link() fails with EEXIST instead of replacing: no check-then-rename race.
      linkSync(temp, target);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw new StoreError('target-exists', `${target} already exists`);
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw err;
      // Filesystems without hard links (FAT on a USB stick): check, then rename.
      if (exists(target)) throw new StoreError('target-exists', `${target} already exists`);
      renameSync(temp, target);
    }
    rmSync(temp, { force: true });
  }
  fsyncDirectory(dirname(target));
}

function exists(path: string): boolean {
  try {
    closeSync(openSync(path, 'r'));
    return true;
  } catch {
    return false;
  }
}

function fsyncPath(path: string, flags: string): void {
  const fd = openSync(path, flags);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function fsyncDirectory(dir: string): void {
  // Windows cannot open a directory for fsync; NTFS journals the rename itself.
  if (process.platform === 'win32') return;
  fsyncPath(dir, 'r');
}

export function removeWithSidecars(path: string): void {
  for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(path + suffix, { force: true });
}
