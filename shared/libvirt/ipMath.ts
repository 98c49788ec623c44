// Address arithmetic for libvirt networks, on top of ipaddr.js (never hand-rolled).
// Strictness follows what libvirt accepts in practice: dotted-quad IPv4 and
// any RFC 4291 IPv6 text (getaddrinfo with AI_NUMERICHOST, src/util/virsocketaddr.c).

import ipaddr from 'ipaddr.js';

export type IpFamily = 'ipv4' | 'ipv6';
export type ParsedIp = ipaddr.IPv4 | ipaddr.IPv6;

/** Parses a dotted-quad IPv4 or an IPv6 address; null for anything else. */
export function parseIp(text: string): ParsedIp | null {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  if (text.includes(':') && ipaddr.IPv6.isValid(text)) return ipaddr.IPv6.parse(text);
  return null;
}

export function familyOf(ip: ParsedIp): IpFamily {
  return ip.kind() === 'ipv4' ? 'ipv4' : 'ipv6';
}

/** Canonical text (RFC 5952 for IPv6), as libvirt's virSocketAddrFormat prints it. */
export function formatIp(ip: ParsedIp): string {
  return ip.kind() === 'ipv6' ? (ip as ipaddr.IPv6).toRFC5952String() : ip.toString();
}

/** Number of leading one bits of a netmask, or -1 when the mask is not contiguous (virSocketAddrGetNumNetmaskBits). */
export function prefixFromNetmask(mask: ParsedIp): number {
  return mask.prefixLengthFromSubnetMask() ?? -1;
}

export function netmaskFromPrefix(prefix: number): string {
  return ipaddr.IPv4.subnetMaskFromPrefixLength(prefix).toString();
}

function toBigInt(ip: ParsedIp): bigint {
  let n = 0n;
  for (const byte of ip.toByteArray()) n = (n << 8n) | BigInt(byte);
  return n;
}

function bitsOf(family: IpFamily): number {
  return family === 'ipv4' ? 32 : 128;
}

function fromBigInt(n: bigint, family: IpFamily): ParsedIp {
  const bytes: number[] = [];
  for (let i = 0; i < bitsOf(family) / 8; i++) {
    bytes.unshift(Number(n & 0xffn));
    n >>= 8n;
  }
  return ipaddr.fromByteArray(bytes);
}

/** Compares two addresses of the same family numerically (negative, zero, positive). */
export function compareIp(a: ParsedIp, b: ParsedIp): number {
  const x = toBigInt(a);
  const y = toBigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export interface Subnet {
  family: IpFamily;
  prefix: number;
  /** First address (host bits zero). */
  network: ParsedIp;
  /** Last address (host bits one): the IPv4 broadcast address. */
  last: ParsedIp;
}

export function subnetOf(ip: ParsedIp, prefix: number): Subnet {
  const family = familyOf(ip);
  const bits = BigInt(bitsOf(family));
  const hostBits = bits - BigInt(prefix);
  const hostMask = (1n << hostBits) - 1n;
  const value = toBigInt(ip);
  return { family, prefix, network: fromBigInt(value & ~hostMask, family), last: fromBigInt(value | hostMask, family) };
}

export function subnetCidr(subnet: Subnet): string {
  return `${formatIp(subnet.network)}/${subnet.prefix}`;
}

export function inSubnet(ip: ParsedIp, subnet: Subnet): boolean {
  return familyOf(ip) === subnet.family && compareIp(ip, subnet.network) >= 0 && compareIp(ip, subnet.last) <= 0;
}

/** True when the two subnets share at least one address (one contains the other). */
export function subnetsOverlap(a: Subnet, b: Subnet): boolean {
  return a.family === b.family && compareIp(a.network, b.last) <= 0 && compareIp(b.network, a.last) <= 0;
}

export function sameIp(a: ParsedIp, b: ParsedIp): boolean {
  return familyOf(a) === familyOf(b) && compareIp(a, b) === 0;
}

/** Parses `addr/prefix` (either family); null when malformed. */
export function parseCidr(text: string): Subnet | null {
  const slash = text.indexOf('/');
  const ip = parseIp(slash === -1 ? text : text.slice(0, slash));
  if (!ip) return null;
  const max = bitsOf(familyOf(ip));
  const prefix = slash === -1 ? max : Number(text.slice(slash + 1));
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) return null;
  return subnetOf(ip, prefix);
}
