import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ExportBundle } from '../../../../shared/export/bundleTypes.ts';
import { nodeExportFs, type ExportFs } from './exportFs.ts';
import { ExportWriteError } from './exportWriteError.ts';
import { writeBundleFolder } from './writeBundleFolder.ts';

const root = mkdtempSync(join(tmpdir(), 'vw-writer-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const bundle: ExportBundle = {
  variantName: 'v',
  warnings: [],
  files: [
    { path: 'README.txt', text: 'read me\n', description: '' },
    { path: 'networks/deb.xml', text: '<network/>\n', description: '' },
    { path: 'firewall/iptables-legacy.rules', text: '*filter\nCOMMIT\n'.repeat(100), description: '' },
    { path: 'SHA256SUMS', text: 'x\n', description: '' },
  ],
};

function errnoError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected`), { code });
}

/** The real fs with one call of one operation failing (the call after `afterCalls` successful ones), as a stick would. */
function faulty(op: keyof ExportFs, code: string, afterCalls = 0): ExportFs {
  let calls = 0;
  const fs: ExportFs = { ...nodeExportFs };
  const real = nodeExportFs[op] as (...a: unknown[]) => Promise<unknown>;
  (fs as unknown as Record<string, unknown>)[op] = async (...args: unknown[]) => {
    if (calls++ === afterCalls) {
      // ENOSPC half-way: part of the file is on the medium when the error comes.
      if (op === 'writeNewFileSynced') writeFileSync(args[0] as string, (args[1] as Uint8Array).slice(0, 3));
      throw errnoError(code);
    }
    return real(...args);
  };
  return fs;
}

let n = 0;
function freshParent(): string {
  const dir = join(root, `p${++n}`);
  mkdirSync(dir);
  return dir;
}

describe('writeBundleFolder', () => {
  it('writes every file and leaves no temporary folder', async () => {
    const parent = freshParent();
    const files = await writeBundleFolder(bundle, join(parent, 'export'));
    expect(readdirSync(parent)).toEqual(['export']);
    expect(readFileSync(join(parent, 'export/networks/deb.xml'), 'utf8')).toBe('<network/>\n');
    expect(files.map((f) => f.path)).toEqual(bundle.files.map((f) => f.path));
    expect(files[0]).toEqual({ path: 'README.txt', bytes: 8, sha256: createHash('sha256').update('read me\n').digest('hex') });
  });

  it('never overwrites silently; replaces only when asked, and then completely', async () => {
    const parent = freshParent();
    const target = join(parent, 'export');
    mkdirSync(target);
    writeFileSync(join(target, 'old.txt'), 'old');
    await expect(writeBundleFolder(bundle, target)).rejects.toThrow(/already exists; choose another folder or allow replacing it/);
    expect(readdirSync(target)).toEqual(['old.txt']);
    await writeBundleFolder(bundle, target, { overwrite: true });
    expect(existsSync(join(target, 'old.txt'))).toBe(false);
    expect(readdirSync(parent)).toEqual(['export']);
  });

  it.each([
    ['writeNewFileSynced', 'ENOSPC', 2, /not enough space to write .* \(the bundle needs \d+ bytes\); nothing was written/],
    ['mkdir', 'EACCES', 0, /no permission to create a folder in .*; nothing was written/],
    ['mkdir', 'EROFS', 0, /is on read-only media; nothing was written — check the stick's write-protect switch/],
    ['writeNewFileSynced', 'EIO', 1, /cannot write .*EIO: injected; nothing was written/],
    ['rename', 'ENOSPC', 0, /not enough space to rename into place/],
  ] as const)('%s failing with %s: a clear error and nothing half-written', async (op, code, after, message) => {
    const parent = freshParent();
    const target = join(parent, 'export');
    const error = await writeBundleFolder(bundle, target, { fs: faulty(op, code, after) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExportWriteError);
    expect((error as ExportWriteError).code).toBe(code);
    expect((error as Error).message).toMatch(message);
    expect(readdirSync(parent)).toEqual([]);
  });

  it('a failure while replacing leaves the old folder as it was', async () => {
    const parent = freshParent();
    const target = join(parent, 'export');
    mkdirSync(target);
    writeFileSync(join(target, 'old.txt'), 'old');
    await expect(writeBundleFolder(bundle, target, { overwrite: true, fs: faulty('writeNewFileSynced', 'ENOSPC', 3) })).rejects.toThrow(/not enough space/);
    expect(readdirSync(parent)).toEqual(['export']);
    expect(readdirSync(target)).toEqual(['old.txt']);
    // The final rename failing puts the old folder back too.
    await expect(writeBundleFolder(bundle, target, { overwrite: true, fs: faulty('rename', 'EIO', 1) })).rejects.toThrow(/cannot rename into place/);
    expect(readdirSync(parent)).toEqual(['export']);
    expect(readdirSync(target)).toEqual(['old.txt']);
  });

  it('refuses a missing parent folder, a file in the way and unsafe bundle paths', async () => {
    const parent = freshParent();
    await expect(writeBundleFolder(bundle, join(parent, 'no/such/export'))).rejects.toThrow(/does not exist; create it or pick another place/);
    writeFileSync(join(parent, 'file'), 'x');
    await expect(writeBundleFolder(bundle, join(parent, 'file'), { overwrite: true })).rejects.toThrow(/exists and is not a folder/);
    const evil: ExportBundle = { ...bundle, files: [{ path: '../escape.txt', text: 'x', description: '' }] };
    await expect(writeBundleFolder(evil, join(parent, 'export'))).rejects.toThrow(/not a safe relative path/);
    expect(existsSync(join(root, 'escape.txt'))).toBe(false);
  });
});
