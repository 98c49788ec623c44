// Where the Electron binary is, without require('electron') (which downloads
// it when missing, architecture.md trap 1): node_modules/electron/path.txt
// names the executable inside node_modules/electron/dist once it was fetched.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = join(root, 'node_modules/electron');

/** Absolute path of the downloaded Electron executable, or null (with the reason) when it is not there. */
export function electronBinary() {
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return { path: null, reason: `the Electron binary has not been downloaded (no ${pathFile})` };
  const path = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(path) ? { path, reason: null } : { path: null, reason: `${path} is missing` };
}

/** Downloads the binary with electron's own installer (needs internet once). */
export function electronInstaller() {
  return join(electronDir, 'install.js');
}
