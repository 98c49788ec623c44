// Decides whether a file may be opened as a virtwall project — before anything
// writes to it. Everything here reads only: plain fs reads for the header, then
// a read-only SQLite connection (never journal_mode or migrations), so a
// refused file is left byte-for-byte as it was.
//
// The application_id and user_version must be read through SQLite, not from the
// header bytes: in WAL mode the newest header may still sit in the -wal file
// (e.g. right after a crash), while the main file shows an older one.

import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { LATEST_SCHEMA_VERSION } from './migrations/migrationList.ts';
import { hex32, PROJECT_APPLICATION_ID } from './projectFileFormat.ts';
import { openReadOnly } from './readOnlyConnection.ts';
import { sqliteErrorCode, type SqliteDriver } from './sqliteDriver.ts';

export class ProjectFileError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path}: ${problem}`);
    this.name = 'ProjectFileError';
  }
}

export interface ProjectFileFacts {
  schemaVersion: number;
}

const SQLITE_MAGIC = 'SQLite format 3\0';

export function checkProjectFile(path: string, driver: SqliteDriver): ProjectFileFacts {
  const fail = (problem: string): never => {
    throw new ProjectFileError(path, problem);
  };
  let size = 0;
  try {
    const st = statSync(path);
    if (st.isDirectory()) fail('is a folder, not a virtwall project file');
    if (!st.isFile()) fail('is not a regular file');
    size = st.size;
  } catch (err) {
    if (err instanceof ProjectFileError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    fail(code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? (err as Error).message})`);
  }
  if (size === 0) fail('is empty — not a virtwall project');

  const header = readHeader(path, fail);
  if (header.toString('latin1', 0, 16) !== SQLITE_MAGIC) {
    fail(`is not a virtwall project: it is not an SQLite database (${describeContent(header)})`);
  }
  if (size < 512) fail(`is damaged: ${size} bytes is shorter than one database page`);

  let connection;
  try {
    connection = openReadOnly(driver, path);
  } catch (err) {
    return fail(`cannot be opened: ${(err as Error).message}`);
  }
  const { db } = connection;
  try {
    const applicationId = db.pragma('application_id', { simple: true }) as number;
    if (applicationId !== PROJECT_APPLICATION_ID) {
      fail(`is an SQLite database but not a virtwall project (application_id ${hex32(applicationId)}, a virtwall project has ${hex32(PROJECT_APPLICATION_ID)})`);
    }
    const schemaVersion = db.pragma('user_version', { simple: true }) as number;
    if (schemaVersion > LATEST_SCHEMA_VERSION) {
      fail(`was written by a newer virtwall (file format ${schemaVersion}; this virtwall reads formats up to ${LATEST_SCHEMA_VERSION}) — open it with a newer virtwall`);
    }
    if (schemaVersion < 1) fail('is damaged: it is marked as a virtwall project but has no schema (user_version 0)');
    const check = db.pragma('quick_check') as { quick_check: string }[];
    const problems = check.map((row) => row.quick_check).filter((line) => line !== 'ok');
    if (problems.length > 0) fail(`is damaged: SQLite's quick_check reports ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? ` (and ${problems.length - 3} more)` : ''}`);
    return { schemaVersion };
  } catch (err) {
    if (err instanceof ProjectFileError) throw err;
    const code = sqliteErrorCode(err);
    if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT_INDEX') return fail(`is damaged: ${(err as Error).message}`);
    return fail(`cannot be read: ${(err as Error).message}`);
  } finally {
    connection.close();
  }
}

function readHeader(path: string, fail: (problem: string) => never): Buffer {
  const buffer = Buffer.alloc(100);
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const n = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, n);
  } catch (err) {
    return fail(`cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function describeContent(header: Buffer): string {
  const text = header.toString('utf8');
  const printable = /^[\t\n\r\x20-\x7e\u00a0-\uffff]*$/.test(text.replace(/\uFFFD$/, ''));
  if (printable) return `it looks like a text file starting with ${JSON.stringify(text.split('\n')[0].slice(0, 40))}`;
  return `its first bytes are ${header.subarray(0, 8).toString('hex')}`;
}
