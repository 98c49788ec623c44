// Routing on one node as the Linux kernel does it for IPv4 (net/ipv4/route.c,
// fib_frontend.c, fib_trie.c):
// - the local table first: a destination that is one of the node's addresses
//   (on any interface — Linux is a weak-end host) or a broadcast is delivered
//   locally;
// - then the main table: longest prefix wins, then the lowest metric;
// - source validation (fib_validate_source): with rp_filter 0 only a source
//   that is one of the node's own addresses is refused (martian); strict (1)
//   needs the reverse route to leave by the interface the packet came in on;
//   loose (2) needs any unicast reverse route. No route or a blackhole /
//   unreachable / prohibit route for the source fails both.
// Policy routing rules are not modelled (the main table only).

import { broadcastOf, formatIpv4, inPrefix } from './ipv4.ts';
import type { NodeInterface, SimNode, SimRoute } from './world.ts';

export type RouteResult =
  | { kind: 'local'; iface: NodeInterface | null }
  | { kind: 'broadcast'; iface: NodeInterface | null }
  | { kind: 'route'; route: SimRoute; iface: NodeInterface; nextHop: number }
  /** A route whose type makes the kernel refuse the packet (blackhole: silent; unreachable/prohibit: ICMP). */
  | { kind: 'reject-route'; route: SimRoute }
  | { kind: 'none' };

/** Longest prefix first, then lowest metric; stable for equal keys (configuration order). */
export function sortRoutes(routes: SimRoute[]): SimRoute[] {
  return routes
    .map((r, i) => ({ r, i }))
    .sort((a, b) => b.r.prefix - a.r.prefix || a.r.metric - b.r.metric || a.i - b.i)
    .map((x) => x.r);
}

export function interfaceByName(node: SimNode, name: string): NodeInterface | undefined {
  return node.interfaces.find((i) => i.name === name);
}

/** The interface holding `address`, when it is one of the node's own (up) addresses. */
export function localInterfaceOf(node: SimNode, address: number): NodeInterface | null {
  for (const iface of node.interfaces) {
    if (!iface.up) continue;
    for (const a of iface.addresses) if (a.address === address) return iface;
  }
  return null;
}

export function isLocalAddress(node: SimNode, address: number): boolean {
  return localInterfaceOf(node, address) !== null;
}

function broadcastInterface(node: SimNode, address: number): NodeInterface | null | undefined {
  if (address === 0xffffffff) return null;
  for (const iface of node.interfaces) {
    if (!iface.up) continue;
    for (const a of iface.addresses) if (a.prefix < 31 && broadcastOf(a.network, a.prefix) === address) return iface;
  }
  return undefined;
}

/** Main-table lookup only (no local addresses): what `ip route get` shows for a remote destination. */
export function lookupMain(node: SimNode, dst: number): SimRoute | null {
  // node.routes is kept sorted (sortRoutes) by the world builder.
  for (const r of node.routes) {
    if (!inPrefix(dst, r.network, r.prefix)) continue;
    if (r.type === 'unicast') {
      const iface = interfaceByName(node, r.dev);
      if (!iface || !iface.up) continue; // routes over a down link are not used (RTNH_F_LINKDOWN)
    }
    return r;
  }
  return null;
}

export function lookupRoute(node: SimNode, dst: number): RouteResult {
  const local = localInterfaceOf(node, dst);
  if (local) return { kind: 'local', iface: local };
  const bcast = broadcastInterface(node, dst);
  if (bcast !== undefined) return { kind: 'broadcast', iface: bcast };
  const r = lookupMain(node, dst);
  if (!r) return { kind: 'none' };
  if (r.type !== 'unicast') return { kind: 'reject-route', route: r };
  const iface = interfaceByName(node, r.dev) as NodeInterface;
  return { kind: 'route', route: r, iface, nextHop: r.via ?? dst };
}

/**
 * The source address the kernel picks for a packet the node sends by `route`
 * (prefsrc, else the interface's primary address in the next hop's subnet,
 * else its primary address — inet_select_addr).
 */
export function selectSource(node: SimNode, iface: NodeInterface, route: SimRoute | null, nextHop: number): number | null {
  if (route?.src !== undefined) return route.src;
  const inSubnet = iface.addresses.find((a) => inPrefix(nextHop, a.network, a.prefix));
  if (inSubnet) return inSubnet.address;
  if (iface.addresses.length > 0) return iface.addresses[0].address;
  for (const other of node.interfaces) if (other.up && other.name !== 'lo' && other.addresses.length > 0) return other.addresses[0].address;
  return null;
}

export type SourceCheck = { ok: true } | { ok: false; reason: string };

/** fib_validate_source for a packet from `src` arriving on `iface` (see the header comment). */
export function validateSource(node: SimNode, iface: NodeInterface, src: number): SourceCheck {
  const mode = iface.rpFilter;
  if (mode === 0) {
    if (isLocalAddress(node, src)) return { ok: false, reason: `source ${formatIpv4(src)} is one of ${node.label}'s own addresses (martian source)` };
    return { ok: true };
  }
  const label = mode === 1 ? 'strict' : 'loose';
  const reverse = isLocalAddress(node, src) ? null : lookupMain(node, src);
  if (!reverse) return { ok: false, reason: `rp_filter=${mode} (${label}) on ${iface.name}: no route back to ${formatIpv4(src)}` };
  if (reverse.type !== 'unicast') return { ok: false, reason: `rp_filter=${mode} (${label}) on ${iface.name}: the route back to ${formatIpv4(src)} is ${reverse.type} (${reverse.text})` };
  if (reverse.dev === iface.name) return { ok: true };
  if (mode === 2) return { ok: true };
  return {
    ok: false,
    reason: `rp_filter=1 (strict) on ${iface.name}: the best route back to ${formatIpv4(src)} leaves by ${reverse.dev} (${reverse.text}), not by ${iface.name}`,
  };
}
