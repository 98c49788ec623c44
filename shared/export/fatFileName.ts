// File names that survive a FAT32 or exFAT stick and every shell: names from
// the lab (network names may hold almost anything libvirt accepts — only '/'
// is refused, virNetworkDefParseXML in src/conf/network_conf.c) become
// [A-Za-z0-9._+-] with every other byte written as %XX (UTF-8), so the mapping
// is one-to-one and reversible. FAT also refuses "<>:"/\|?*" and control
// characters, strips trailing dots and spaces, and reserves DOS device names
// (CON, PRN, AUX, NUL, COM1–9, LPT1–9, with any extension): all handled here.
// Two names that differ only in case are the same file on FAT/exFAT; the
// bundle's FileNamer (bundleFiles.ts) resolves such collisions.

import { utf8Bytes } from './utf8.ts';

const KEEP = /[A-Za-z0-9_+-]/;
const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;
/** Leaves room for an extension and a collision suffix under FAT's 255-character limit. */
const MAX_STEM = 180;

function encodeChar(ch: string): string {
  return Array.from(utf8Bytes(ch), (b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}

/** A FAT/exFAT-safe file name stem for `name` (no extension). */
export function fatSafeStem(name: string): string {
  let out = '';
  const chars = Array.from(name);
  chars.forEach((ch, i) => {
    // Inner dots are kept (deb.lab.xml reads well); a leading dot would hide the file and
    // a trailing one is stripped by FAT, so those are encoded.
    if (ch === '.' && i > 0 && i < chars.length - 1) out += ch;
    else out += KEEP.test(ch) ? ch : encodeChar(ch);
  });
  if (out === '') out = '%00empty';
  const base = out.split('.')[0];
  if (RESERVED.test(base)) out = encodeChar(out[0]) + out.slice(1);
  if (out.length > MAX_STEM) out = out.slice(0, MAX_STEM).replace(/%[0-9A-F]?$/, '');
  return out;
}
