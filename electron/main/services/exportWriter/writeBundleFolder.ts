// Writes an export bundle into a folder atomically (issue 7 §2): everything
// goes into a temporary folder next to the target (same file system, so the
// final rename is atomic), each file fsynced, the folders fsynced, then one
// rename. A failure at any point removes the temporary folder: the target is
// either the complete bundle or exactly what it was before. An existing
// target is replaced only when asked (overwrite), and then by swapping: the
// old folder is renamed aside first and deleted only after the new one is in
// place, so there is no moment without a complete folder.

import { randomBytes } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import type { ExportBundle } from '../../../../shared/export/bundleTypes.ts';
import { sha256Hex } from '../../../../shared/export/sha256.ts';
import { utf8Bytes } from '../../../../shared/export/utf8.ts';
import { nodeExportFs, type ExportFs } from './exportFs.ts';
import { ExportWriteError, describeFsError } from './exportWriteError.ts';

export interface WrittenFile {
  /** Path inside the bundle ('networks/deb.xml'). */
  path: string;
  bytes: number;
  sha256: string;
}

export interface WriteFolderOptions {
  overwrite?: boolean;
  fs?: ExportFs;
}

/** Bundle paths are made FAT-safe by the builder; check again here, the writer trusts no caller. */
const SEGMENT = /^[A-Za-z0-9_.+%~-]+$/;

export function plannedFiles(bundle: ExportBundle): WrittenFile[] {
  return bundle.files.map((f) => {
    const bytes = utf8Bytes(f.text);
    return { path: f.path, bytes: bytes.length, sha256: sha256Hex(bytes) };
  });
}

function checkPath(path: string): void {
  const parts = path.split('/');
  if (parts.some((p) => !SEGMENT.test(p) || p === '.' || p === '..')) throw new ExportWriteError(`bundle path ${JSON.stringify(path)} is not a safe relative path`, 'EINVAL');
}

export async function writeBundleFolder(bundle: ExportBundle, target: string, options: WriteFolderOptions = {}): Promise<WrittenFile[]> {
  const fs = options.fs ?? nodeExportFs;
  const folder = resolve(target);
  const parent = dirname(folder);
  bundle.files.forEach((f) => checkPath(f.path));

  const parentKind = await fs.kind(parent).catch((e: unknown) => {
    throw describeFsError(e, parent, 'read');
  });
  if (parentKind !== 'dir') throw new ExportWriteError(`the folder ${parent} does not exist; create it or pick another place`, 'ENOENT');
  const existing = await fs.kind(folder);
  if (existing === 'file' || existing === 'other') throw new ExportWriteError(`${folder} exists and is not a folder; pick another name`, 'ENOTDIR');
  if (existing === 'dir' && !options.overwrite) throw new ExportWriteError(`${folder} already exists; choose another folder or allow replacing it`, 'EEXIST');

  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  // A leading dot and only FAT-legal characters: hidden on Linux, valid on a stick.
  const temp = join(parent, `.${basename(folder)}.virtwall-${tag}.tmp`);
  const written = plannedFiles(bundle);
  try {
    await fs.mkdir(temp).catch((e: unknown) => {
      throw describeFsError(e, parent, 'create a folder in');
    });
    const dirs = new Set<string>();
    for (const f of bundle.files) {
      const parts = f.path.split('/');
      for (let i = 1; i < parts.length; i++) {
        const dir = parts.slice(0, i).join('/');
        if (!dirs.has(dir)) {
          dirs.add(dir);
          await fs.mkdir(join(temp, dir)).catch((e: unknown) => {
            throw describeFsError(e, folder, 'create a folder in');
          });
        }
      }
      await fs.writeNewFileSynced(join(temp, f.path), utf8Bytes(f.text)).catch((e: unknown) => {
        throw describeFsError(e, folder, 'write', written.reduce((n, w) => n + w.bytes, 0));
      });
    }
    for (const dir of [...dirs].sort((a, b) => b.length - a.length)) await fs.fsyncDir(join(temp, dir));
    await fs.fsyncDir(temp);

    let aside: string | null = null;
    if (existing === 'dir') {
      aside = join(parent, `.${basename(folder)}.virtwall-${tag}.old`);
      await fs.rename(folder, aside).catch((e: unknown) => {
        throw describeFsError(e, folder, 'move aside');
      });
    }
    try {
      await fs.rename(temp, folder);
    } catch (e) {
      if (aside) await fs.rename(aside, folder).catch(() => undefined);
      throw describeFsError(e, folder, 'rename into place');
    }
    await fs.fsyncDir(parent).catch(() => undefined);
    if (aside) await fs.removeTree(aside).catch(() => undefined);
    return written;
  } catch (err) {
    await fs.removeTree(temp).catch(() => undefined);
    throw err;
  }
}
