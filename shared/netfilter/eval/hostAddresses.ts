// The host's own addresses, for `-m addrtype`, nft `fib daddr type`, and the
// address MASQUERADE / REDIRECT pick. Address types follow the kernel's local
// routing table (net/ipv4/fib_frontend.c inet_addr_type_table): an address on
// one of the host's interfaces (and 127/8) is LOCAL, the limited broadcast,
// 0/8 and each subnet's broadcast are BROADCAST, 224/4 (ff00::/8) MULTICAST,
// anything else UNICAST. BLACKHOLE/UNREACHABLE/PROHIBIT depend on routes the
// evaluator does not see: asking for them is an unknown.

import type { Family } from '../model.ts';
import { formatWords, parseNet, type Words } from './addressNumbers.ts';
import type { EvalContext } from './packet.ts';

export const AT_UNICAST = 1;
export const AT_LOCAL = 2;
export const AT_BROADCAST = 4;
export const AT_MULTICAST = 8;

export const ADDRTYPE_BITS: Record<string, number> = {
  UNICAST: AT_UNICAST, LOCAL: AT_LOCAL, BROADCAST: AT_BROADCAST, MULTICAST: AT_MULTICAST,
};

interface Entry {
  iface: string;
  family: Family;
  words: Words;
  broadcast: Words | null;
  text: string;
}

export interface HostAddressInfo {
  /** false when the context gave no interfaces: LOCAL/UNICAST decisions are then unknown. */
  known: boolean;
  entries: Entry[];
  /** Interface → its addresses as written without prefix, primary first. */
  byInterface: Map<string, string[]>;
}

export function hostAddressInfo(context: EvalContext | undefined): HostAddressInfo {
  const info: HostAddressInfo = { known: context?.interfaces !== undefined, entries: [], byInterface: new Map() };
  for (const iface of context?.interfaces ?? []) {
    const texts: string[] = [];
    for (const a of iface.addresses) {
      const slash = a.indexOf('/');
      const bare = slash === -1 ? a : a.slice(0, slash);
      const full = parseNet(bare);
      let broadcast: Words | null = null;
      if (slash !== -1 && full.family === 'ipv4') {
        const net = parseNet(a);
        if (net.mask[0] !== 0xffffffff && net.mask[0] !== 0xfffffffe) broadcast = [(net.net[0] | ~net.mask[0]) >>> 0, 0, 0, 0];
      }
      info.entries.push({ iface: iface.name, family: full.family, words: full.net, broadcast, text: formatWords(full.family, full.net) });
      texts.push(formatWords(full.family, full.net));
    }
    info.byInterface.set(iface.name, texts);
  }
  return info;
}

function same(a: Words, b0: number, b1: number, b2: number, b3: number): boolean {
  return a[0] === b0 >>> 0 && a[1] === b1 >>> 0 && a[2] === b2 >>> 0 && a[3] === b3 >>> 0;
}

/**
 * Type bits of an address, or -1 when it depends on interfaces the context did not give.
 * `onlyIface`: `--limit-iface-in/out` / fib's `iif`/`oif` — LOCAL only for addresses of that interface.
 */
export function addressType(info: HostAddressInfo, v6: boolean, w0: number, w1: number, w2: number, w3: number, onlyIface: string | null): number {
  const a0 = w0 >>> 0;
  if (!v6) {
    if (a0 >>> 28 === 0xe) return AT_MULTICAST;
    if (a0 === 0xffffffff || a0 >>> 24 === 0) return AT_BROADCAST;
    if (a0 >>> 24 === 127) return AT_LOCAL;
  } else {
    if (a0 >>> 24 === 0xff) return AT_MULTICAST;
    if (a0 === 0 && w1 === 0 && w2 === 0 && w3 >>> 0 === 1) return AT_LOCAL;
  }
  if (!info.known) return -1;
  for (const e of info.entries) {
    if (e.family !== (v6 ? 'ipv6' : 'ipv4')) continue;
    if (onlyIface !== null && e.iface !== onlyIface) continue;
    if (same(e.words, w0, w1, w2, w3)) return AT_LOCAL;
    if (e.broadcast && same(e.broadcast, w0, w1, w2, w3)) return AT_BROADCAST;
  }
  return AT_UNICAST;
}

/** Primary address of an interface of the given family (MASQUERADE's choice; the ICMP error's source). */
export function primaryAddress(info: HostAddressInfo, iface: string | null, family: Family): string | null {
  if (iface === null) return null;
  for (const e of info.entries) if (e.iface === iface && e.family === family) return e.text;
  return null;
}
