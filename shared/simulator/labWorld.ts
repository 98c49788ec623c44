// Lab (designer mode) → World: the KVM host with its interfaces, the bridges of
// the running libvirt networks and their vnet ports, Docker's bridges and
// containers while dockerd runs (dockerWorld.ts), the guests (static address
// or a DHCP lease), the upstream gateway with its routes and masquerading, other
// routers the host routes through, and the internet host behind them.
//
// Assumptions the lab implies are spelled out (world.assumptions), e.g.
// "gateway 192.168.90.1 routes 192.168.10.0/24 back via 192.168.90.10".

import type { Lab } from '../lab/labModel.ts';
import { addDockerContainers, dockerWorld } from './dockerWorld.ts';
import { assignGuestAddresses } from './guestAddresses.ts';
import { compileNodeFilter } from './hostFilter.ts';
import { parseRuleset } from '../netfilter/parseRuleset.ts';
import { forwardingOf, rpFilterOf, sysctlNote, type HostRuntime } from './hostRuntime.ts';
import { formatIpv4, inPrefix, isIpv4, parseIpv4, parseIpv4Prefix, parseRouteDestination } from './ipv4.ts';
import { lookupMain } from './routeLookup.ts';
import { hasLibvirtBridge, simNetwork, type SimNetwork } from './simNetwork.ts';
import type { Listens, NodeAddress, NodeInterface, SimNode, SimRoute, World } from './world.ts';
import { addressOf, connectedRoutes, iface, interfaceForNextHop, internetSide, listensFrom, nodeAddress, route, WorldBuilder } from './worldBuilder.ts';
import { attachRouter, hostListens } from './worldNodes.ts';

export const HOST_ID = 'host';
export const GATEWAY_ID = 'gateway';
export const INTERNET_ID = 'internet';

export function guestNodeId(guestId: string): string {
  return `guest:${guestId}`;
}

function ipv4Addresses(texts: readonly string[], notes: string[], owner: string): NodeAddress[] {
  const out: NodeAddress[] = [];
  for (const t of texts) {
    const bare = t.split('/')[0];
    if (!isIpv4(bare)) {
      if (!notes.some((n) => n.startsWith('IPv6'))) notes.push(`IPv6 is not simulated (e.g. ${t} on ${owner})`);
      continue;
    }
    out.push(nodeAddress(t.includes('/') ? t : `${t}/32`));
  }
  return out;
}

