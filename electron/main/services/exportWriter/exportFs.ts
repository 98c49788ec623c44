// The file-system operations the folder writer needs, behind one interface so
// tests can inject the faults a USB stick produces (ENOSPC half-way through a
// file, EACCES, EROFS) without a real full or read-only medium (as root, a
// chmod'ed folder does not refuse anything).

import { constants, promises as fsp } from 'node:fs';

export interface ExportFs {
  /** Creates one directory (the parent must exist). */
  mkdir(path: string): Promise<void>;
  /** Creates a new file (fails if it exists), writes all bytes, fsyncs and closes it. */
  writeNewFileSynced(path: string, bytes: Uint8Array): Promise<void>;
  /** fsync of a directory, so renames and new entries in it survive a power cut. */
  fsyncDir(path: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  removeTree(path: string): Promise<void>;
  /** 'dir' | 'file' | 'other', or null when nothing is there. */
  kind(path: string): Promise<'dir' | 'file' | 'other' | null>;
}

export const nodeExportFs: ExportFs = {
  async mkdir(path) {
    await fsp.mkdir(path);
  },
  async writeNewFileSynced(path, bytes) {
    const handle = await fsp.open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
    try {
      let offset = 0;
      while (offset < bytes.length) {
        const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset);
        offset += bytesWritten;
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  async fsyncDir(path) {
    const handle = await fsp.open(path, constants.O_RDONLY | constants.O_DIRECTORY);
    try {
      await handle.sync();
    } catch (err) {
      // Some file systems (vfat on older kernels, network mounts) refuse fsync on a
      // directory with EINVAL: the data is already synced file by file.
      if ((err as NodeJS.ErrnoException).code !== 'EINVAL') throw err;
    } finally {
      await handle.close();
    }
  },
  async rename(from, to) {
    await fsp.rename(from, to);
  },
  async removeTree(path) {
    await fsp.rm(path, { recursive: true, force: true });
  },
  async kind(path) {
    try {
      const st = await fsp.lstat(path);
      return st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'other';
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  },
};
