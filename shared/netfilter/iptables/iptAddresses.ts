// Addresses as iptables stores and prints them: `-s 10.1.2.3/255.255.0.0` is
// kept as network 10.1.0.0/16 (the kernel stores address & mask), a host gets
// /32 or /128, IPv6 is printed the way glibc inet_ntop does (RFC 5952 style:
// longest run of ≥2 zero groups compressed, lowercase, ::ffff:a.b.c.d kept
// dotted). Checked against `iptables-save` 1.8.9 in a namespace
// (`-s 10.1.2.3/255.255.0.0` → `-s 10.1.0.0/16`, `-d 1.2.3.4` → `-d 1.2.3.4/32`).
// Host names are not resolved (iptables would ask DNS); they are an error here.

import type { Family } from '../model.ts';

export function parseIpv4(text: string): number | null {
  // Hand-rolled: this runs for every -s/-d of a 10k-rule dump.
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      part = part * 10 + (c - 48);
      if (++digits > 3 || part > 255) return null;
    } else if (c === 46) {
      if (digits === 0 || ++dots > 3) return null;
      value = value * 256 + part;
      part = 0;
      digits = 0;
    } else return null;
  }
  if (dots !== 3 || digits === 0) return null;
  return value * 256 + part;
}

export function formatIpv4(value: number): string {
  return `${Math.floor(value / 16777216) % 256}.${Math.floor(value / 65536) % 256}.${Math.floor(value / 256) % 256}.${value % 256}`;
}

/** Eight 16-bit groups, or null. Accepts `::` and a dotted quad as the last 32 bits. */
export function parseIpv6(text: string): number[] | null {
  if (text.length > 45 || !/^[0-9A-Fa-f:.]+$/.test(text)) return null;
  let body = text;
  if (text.includes('.')) {
    const lastColon = text.lastIndexOf(':');
    const v4 = parseIpv4(text.slice(lastColon + 1));
    if (v4 === null || lastColon < 0) return null;
    body = `${text.slice(0, lastColon + 1)}${Math.floor(v4 / 65536).toString(16)}:${(v4 % 65536).toString(16)}`;
  }
  const halves = body.split('::');
  if (halves.length > 2) return null;
  const parseGroups = (s: string): number[] | null => {
    if (s === '') return [];
    const out: number[] = [];
    for (const g of s.split(':')) {
      if (!/^[0-9A-Fa-f]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  if (halves.length === 2) {
    const left = parseGroups(halves[0]);
    const right = parseGroups(halves[1]);
    if (!left || !right || left.length + right.length > 7) return null;
    return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  }
  const all = parseGroups(body);
  return all && all.length === 8 ? all : null;
}

/** glibc inet_ntop(AF_INET6) output. */
export function formatIpv6(groups: number[]): string {
  let bestBase = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestBase = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestLen < 2) bestBase = -1;
  // inet_ntop keeps an IPv4-compatible/-mapped tail dotted.
  if (bestBase === 0 && (bestLen === 6 || (bestLen === 5 && groups[5] === 0xffff))) {
    const v4 = formatIpv4(groups[6] * 65536 + groups[7]);
    return bestLen === 6 ? `::${v4}` : `::ffff:${v4}`;
  }
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestBase) {
      out += '::';
      i += bestLen - 1;
      continue;
    }
    if (out !== '' && !out.endsWith(':')) out += ':';
    out += groups[i].toString(16);
  }
  return out;
}

const PREFIX_MASKS_V4: readonly number[] = Array.from({ length: 33 }, (_, len) => (len === 0 ? 0 : 0xffffffff - (2 ** (32 - len) - 1)));
const MASK_LENGTHS_V4 = new Map(PREFIX_MASKS_V4.map((m, len) => [m, len]));

function maskLengthV4(mask: number): number | null {
  return MASK_LENGTHS_V4.get(mask) ?? null;
}

export function prefixMaskV4(len: number): number {
  return PREFIX_MASKS_V4[len];
}

function applyMaskV4(addr: number, mask: number): number {
  // Bitwise ops are 32-bit signed in JS; >>> 0 brings the result back to unsigned.
  return (addr & mask) >>> 0;
}

