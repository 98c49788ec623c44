// How values from the lab reach the generated shell: only through these
// functions. A lab may hold anything a user typed or imported (a network named
// `$(reboot)`, quotes, newlines, `;`, unicode), so every such value is either
// single-quoted (POSIX sh: nothing is special inside '…' except the quote
// itself, closed with '\'' — XCU 2.2.2) or checked against the kernel's/
// libvirt's own name rules before it is written (kernelNames.ts).

import { ExportError } from './exportError.ts';

const PLAIN = /^[A-Za-z0-9_./:=@%+,-]+$/;

/** A shell word for `value`: bare when it has only harmless characters, else single-quoted. */
export function shQuote(value: string): string {
  // sh cannot carry NUL in a word at all; refuse instead of truncating silently.
  if (value.includes('\0')) throw new ExportError([`value ${JSON.stringify(value)} contains a NUL character`]);
  if (PLAIN.test(value) && !value.startsWith('-') && !value.startsWith('=')) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Always single-quoted (for values embedded in printf formats or variable assignments). */
export function shQuoteAlways(value: string): string {
  if (value.includes('\0')) throw new ExportError([`value ${JSON.stringify(value)} contains a NUL character`]);
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * Text safe inside a `#` comment line (shell, iptables-restore, nft, sysctl.d, README):
 * control characters — above all newlines, which would end the comment and make the rest a
 * command or a rule — and the Unicode line/paragraph separators and bidi overrides (which
 * can make a comment display differently from what the tool reads) become spaces.
 */
export function commentText(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, ' ');
}
