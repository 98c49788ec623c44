// Building blocks shared by the lab → world and snapshot → world builders:
// interfaces with their connected routes, listening services, segments, and
// the nodes beyond the host (an upstream router, the internet host, a host on
// the LAN) with the assumptions they stand for.

import { formatIpv4, maskOf, parseIpv4Prefix, type Ipv4Prefix } from './ipv4.ts';
import { sortRoutes } from './routeLookup.ts';
import type { Assumption, Listens, NodeAddress, NodeInterface, Segment, SegmentMember, SimNode, SimRoute, World } from './world.ts';

export function nodeAddress(text: string): NodeAddress {
  const p = parseIpv4Prefix(text);
  return { address: p.address, prefix: p.prefix, network: p.network, text: `${formatIpv4(p.address)}/${p.prefix}` };
}

export function addressOf(address: number, prefix: number): NodeAddress {
  const network = (address & maskOf(prefix)) >>> 0;
  return { address, prefix, network, text: `${formatIpv4(address)}/${prefix}` };
}

/** The kernel's `proto kernel scope link` routes for each address of each up interface. */
export function connectedRoutes(interfaces: readonly NodeInterface[]): SimRoute[] {
  const out: SimRoute[] = [];
  for (const i of interfaces) {
    if (!i.up || i.name === 'lo') continue;
    for (const a of i.addresses) {
      if (a.prefix === 32) continue;
      if (out.some((r) => r.network === a.network && r.prefix === a.prefix && r.dev === i.name)) continue;
      out.push({ network: a.network, prefix: a.prefix, dev: i.name, metric: 0, type: 'unicast', src: a.address, text: `${formatIpv4(a.network)}/${a.prefix} dev ${i.name} proto kernel scope link src ${formatIpv4(a.address)}`, origin: 'connected' });
    }
  }
  return out;
}

export function route(dest: Ipv4Prefix, dev: string, via: number | undefined, metric: number, origin: SimRoute['origin']): SimRoute {
  const d = dest.prefix === 0 ? 'default' : `${formatIpv4(dest.network)}/${dest.prefix}`;
  return { network: dest.network, prefix: dest.prefix, via, dev, metric, type: 'unicast', text: `${d}${via !== undefined ? ` via ${formatIpv4(via)}` : ''} dev ${dev}${metric ? ` metric ${metric}` : ''}`, origin };
}

/** The interface whose connected subnet holds `address` (where `ip route add … via address` would resolve it). */
export function interfaceForNextHop(interfaces: readonly NodeInterface[], address: number): NodeInterface | undefined {
  return interfaces.find((i) => i.up && i.name !== 'lo' && i.addresses.some((a) => a.prefix < 32 && ((address & maskOf(a.prefix)) >>> 0) === a.network));
}

/** `icmp`, `tcp/22`, `udp/53` → Listens; unknown entries are skipped (the lab validator reports them). */
export function listensFrom(specs: readonly string[], source: string, echo: boolean): Listens {
  const tcp = new Set<number>();
  const udp = new Set<number>();
  let hasIcmp = false;
  for (const s of specs) {
    const t = s.trim().toLowerCase();
    if (t === 'icmp' || t === 'ping') hasIcmp = true;
    const m = /^(tcp|udp)\/(\d{1,5})$/.exec(t);
    if (m) (m[1] === 'tcp' ? tcp : udp).add(Number(m[2]));
  }
  return { echo: echo || hasIcmp, tcp, udp, source };
}

export function iface(name: string, addresses: NodeAddress[], segment: string | null, forwarding = false, rpFilter: 0 | 1 | 2 = 0): NodeInterface {
  return { name, addresses, up: true, forwarding, rpFilter, segment };
}

export class WorldBuilder {
  readonly nodes = new Map<string, SimNode>();
  readonly segments = new Map<string, Segment>();
  readonly assumptions: Assumption[] = [];
  readonly notes: string[] = [];

  constructor(readonly hostId: string) {}

  addNode(node: SimNode): SimNode {
    node.routes = sortRoutes(node.routes);
    this.nodes.set(node.id, node);
    return node;
  }

  segment(id: string, kind: Segment['kind'], bridge?: string): Segment {
    let s = this.segments.get(id);
    if (!s) {
      s = { id, kind, members: [], ...(bridge ? { bridge } : {}) };
      this.segments.set(id, s);
    }
    return s;
  }

  join(segmentId: string, member: SegmentMember): void {
    const s = this.segments.get(segmentId);
    if (!s) throw new Error(`simulator: no segment ${segmentId}`);
    s.members.push(member);
  }

  assume(text: string, nodes: string[]): void {
    if (!this.assumptions.some((a) => a.text === text)) this.assumptions.push({ text, nodes });
  }

  build(brNetfilter: boolean): World {
    return { nodes: this.nodes, segments: this.segments, hostId: this.hostId, brNetfilter, assumptions: this.assumptions, notes: this.notes };
  }
}

/** The internet side of the world: a /24 around the internet host, the router's address in it. */
export function internetSide(internet: number, taken: readonly number[]): { prefix: number; routerAddress: (i: number) => number } {
  const net = (internet & 0xffffff00) >>> 0;
  const free: number[] = [];
  for (let host = 1; host < 255 && free.length < 16; host++) {
    const a = (net | host) >>> 0;
    if (a !== internet && !taken.includes(a)) free.push(a);
  }
  return { prefix: 24, routerAddress: (i) => free[i] ?? free[0] };
}