export function buildLabWorld(lab: Lab, runtime: HostRuntime): World {
  const b = new WorldBuilder(HOST_ID);
  const s = runtime.sysctls;
  const networks = new Map<string, SimNetwork>(lab.networks.map((n) => [n.id, simNetwork(n)]));
  const running = new Set(runtime.runningNetworkIds.filter((id) => networks.has(id) && networks.get(id)!.problems.length === 0));
  for (const n of networks.values()) if (n.problems.length) b.notes.push(`network ${n.name}: left out of the simulation (${n.problems[0]})`);
  for (const note of runtime.notes) b.notes.push(note);

  // --- host interfaces
  const hostIfaces: NodeInterface[] = [];
  const portOf = new Map<string, string>();
  for (const hi of lab.host.interfaces) if (hi.kind === 'bridge') for (const p of hi.ports ?? []) portOf.set(p, hi.name);
  const mk = (name: string, addresses: NodeAddress[], segment: string | null, up: boolean): NodeInterface => ({
    name, addresses, up, segment, forwarding: forwardingOf(s, name), rpFilter: rpFilterOf(s, name), ...(sysctlNote(s, name) ? { note: sysctlNote(s, name) } : {}),
  });
  for (const hi of lab.host.interfaces) {
    const addrs = ipv4Addresses(hi.addresses, b.notes, hi.name);
    let seg: string | null = null;
    if (hi.kind === 'loopback') seg = null;
    else if (hi.kind === 'bridge') {
      seg = `br:${hi.name}`;
      b.segment(seg, 'bridge', hi.name);
    } else if (!portOf.has(hi.name)) {
      seg = `wire:${hi.name}`;
      b.segment(seg, 'wire');
    }
    hostIfaces.push(mk(hi.name, addrs, seg, hi.up));
    if (seg) b.join(seg, { node: HOST_ID, iface: hi.name });
  }
  const usedBridges = new Set(hostIfaces.map((i) => i.name));
  const bridgeOf = new Map<string, string>();
  for (const id of runtime.runningNetworkIds) {
    const n = networks.get(id);
    if (!n || !running.has(id)) continue;
    if (n.mode === 'bridge' && n.bridge) {
      if (!usedBridges.has(n.bridge)) b.notes.push(`network ${n.name}: host bridge ${n.bridge} is not among the host's interfaces`);
      bridgeOf.set(id, n.bridge);
      continue;
    }
    if (!hasLibvirtBridge(n.mode)) continue;
    let name = runtime.bridges?.[id] ?? n.bridge;
    if (!name || usedBridges.has(name)) {
      let k = 0;
      while (usedBridges.has(`virbr${k}`)) k++;
      name = `virbr${k}`;
      b.notes.push(`network ${n.name}: no bridge name in the XML; simulated as ${name} (libvirt picks the first free virbrN)`);
    }
    usedBridges.add(name);
    bridgeOf.set(id, name);
    const seg = `br:${name}`;
    b.segment(seg, 'bridge', name);
    hostIfaces.push(mk(name, n.ipv4.map((a) => addressOf(a.address, a.prefix)), seg, true));
    b.join(seg, { node: HOST_ID, iface: name });
  }

  // --- Docker's bridges (docker0, br-…) while dockerd runs
  const docker = dockerWorld(lab, runtime.runningLayerIds);
  for (const d of docker.bridges) {
    if (usedBridges.has(d.name)) continue;
    usedBridges.add(d.name);
    b.segment(`br:${d.name}`, 'bridge', d.name);
    hostIfaces.push(mk(d.name, [d.address], `br:${d.name}`, true));
    b.join(`br:${d.name}`, { node: HOST_ID, iface: d.name });
  }

  // --- host routes: connected, configured, libvirt's <route> elements
  const routes: SimRoute[] = connectedRoutes(hostIfaces);
  for (const r of lab.host.routes) {
    const dest = parseRouteDestination(r.destination);
    const via = r.via && isIpv4(r.via) ? parseIpv4(r.via) : undefined;
    const dev = r.dev ?? (via !== undefined ? interfaceForNextHop(hostIfaces, via)?.name : undefined);
    if (!dev) {
      b.notes.push(`host route ${r.destination}${r.via ? ` via ${r.via}` : ''}: the next hop is on none of the host's networks (the kernel refuses it: Nexthop has invalid gateway)`);
      continue;
    }
    routes.push(route(dest, dev, via, r.metric ?? 0, 'configured'));
  }
  for (const id of running) {
    const n = networks.get(id)!;
    const br = bridgeOf.get(id);
    if (br) for (const r of n.routes) routes.push({ ...route({ network: r.network, prefix: r.prefix, address: r.network, text: '' }, br, r.via, r.metric, 'libvirt'), text: `${r.text} dev ${br} (network ${n.name})` });
  }
  const host = b.addNode({ id: HOST_ID, role: 'host', label: `KVM host ${lab.host.name}`, interfaces: hostIfaces, routes, listens: hostListens(lab.host.listens, [...running].map((id) => networks.get(id)!), bridgeOf) });
  if (runtime.netfilter) {
    host.filter = compileNodeFilter(runtime.netfilter, hostIfaces, s.bridgeNfCallIptables);
    host.filterLabel = 'host firewall';
  }

  // --- upstream gateway, other routers, the internet
  const gwAddr = isIpv4(lab.gateway.address) ? parseIpv4(lab.gateway.address) : null;
  const inetAddr = isIpv4(lab.internet.address) ? parseIpv4(lab.internet.address) : null;
  const side = inetAddr !== null ? internetSide(inetAddr, []) : null;
  let routerIndex = 0;
  const routerWan = (): number | undefined => (side ? side.routerAddress(routerIndex++) : undefined);
  let gwWan: number | undefined;
  if (gwAddr !== null) {
    gwWan = routerWan();
    const gw = attachRouter(b, host, {
      id: GATEWAY_ID,
      label: `gateway ${lab.gateway.address}`,
      lanAddress: gwAddr,
      wanAddress: gwWan,
      routes: lab.gateway.routes,
      masquerade: lab.gateway.masquerade,
      listens: listensFrom(lab.gateway.listens, "the lab's gateway services", false),
      uplinkPorts: lab.host.interfaces,
    });
    if (gw) describeGatewayAssumptions(b, gw, lab, [...running].map((id) => networks.get(id)!));
    if (gw && lab.gateway.ruleset?.trim()) {
      try {
        gw.filter = compileNodeFilter(parseRuleset(lab.gateway.ruleset).rulesets, gw.interfaces, false);
        gw.filterLabel = "the gateway's firewall";
      } catch (e) {
        b.notes.push(`gateway ruleset not used: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }
  for (const r of routes) {
    if (r.via === undefined || r.via === gwAddr || b.nodes.has(`router:${formatIpv4(r.via)}`)) continue;
    if ([...b.nodes.values()].some((n) => n.interfaces.some((i) => i.addresses.some((a) => a.address === r.via)))) continue;
    attachRouter(b, host, { id: `router:${formatIpv4(r.via)}`, label: `router ${formatIpv4(r.via)}`, lanAddress: r.via, wanAddress: routerWan(), routes: [], masquerade: [], listens: listensFrom(['icmp'], 'a router answers ping', true), uplinkPorts: lab.host.interfaces });
    b.assume(`router ${formatIpv4(r.via)} forwards to the internet without NAT and has no routes of its own beyond its networks`, [`router:${formatIpv4(r.via)}`]);
  }
  if (inetAddr !== null && side) {
    b.segment('wan', 'wire');
    const inet = b.addNode({
      id: INTERNET_ID,
      role: 'internet',
      label: `internet host ${lab.internet.address}`,
      interfaces: [iface('eth0', [addressOf(inetAddr, side.prefix)], 'wan')],
      routes: [],
      listens: listensFrom(lab.internet.listens, "the lab's internet host services", false),
      dropsNonRoutedSources: true,
    });
    inet.routes = connectedRoutes(inet.interfaces);
    if (gwWan !== undefined) inet.routes.push(route({ network: 0, prefix: 0, address: 0, text: 'default' }, 'eth0', gwWan, 0, 'assumed'));
    b.join('wan', { node: INTERNET_ID, iface: 'eth0' });
    b.assume(
      `the internet host ${lab.internet.address} is reached through the gateway (its internet side is taken as ${gwWan !== undefined ? formatIpv4(gwWan) : '?'}/${side.prefix}); private source addresses the gateway does not masquerade never get an answer from the internet`,
      [INTERNET_ID],
    );
  }

  // --- guests
  const addresses = assignGuestAddresses(lab.guests, networks);
  const vnetCount = { n: 0 };
  for (const g of lab.guests) addGuest(b, lab, g, networks.get(g.networkId), running.has(g.networkId), bridgeOf.get(g.networkId), addresses.get(g.id)!, vnetCount, gwAddr);
  addDockerContainers(b, docker);
  b.assume(hostServicesText(host.listens), [HOST_ID]);
  return b.build(s.bridgeNfCallIptables);
}

function hostServicesText(l: Listens): string {
  const own = [...[...l.tcp].map((p) => `tcp/${p}`), ...[...l.udp].map((p) => `udp/${p}`)].filter((k) => !l.boundTo?.has(k));
  const bound = [...(l.boundTo?.keys() ?? [])];
  return `the KVM host answers ping${own.length ? `, ${own.join(', ')}` : ''}${bound.length ? ` and ${bound.join(', ')} on each bridge address (libvirt's dnsmasq)` : ''}`;
}

function describeGatewayAssumptions(b: WorldBuilder, gw: SimNode, lab: Lab, running: SimNetwork[]): void {
  for (const n of running) {
    const sub = n.ipv4[0];
    if (!sub || n.mode === 'bridge') continue;
    const r = lookupMain(gw, sub.network);
    const subnet = `${formatIpv4(sub.network)}/${sub.prefix}`;
    if (r && r.via !== undefined) b.assume(`gateway ${lab.gateway.address} routes ${subnet} back via ${formatIpv4(r.via)}`, [GATEWAY_ID]);
    else b.assume(`gateway ${lab.gateway.address} has no route back to ${subnet}: guests there reach it only with NAT on the host`, [GATEWAY_ID]);
  }
  if (lab.gateway.masquerade.length) b.assume(`gateway ${lab.gateway.address} masquerades ${lab.gateway.masquerade.join(', ')} towards the internet`, [GATEWAY_ID, INTERNET_ID]);
  else b.assume(`gateway ${lab.gateway.address} does not masquerade anything`, [GATEWAY_ID, INTERNET_ID]);
}

function addGuest(
  b: WorldBuilder, lab: Lab, g: Lab['guests'][number], net: SimNetwork | undefined, isRunning: boolean, bridge: string | undefined,
  addr: { address: number | null; source: 'static' | 'dhcp'; problem?: string; note?: string; ipv6Only?: string }, vnets: { n: number }, gwAddr: number | null,
): void {
  const id = guestNodeId(g.id);
  const host = b.nodes.get(HOST_ID)!;
  let prefix = net?.ipv4[0]?.prefix ?? 24;
  let gatewayFor: number | undefined = net?.ipv4[0]?.address;
  if (net?.mode === 'bridge' && bridge && addr.address !== null) {
    const hb = host.interfaces.find((i) => i.name === bridge);
    const a = hb?.addresses.find((x) => inPrefix(addr.address!, x.network, x.prefix));
    prefix = a?.prefix ?? 24;
    gatewayFor = gwAddr !== null && inPrefix(gwAddr, addressOf(addr.address, prefix).network, prefix) ? gwAddr : a?.address;
  }
  const attached = isRunning && bridge !== undefined;
  const seg = attached ? `br:${bridge}` : null;
  const addresses = addr.address !== null ? [addressOf(addr.address, prefix)] : [];
  const eth0 = iface('eth0', addresses, seg);
  const node: SimNode = {
    id, role: 'guest', label: `${g.name}${addr.address !== null ? ` ${formatIpv4(addr.address)}` : ''}`, interfaces: [eth0], routes: [],
    listens: listensFrom(g.listens, `${g.name}'s services`, true),
    guest: { guestId: g.id, networkId: g.networkId, addressSource: addr.source, ...(addr.problem ? { noLease: addr.problem } : {}), ...(addr.ipv6Only ? { ipv6Only: addr.ipv6Only } : {}) },
  };
  node.routes = connectedRoutes(node.interfaces);
  if (gatewayFor !== undefined && addresses.length) node.routes.push(route(parseIpv4Prefix('0.0.0.0/0'), 'eth0', gatewayFor, 0, 'assumed'));
  b.addNode(node);
  if (seg) b.join(seg, { node: id, iface: 'eth0', port: `vnet${vnets.n++}` });
  if (!net) b.notes.push(`guest ${g.name}: its network ${g.networkId} does not exist`);
  else if (!isRunning) b.notes.push(`guest ${g.name}: network ${net.name} is not running, so ${g.name} cannot start`);
  if (addr.note) b.assume(addr.note, [id]);
  if (gatewayFor !== undefined && addresses.length) b.assume(`${g.name} uses ${formatIpv4(gatewayFor)} as its default gateway`, [id]);
  void lab;
}