/** Canonical `-s`/`-d` value: `a.b.c.d/len` (dotted mask kept only when not contiguous, as iptables prints it). */
export function canonicalAddressMask(text: string, family: Family): string {
  const slash = text.indexOf('/');
  const addrText = slash < 0 ? text : text.slice(0, slash);
  const maskText = slash < 0 ? null : text.slice(slash + 1);
  if (family === 'ipv4') {
    const addr = parseIpv4(addrText);
    if (addr === null) {
      if (parseIpv6(addrText)) throw new Error(`"${text}" is an IPv6 address in an IPv4 rule (use ip6tables)`);
      throw new Error(`"${text}" is not an IPv4 address or network (host names are not resolved)`);
    }
    let mask = 0xffffffff;
    if (maskText !== null) {
      if (/^\d{1,2}$/.test(maskText) && Number(maskText) <= 32) mask = prefixMaskV4(Number(maskText));
      else {
        const m = parseIpv4(maskText);
        if (m === null) throw new Error(`"${maskText}" is not a valid netmask or prefix length (0-32)`);
        mask = m;
      }
    }
    const net = applyMaskV4(addr, mask);
    const len = maskLengthV4(mask);
    return `${formatIpv4(net)}/${len === null ? formatIpv4(mask) : len}`;
  }
  const groups = parseIpv6(addrText);
  if (!groups) {
    if (parseIpv4(addrText) !== null) throw new Error(`"${text}" is an IPv4 address in an IPv6 rule (use iptables)`);
    throw new Error(`"${text}" is not an IPv6 address or network (host names are not resolved)`);
  }
  let len = 128;
  if (maskText !== null) {
    if (!/^\d{1,3}$/.test(maskText) || Number(maskText) > 128) throw new Error(`"${maskText}" is not a valid prefix length (0-128)`);
    len = Number(maskText);
  }
  const masked = groups.map((g, i) => {
    const bits = Math.max(0, Math.min(16, len - i * 16));
    return bits === 16 ? g : bits === 0 ? 0 : g & (0xffff - (2 ** (16 - bits) - 1));
  });
  return `${formatIpv6(masked)}/${len}`;
}

/**
 * Canonical `-m conntrack --ctorigsrc/--ctorigdst/--ctreplsrc/--ctrepldst` value as iptables-save
 * 1.8.9 prints it (libxt_conntrack conntrack_dump_addr, checked with real iptables-save legacy and
 * nft): the address as written, not masked (`10.1.2.3/8`); a contiguous mask as its length, none
 * for a full one (`192.168.90.10`, `fd00:90::10`); a non-contiguous mask is lost — the kernel then
 * matches the address exactly (`--ctorigdst 127.1.0.5/255.0.255.0` let 127.0.0.5 pass, checked in a netns).
 */
export function canonicalConntrackAddress(text: string, family: Family): string {
  const masked = canonicalAddressMask(text, family);
  const slash = text.indexOf('/');
  const host = canonicalHost(slash < 0 ? text : text.slice(0, slash), family);
  const len = masked.slice(masked.indexOf('/') + 1);
  if (!/^\d+$/.test(len) || len === (family === 'ipv4' ? '32' : '128')) return host;
  return `${host}/${len}`;
}

/** Plain address (no mask) of the given family, canonical; for ranges and NAT targets. */
export function canonicalHost(text: string, family: Family): string {
  if (family === 'ipv4') {
    const a = parseIpv4(text);
    if (a === null) throw new Error(`"${text}" is not an IPv4 address`);
    return formatIpv4(a);
  }
  const g = parseIpv6(text);
  if (!g) throw new Error(`"${text}" is not an IPv6 address`);
  return formatIpv6(g);
}

/** Guess from text: does it contain an IPv6 address (used when no header or option says the family)? */
export function looksLikeIpv6(value: string): boolean {
  const v = value.replace(/^!/, '').split('/')[0];
  return v.includes(':') && parseIpv6(v.replace(/^\[|\]$/g, '')) !== null;
}
