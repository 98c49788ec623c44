// `virtwall check`: a host snapshot → a world around one question (from, to,
// service). The host is exactly as dumped: its interfaces and addresses, its
// main routing table (with route types and preferred sources), per-interface
// forwarding and rp_filter, br_netfilter, what it listens on (ss), and its
// packet filter from the dumps. Around it, what the question implies:
// - the guest is `from` on the bridge whose subnet holds it, with the bridge's
//   address as default gateway;
// - the upstream is the default route's gateway; it routes every bridge subnet
//   back to the host (unless --no-return-route), does no NAT and answers
//   every probe;
// - `to` beyond the host is a host on the bridge or LAN that holds it, or
//   sits behind the router the host's routing table picks for it, and answers.

import { compileNodeFilter } from '../simulator/hostFilter.ts';
import { FlowRequestError } from '../simulator/flowTypes.ts';
import { formatIpv4, inPrefix, isIpv4, parseIpv4, parseRouteDestination } from '../simulator/ipv4.ts';
import { lookupMain } from '../simulator/routeLookup.ts';
import type { HostInterface as LabHostInterface } from '../lab/labModel.ts';
import type { Listens, NodeInterface, SimNode, SimRoute, World } from '../simulator/world.ts';
import { addressOf, connectedRoutes, internetSide, route, WorldBuilder } from '../simulator/worldBuilder.ts';
import { attachRouter } from '../simulator/worldNodes.ts';
import type { Ruleset } from '../netfilter/model.ts';
import { confValue, type SnapshotData, type SnapshotLink } from './snapshotFiles.ts';

export const CHECK_HOST = 'host';
export const CHECK_GUEST = 'guest:from';

export interface CheckQuestion {
  from: string;
  to: string;
  returnRoute: boolean;
}

const ANSWERS_ALL: Listens = { echo: true, tcp: new Set(), udp: new Set(), allPorts: true, source: 'assumed to answer every probe' };

function rp(v: string | undefined): 0 | 1 | 2 {
  const n = Number(v);
  return n === 1 || n === 2 ? n : 0;
}

function hostListens(data: SnapshotData, addresses: number[]): Listens {
  const echo = data.sysctl.get('net.ipv4.icmp_echo_ignore_all') !== '1';
  if (!data.listens) return { echo, tcp: new Set(), udp: new Set(), source: 'ss-listen.txt missing: assumed the host listens on nothing' };
  const tcp = new Set<number>();
  const udp = new Set<number>();
  const any = new Set<string>();
  const bound = new Map<string, Set<number>>();
  for (const l of data.listens) {
    (l.proto === 'tcp' ? tcp : udp).add(l.port);
    const key = `${l.proto}/${l.port}`;
    if (l.address === null) any.add(key);
    else if (isIpv4(l.address)) {
      const a = parseIpv4(l.address);
      // 127.0.0.1-only services are not reachable from outside; keep them bound to loopback.
      let set = bound.get(key);
      if (!set) bound.set(key, (set = new Set()));
      set.add(a);
    }
  }
  for (const k of any) bound.delete(k);
  void addresses;
  return { echo, tcp, udp, ...(bound.size ? { boundTo: bound } : {}), source: 'ss-listen.txt' };
}

/** Ports of a bridge, guest-like ones (vnet/tap/veth) first. */
function portsOf(links: SnapshotLink[], bridge: string): SnapshotLink[] {
  const ports = links.filter((l) => l.master === bridge);
  const score = (l: SnapshotLink): number => (/^(vnet|tap)/.test(l.name) ? 0 : l.kind === 'tun' || l.kind === 'tap' ? 1 : l.kind === 'veth' ? 2 : 3);
  return ports.sort((a, b) => score(a) - score(b));
}

