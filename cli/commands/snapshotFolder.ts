// Reads a snapshot folder written by `virtwall collect` into name → text
// (top-level files and networks/*.xml), refusing what is clearly not one.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const MAX_BYTES = 32 * 1024 * 1024;

export function readSnapshotFolder(dir: string, cwd: string): Record<string, string> {
  const root = resolve(cwd, dir);
  let st;
  try {
    st = statSync(root);
  } catch {
    throw new Error(`${dir}: no such folder`);
  }
  if (!st.isDirectory()) throw new Error(`${dir}: not a folder (expected what 'virtwall collect' wrote)`);
  const files: Record<string, string> = {};
  const take = (rel: string): void => {
    const full = join(root, rel);
    const s = statSync(full);
    if (!s.isFile()) return;
    if (s.size > MAX_BYTES) throw new Error(`${join(dir, rel)}: larger than 32 MiB`);
    files[rel] = readFileSync(full, 'utf8');
  };
  for (const name of readdirSync(root)) if (!name.startsWith('.')) take(name);
  try {
    for (const name of readdirSync(join(root, 'networks'))) if (name.endsWith('.xml') || name === 'active.txt') take(join('networks', name));
  } catch {
    /* no networks/ folder: allowed */
  }
  const known = ['iptables-save.txt', 'nft-ruleset.txt', 'ip-addr.json', 'ip-route.json', 'ip-link.json', 'sysctl.txt'];
  if (!known.some((k) => k in files)) throw new Error(`${dir}: none of ${known.join(', ')} found — not a snapshot folder`);
  return files;
}
