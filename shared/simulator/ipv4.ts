// IPv4 addresses as unsigned 32-bit numbers for the simulator's hot paths
// (route lookups, prefix tests, NAT bindings). Parsing goes through ipaddr.js
// (one validated parser for the whole app); everything after parsing is
// integer arithmetic, so a flow never compares address strings.
//
// The simulator is IPv4-only: the story, libvirt's REJECT/NAT behaviour and
// the reachability questions of issue 5 are about IPv4 guests. IPv6 addresses
// in a lab are listed as "not simulated" by the topology builder.

import ipaddr from 'ipaddr.js';

export interface Ipv4Prefix {
  /** Network address (host bits cleared). */
  network: number;
  prefix: number;
  /** The address as written (for `192.168.10.1/24` this is 192.168.10.1). */
  address: number;
  /** Canonical `network/prefix` text. */
  text: string;
}

export class Ipv4Error extends Error {
  constructor(
    readonly value: string,
    problem: string,
  ) {
    super(`${JSON.stringify(value)}: ${problem}`);
    this.name = 'Ipv4Error';
  }
}

export function isIpv4(text: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(text);
}

export function parseIpv4(text: string): number {
  const trimmed = text.trim();
  if (!ipaddr.IPv4.isValidFourPartDecimal(trimmed)) throw new Ipv4Error(text, 'not an IPv4 address (expected a.b.c.d)');
  const o = ipaddr.IPv4.parse(trimmed).octets;
  return ((o[0] << 24) | (o[1] << 16) | (o[2] << 8) | o[3]) >>> 0;
}

export function formatIpv4(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

export function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

export function inPrefix(address: number, network: number, prefix: number): boolean {
  return ((address & maskOf(prefix)) >>> 0) === network;
}

/** Prefix length of a dotted netmask (`255.255.255.0` → 24); throws for non-contiguous masks. */
export function prefixFromNetmask(netmask: string): number {
  const n = parseIpv4(netmask);
  let prefix = 0;
  while (prefix < 32 && (n & (0x80000000 >>> prefix)) !== 0) prefix++;
  if (maskOf(prefix) !== n) throw new Ipv4Error(netmask, 'not a contiguous netmask');
  return prefix;
}

/** `192.168.10.1/24`, `192.168.10.0/255.255.255.0`, or a bare address (= /32). */
export function parseIpv4Prefix(text: string): Ipv4Prefix {
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  const address = parseIpv4(slash === -1 ? trimmed : trimmed.slice(0, slash));
  let prefix = 32;
  if (slash !== -1) {
    const p = trimmed.slice(slash + 1);
    if (/^\d{1,2}$/.test(p)) prefix = Number(p);
    else if (p.includes('.')) prefix = prefixFromNetmask(p);
    else throw new Ipv4Error(text, `prefix length "${p}" is not a number`);
    if (prefix > 32) throw new Ipv4Error(text, `prefix length ${prefix} is larger than 32`);
  }
  const network = (address & maskOf(prefix)) >>> 0;
  return { network, prefix, address, text: `${formatIpv4(network)}/${prefix}` };
}

/** `default` → 0.0.0.0/0, else parseIpv4Prefix. */
export function parseRouteDestination(text: string): Ipv4Prefix {
  return text.trim() === 'default' ? { network: 0, prefix: 0, address: 0, text: 'default' } : parseIpv4Prefix(text);
}

export function broadcastOf(network: number, prefix: number): number {
  return (network | (~maskOf(prefix) >>> 0)) >>> 0;
}

/**
 * Address ranges nobody routes on the internet (RFC 1918 private, RFC 6598
 * shared, RFC 3927 link-local, loopback): a reply to such a source that was not
 * masqueraded on the way out never comes back.
 */
const NON_ROUTED: readonly (readonly [number, number])[] = [
  [parseIpv4('10.0.0.0'), 8],
  [parseIpv4('172.16.0.0'), 12],
  [parseIpv4('192.168.0.0'), 16],
  [parseIpv4('100.64.0.0'), 10],
  [parseIpv4('169.254.0.0'), 16],
  [parseIpv4('127.0.0.0'), 8],
];

export function isNonRoutedOnInternet(address: number): boolean {
  return NON_ROUTED.some(([net, prefix]) => inPrefix(address, net, prefix));
}
