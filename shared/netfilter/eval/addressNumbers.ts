// Addresses as numbers for the compiled form: IPv4 in one unsigned 32-bit word,
// IPv6 in four (w0 most significant). Prefixes and dotted masks become a mask
// per word, ranges become inclusive word tuples. Parsing goes through ipaddr.js
// once at compile time; matching is integer arithmetic only.

import ipaddr from 'ipaddr.js';
import type { Family } from '../model.ts';

/** Four 32-bit words; IPv4 uses w0 only. */
export type Words = [number, number, number, number];

export interface NumericAddress {
  family: Family;
  words: Words;
}

/** Network + mask, one per word (masks need not be contiguous: iptables accepts dotted masks). */
export interface NumericNet {
  family: Family;
  net: Words;
  mask: Words;
}

export interface NumericRange {
  family: Family;
  from: Words;
  to: Words;
}

export class AddressSyntaxError extends Error {
  constructor(readonly value: string, why: string) {
    super(`${JSON.stringify(value)}: ${why}`);
    this.name = 'AddressSyntaxError';
  }
}

function bytesToWords(bytes: number[]): Words {
  const w: Words = [0, 0, 0, 0];
  for (let i = 0; i < bytes.length; i++) {
    const word = i >> 2;
    w[word] = ((w[word] << 8) | bytes[i]) >>> 0;
  }
  return w;
}

/** Plain dotted quad without leading zeros, parsed by hand (the common case; no ipaddr.js objects). */
function quickIpv4(text: string): number | null {
  let value = 0;
  let part = 0;
  let digits = 0;
  let parts = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || part > 255 || parts === 4) return null;
      value = value * 256 + part;
      parts++;
      part = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && part === 0) return null; // leading zero: let ipaddr.js decide
      part = part * 10 + (c - 48);
      digits++;
    } else return null;
  }
  return parts === 4 ? value : null;
}

export function parseAddress(text: string): NumericAddress {
  const quick = quickIpv4(text);
  if (quick !== null) return { family: 'ipv4', words: [quick, 0, 0, 0] };
  let addr: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    addr = ipaddr.parse(text.trim());
  } catch {
    throw new AddressSyntaxError(text, 'not an IPv4 or IPv6 address');
  }
  if (addr.kind() === 'ipv4') {
    // A four-part dotted address only: ipaddr.js also reads "10" or "0x0a.1" (inet_aton forms), iptables prints neither.
    if (!ipaddr.IPv4.isValidFourPartDecimal(text.trim())) throw new AddressSyntaxError(text, 'not a dotted-quad IPv4 address');
    return { family: 'ipv4', words: bytesToWords(addr.toByteArray()) };
  }
  return { family: 'ipv6', words: bytesToWords(addr.toByteArray()) };
}

export function prefixMask(family: Family, length: number): Words {
  const bits = family === 'ipv4' ? 32 : 128;
  if (!Number.isInteger(length) || length < 0 || length > bits) throw new AddressSyntaxError(String(length), `prefix length must be 0..${bits}`);
  const mask: Words = [0, 0, 0, 0];
  for (let i = 0; i < 4; i++) {
    const left = length - i * 32;
    mask[i] = left >= 32 ? 0xffffffff : left <= 0 ? 0 : (0xffffffff << (32 - left)) >>> 0;
  }
  return mask;
}

/** `10.0.0.0/8`, `10.0.0.0/255.0.0.0` (iptables dotted mask), `fd00::/64`, or a bare address (/32, /128). */
export function parseNet(text: string): NumericNet {
  const slash = text.indexOf('/');
  const addr = parseAddress(slash === -1 ? text : text.slice(0, slash));
  let mask: Words;
  if (slash === -1) mask = prefixMask(addr.family, addr.family === 'ipv4' ? 32 : 128);
  else {
    const m = text.slice(slash + 1).trim();
    if (/^\d+$/.test(m)) mask = prefixMask(addr.family, Number(m));
    else {
      const dotted = parseAddress(m);
      if (dotted.family !== addr.family) throw new AddressSyntaxError(text, 'mask family differs from the address');
      mask = dotted.words;
    }
  }
  const net: Words = [0, 0, 0, 0];
  for (let i = 0; i < 4; i++) net[i] = (addr.words[i] & mask[i]) >>> 0;
  return { family: addr.family, net, mask };
}

/** `a-b` (iprange, nft ranges). */
export function parseRange(from: string, to: string): NumericRange {
  const a = parseAddress(from);
  const b = parseAddress(to);
  if (a.family !== b.family) throw new AddressSyntaxError(`${from}-${to}`, 'range ends are of different families');
  if (compareWords(a.words, b.words) > 0) throw new AddressSyntaxError(`${from}-${to}`, 'range start is above its end');
  return { family: a.family, from: a.words, to: b.words };
}

export function compareWords(a: Words, b: Words): number {
  for (let i = 0; i < 4; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

/** Back to text for traces and NAT decisions. */
export function formatWords(family: Family, w: Words): string {
  if (family === 'ipv4') return `${w[0] >>> 24}.${(w[0] >>> 16) & 255}.${(w[0] >>> 8) & 255}.${w[0] & 255}`;
  const parts: number[] = [];
  for (const x of w) parts.push(x >>> 16, x & 0xffff);
  return ipaddr.fromByteArray(parts.flatMap((p) => [p >> 8, p & 255])).toString();
}

/** Canonical text of an address (for comparing interface addresses with packet addresses). */
export function canonicalAddress(text: string): string {
  const a = parseAddress(text);
  return formatWords(a.family, a.words);
}
