// Reading what the user picked for an import: one text file (network XML, a
// ruleset dump) or a snapshot folder written by `virtwall collect`. Binaries
// and oversized files are refused with a message that names the file and says
// why, before the renderer tries to parse them.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export const MAX_TEXT_FILE_BYTES = 16 * 1024 * 1024;
/** A snapshot has ~10 files; a folder with thousands is the wrong folder. */
export const MAX_SNAPSHOT_FILES = 500;

export class FileReadError extends Error {
  constructor(
    readonly path: string,
    message: string,
    readonly code?: string,
  ) {
    super(`${path}: ${message}`);
    this.name = 'FileReadError';
  }
}

function describeFsError(path: string, err: unknown): FileReadError {
  const code = (err as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT' ? 'no such file or folder' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EISDIR' ? 'is a folder, not a file' : (err as Error).message;
  return new FileReadError(path, why, code);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The file's text; refuses files over 16 MiB, with NUL bytes or that are not UTF-8. */
export function readTextFile(path: string): { path: string; text: string } {
  let bytes: Buffer;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw Object.assign(new Error('is a folder'), { code: 'EISDIR' });
    if (stat.size > MAX_TEXT_FILE_BYTES) {
      throw new FileReadError(path, `is ${(stat.size / 1048576).toFixed(1)} MiB; imports are limited to 16 MiB`, 'EFBIG');
    }
    bytes = readFileSync(path);
  } catch (err) {
    throw err instanceof FileReadError ? err : describeFsError(path, err);
  }
  if (bytes.includes(0)) throw new FileReadError(path, 'is a binary file (it contains NUL bytes); pick a text file', 'EBINARY');
  try {
    // A UTF-8 byte order mark is dropped: parsers expect the text to start with '<' or '*'.
    return { path, text: utf8.decode(bytes).replace(/^\uFEFF/, '') };
  } catch {
    throw new FileReadError(path, 'is not UTF-8 text', 'EENCODING');
  }
}

function listFiles(root: string, dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) listFiles(root, full, out);
    else if (entry.isFile()) out.push(full);
    if (out.length > MAX_SNAPSHOT_FILES) throw new FileReadError(root, `holds more than ${MAX_SNAPSHOT_FILES} files; is this a snapshot folder from virtwall collect?`, 'ETOOMANY');
  }
}

/** Every file of the folder as text, keyed by its path relative to the folder with '/' separators. */
export function readSnapshotFolder(path: string): { path: string; files: Record<string, string> } {
  const found: string[] = [];
  try {
    if (!statSync(path).isDirectory()) throw new FileReadError(path, 'is a file; pick the snapshot folder', 'ENOTDIR');
    listFiles(path, path, found);
  } catch (err) {
    throw err instanceof FileReadError ? err : describeFsError(path, err);
  }
  const files: Record<string, string> = {};
  let total = 0;
  for (const full of found) {
    const { text } = readTextFile(full);
    total += text.length;
    if (total > 4 * MAX_TEXT_FILE_BYTES) throw new FileReadError(path, 'holds more than 64 MiB of text', 'EFBIG');
    files[relative(path, full).split(sep).join('/')] = text;
  }
  return { path, files };
}