export function buildCheckWorld(data: SnapshotData, rulesets: Ruleset[], q: CheckQuestion): World {
  const b = new WorldBuilder(CHECK_HOST);
  const sys = data.sysctl;
  const ipForward = sys.get('net.ipv4.ip_forward') === '1';
  const rpAll = rp(sys.get('net.ipv4.conf.all.rp_filter'));
  const rpDefault = rp(sys.get('net.ipv4.conf.default.rp_filter'));
  const brNetfilter = sys.get('net.bridge.bridge-nf-call-iptables') === '1';
  for (const m of data.missing) b.notes.push(`snapshot: ${m}`);

  // --- host
  const ifaces: NodeInterface[] = [];
  for (const l of data.links) {
    const fwd = confValue(sys, l.name, 'forwarding');
    const own = confValue(sys, l.name, 'rp_filter');
    let segment: string | null = null;
    if (l.name === 'lo') segment = null;
    else if (l.kind === 'bridge') segment = b.segment(`br:${l.name}`, 'bridge', l.name).id;
    else if (l.master) segment = null;
    else if (l.addresses.length) segment = b.segment(`wire:${l.name}`, 'wire').id;
    ifaces.push({
      name: l.name,
      addresses: l.addresses.map((a) => addressOf(parseIpv4(a.address), a.prefix)),
      up: l.up,
      forwarding: fwd !== undefined ? fwd === '1' : ipForward,
      rpFilter: Math.max(rpAll, own !== undefined ? rp(own) : rpDefault) as 0 | 1 | 2,
      segment,
    });
    if (segment) b.join(segment, { node: CHECK_HOST, iface: l.name });
  }
  let routes: SimRoute[] = [];
  for (const r of data.routes) {
    if (r.type === 'other') continue;
    const dst = r.dst.includes('/') || r.dst === 'default' ? r.dst : `${r.dst}/32`;
    if (!isIpv4(dst.split('/')[0]) && dst !== 'default') continue;
    const via = r.gateway && isIpv4(r.gateway) ? parseIpv4(r.gateway) : undefined;
    const sr = route(parseRouteDestination(dst), r.dev ?? '', via, r.metric, 'snapshot');
    sr.type = r.type;
    sr.text = r.text;
    if (r.prefsrc && isIpv4(r.prefsrc)) sr.src = parseIpv4(r.prefsrc);
    routes.push(sr);
  }
  if (!data.routes.length) {
    routes = connectedRoutes(ifaces);
    b.notes.push('snapshot: no routes read; only the routes of the interfaces\' own subnets are assumed');
  }
  const host = b.addNode({ id: CHECK_HOST, role: 'host', label: `KVM host (snapshot)`, interfaces: ifaces, routes, listens: hostListens(data, []) });
  if (rulesets.length) {
    host.filter = compileNodeFilter(rulesets, ifaces, brNetfilter);
    host.filterLabel = 'host firewall (as found)';
  }
  b.assume(`the KVM host answers what ss-listen.txt lists${data.listens ? '' : ' (missing: nothing assumed)'} and ping${host.listens.echo ? '' : ' (disabled: icmp_echo_ignore_all=1)'}`, [CHECK_HOST]);

  // --- the guest
  if (!isIpv4(q.from)) throw new FlowRequestError(`--from ${JSON.stringify(q.from)} is not an IPv4 address`);
  const from = parseIpv4(q.from);
  const bridges = ifaces.filter((i) => data.links.find((l) => l.name === i.name)?.kind === 'bridge');
  const guestBridge = bridges.find((i) => i.addresses.some((a) => a.prefix < 32 && inPrefix(from, a.network, a.prefix)));
  if (!guestBridge) {
    const list = bridges.map((i) => `${i.name} ${i.addresses.map((a) => a.text).join(' ') || '(no address)'}`).join(', ') || 'none';
    throw new FlowRequestError(`--from ${q.from} is in no bridge's subnet (bridges: ${list})`);
  }
  const gAddr = guestBridge.addresses.find((a) => inPrefix(from, a.network, a.prefix))!;
  const usedPorts = new Set<string>();
  const takePort = (bridge: string, fallback: string): string => {
    const p = portsOf(data.links, bridge).find((l) => !usedPorts.has(l.name))?.name ?? fallback;
    usedPorts.add(p);
    return p;
  };
  const guestIf: NodeInterface = { name: 'eth0', addresses: [addressOf(from, gAddr.prefix)], up: true, forwarding: false, rpFilter: 0, segment: guestBridge.segment };
  const guest = b.addNode({ id: CHECK_GUEST, role: 'guest', label: `guest ${q.from}`, interfaces: [guestIf], routes: [], listens: ANSWERS_ALL, guest: { guestId: 'from', networkId: guestBridge.name, addressSource: 'static' } });
  guest.routes = [...connectedRoutes(guest.interfaces), route(parseRouteDestination('default'), 'eth0', gAddr.address, 0, 'assumed')];
  const guestPort = takePort(guestBridge.name, 'vnet-guest');
  b.join(guestBridge.segment!, { node: CHECK_GUEST, iface: 'eth0', port: guestPort });
  b.assume(`the guest ${q.from} sits on ${guestBridge.name} (port ${guestPort}) with ${formatIpv4(gAddr.address)} as its default gateway`, [CHECK_GUEST]);

  // --- routers: the upstream (default route's gateway) and any router the host uses for `to`
  const uplinks: LabHostInterface[] = data.links.map((l) => ({
    name: l.name, kind: l.kind === 'bridge' ? 'bridge' : 'other', addresses: [], up: l.up,
    ports: [...portsOf(data.links, l.name)].reverse().map((p) => p.name).filter((p) => !usedPorts.has(p)),
  }));
  const bridgeSubnets = bridges.flatMap((i) => i.addresses.filter((a) => a.prefix < 32).map((a) => `${formatIpv4(a.network)}/${a.prefix}`));
  const to = isIpv4(q.to) ? parseIpv4(q.to) : null;
  if (to === null) throw new FlowRequestError(`--to ${JSON.stringify(q.to)} is not an IPv4 address`);
  const side = internetSide(to, []);
  let wanIndex = 0;
  const routers = new Map<number, SimNode>();
  const addRouter = (via: number, label: string): SimNode | null => {
    const existing = routers.get(via);
    if (existing) return existing;
    const hostIface = ifaces.find((i) => i.up && i.addresses.some((a) => a.prefix < 32 && inPrefix(via, a.network, a.prefix)));
    const hostAddr = hostIface?.addresses.find((a) => inPrefix(via, a.network, a.prefix));
    const returnRoutes = q.returnRoute && hostAddr ? bridgeSubnets.map((s) => ({ destination: s, via: formatIpv4(hostAddr.address) })) : [];
    const node = attachRouter(b, host, { id: `router:${formatIpv4(via)}`, label, lanAddress: via, wanAddress: side.routerAddress(wanIndex++), routes: returnRoutes, masquerade: [], listens: ANSWERS_ALL, uplinkPorts: uplinks });
    if (!node) return null;
    routers.set(via, node);
    b.assume(
      q.returnRoute
        ? `${label} routes ${bridgeSubnets.join(', ') || 'the bridge subnets'} back via ${hostAddr ? formatIpv4(hostAddr.address) : 'the host'}, does no NAT and answers every probed service`
        : `${label} has no route back to ${bridgeSubnets.join(', ') || 'the bridge subnets'} (--no-return-route) and does no NAT`,
      [node.id],
    );
    return node;
  };
  const defaults = routes.filter((r) => r.prefix === 0 && r.via !== undefined && r.type === 'unicast').sort((a, b2) => a.metric - b2.metric);
  const upstream = defaults[0]?.via;
  if (upstream !== undefined) addRouter(upstream, `upstream ${formatIpv4(upstream)}`);
  else b.notes.push('the snapshot has no default route: there is no upstream gateway');

  // --- the destination
  const isHostLocal = ifaces.some((i) => i.addresses.some((a) => a.address === to));
  if (!isHostLocal && to !== upstream && to !== from) {
    const onBridge = bridges.find((i) => i.addresses.some((a) => a.prefix < 32 && inPrefix(to, a.network, a.prefix)));
    const onWire = ifaces.find((i) => i.segment?.startsWith('wire:') && i.addresses.some((a) => a.prefix < 32 && inPrefix(to, a.network, a.prefix)));
    if (onBridge || onWire) {
      const where = (onBridge ?? onWire)!;
      const a = where.addresses.find((x) => inPrefix(to, x.network, x.prefix))!;
      const dst: NodeInterface = { name: 'eth0', addresses: [addressOf(to, a.prefix)], up: true, forwarding: false, rpFilter: 0, segment: where.segment };
      const n = b.addNode({ id: 'destination', role: 'lan-host', label: `host ${q.to}`, interfaces: [dst], routes: [], listens: ANSWERS_ALL });
      const gw = onWire && upstream !== undefined && inPrefix(upstream, a.network, a.prefix) ? upstream : a.address;
      n.routes = [...connectedRoutes(n.interfaces), route(parseRouteDestination('default'), 'eth0', gw, 0, 'assumed')];
      b.join(where.segment!, { node: 'destination', iface: 'eth0', ...(onBridge ? { port: takePort(where.name, 'vnet-destination') } : {}) });
      b.assume(`${q.to} is a host on ${where.name} that answers every probed service (default gateway ${formatIpv4(gw)})`, ['destination']);
    } else {
      const r = lookupMain(host, to);
      if (r && r.type === 'unicast' && r.via !== undefined) {
        const router = addRouter(r.via, r.via === upstream ? `upstream ${formatIpv4(r.via)}` : `router ${formatIpv4(r.via)}`);
        const wan = router?.interfaces.find((i) => i.name === 'wan0');
        if (router && wan) {
          const n = b.addNode({ id: 'destination', role: 'internet', label: `host ${q.to}`, interfaces: [{ name: 'eth0', addresses: [addressOf(to, side.prefix)], up: true, forwarding: false, rpFilter: 0, segment: 'wan' }], routes: [], listens: ANSWERS_ALL });
          n.routes = [...connectedRoutes(n.interfaces), route(parseRouteDestination('default'), 'eth0', wan.addresses[0].address, 0, 'assumed')];
          b.join('wan', { node: 'destination', iface: 'eth0' });
          b.assume(`${q.to} is reached through ${router.label}, routes everything back through it and answers every probed service`, ['destination']);
        }
      }
    }
  }
  return b.build(brNetfilter);
}
