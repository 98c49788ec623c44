// Nodes beyond the host's own stack: routers on the host's LAN (the upstream
// gateway) and what the host listens on (its own services plus libvirt's
// dnsmasq, which binds DNS and DHCP to each bridge's addresses —
// bind-dynamic + interface=virbrN in the dnsmasq config libvirt writes).

import type { HostInterface, LabRoute } from '../lab/labModel.ts';
import { formatIpv4, isIpv4, parseIpv4, parseIpv4Prefix, parseRouteDestination } from './ipv4.ts';
import type { SimNetwork } from './simNetwork.ts';
import type { Listens, NodeInterface, SimNode } from './world.ts';
import { addressOf, connectedRoutes, interfaceForNextHop, listensFrom, route, type WorldBuilder } from './worldBuilder.ts';

export interface RouterSpec {
  id: string;
  label: string;
  lanAddress: number;
  /** Address on the internet side (absent: no internet side). */
  wanAddress?: number;
  routes: readonly LabRoute[];
  masquerade: readonly string[];
  listens: Listens;
  /** The host's interfaces as configured (to find a host bridge's physical port). */
  uplinkPorts: readonly HostInterface[];
}

/** Puts a router on the host segment that holds `lanAddress`; null (with a note) when no host network holds it. */
export function attachRouter(b: WorldBuilder, host: SimNode, spec: RouterSpec): SimNode | null {
  const hostIface = interfaceForNextHop(host.interfaces, spec.lanAddress);
  if (!hostIface || !hostIface.segment) {
    b.notes.push(`${spec.label}: ${formatIpv4(spec.lanAddress)} is on none of the host's networks, so the host cannot reach it`);
    return null;
  }
  const a = hostIface.addresses.find((x) => x.prefix < 32 && ((spec.lanAddress & (0xffffffff << (32 - x.prefix))) >>> 0) === x.network)!;
  const lan: NodeInterface = { name: 'lan0', addresses: [addressOf(spec.lanAddress, a.prefix)], up: true, forwarding: true, rpFilter: 0, segment: hostIface.segment };
  const interfaces = [lan];
  if (spec.wanAddress !== undefined) {
    b.segment('wan', 'wire');
    interfaces.push({ name: 'wan0', addresses: [addressOf(spec.wanAddress, 24)], up: true, forwarding: true, rpFilter: 0, segment: 'wan' });
  }
  const node: SimNode = { id: spec.id, role: 'router', label: spec.label, interfaces, routes: connectedRoutes(interfaces), listens: spec.listens };
  for (const r of spec.routes) {
    const via = r.via && isIpv4(r.via) ? parseIpv4(r.via) : undefined;
    const dev = r.dev && interfaces.some((i) => i.name === r.dev) ? r.dev : via !== undefined ? interfaceForNextHop(interfaces, via)?.name : undefined;
    if (!dev) {
      b.notes.push(`${spec.label}: route ${r.destination}${r.via ? ` via ${r.via}` : ''} has a next hop on none of its networks; ignored`);
      continue;
    }
    node.routes.push(route(parseRouteDestination(r.destination), dev, via, r.metric ?? 0, 'configured'));
  }
  const sources = spec.masquerade.filter((m) => isIpv4(m.split('/')[0])).map((m) => parseIpv4Prefix(m));
  if (sources.length && spec.wanAddress !== undefined) node.masquerade = { dev: 'wan0', sources };
  b.addNode(node);
  const seg = b.segments.get(hostIface.segment)!;
  if (seg.kind === 'bridge') {
    const cfg = spec.uplinkPorts.find((i) => i.name === seg.bridge);
    const port = cfg?.ports?.find((p) => !p.startsWith('vnet')) ?? `${spec.id}-port`;
    b.join(seg.id, { node: spec.id, iface: 'lan0', port });
  } else b.join(seg.id, { node: spec.id, iface: 'lan0' });
  if (spec.wanAddress !== undefined) b.join('wan', { node: spec.id, iface: 'wan0' });
  return node;
}

export function hostListens(specs: readonly string[], running: readonly SimNetwork[], bridgeOf: ReadonlyMap<string, string>): Listens {
  const base = listensFrom(specs, "the lab's host services and libvirt's dnsmasq", true);
  const explicit = new Set(specs.map((x) => x.trim().toLowerCase()));
  const boundTo = new Map<string, Set<number>>();
  const bind = (key: string, addresses: number[]): void => {
    if (explicit.has(key)) return;
    let set = boundTo.get(key);
    if (!set) boundTo.set(key, (set = new Set()));
    for (const a of addresses) set.add(a);
  };
  for (const n of running) {
    if (!bridgeOf.has(n.id) || n.mode === 'bridge') continue;
    const addrs = n.ipv4.map((a) => a.address);
    if (!addrs.length) continue;
    if (n.dnsEnabled) {
      bind('udp/53', addrs);
      bind('tcp/53', addrs);
    }
    if (n.dhcpRanges.length) bind('udp/67', addrs);
  }
  const tcp = new Set(base.tcp);
  const udp = new Set(base.udp);
  for (const key of boundTo.keys()) {
    const [proto, port] = key.split('/');
    (proto === 'tcp' ? tcp : udp).add(Number(port));
  }
  return { ...base, tcp, udp, ...(boundTo.size ? { boundTo } : {}) };
}
