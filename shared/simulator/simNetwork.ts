// A libvirt network as the simulator needs it: mode, bridge, the host's IPv4
// address on it, DHCP ranges and reserved hosts, DNS on/off, static routes.
// Parsed once per XML text (the matrix re-simulates often, the XML rarely
// changes), through the XML engineer's parseNetworkXml + networkAddressing.

import { parseNetworkXml } from '../libvirt/parseNetworkXml.ts';
import { networkAddressing } from '../libvirt/networkAddressing.ts';
import type { ForwardMode } from '../libvirt/networkModel.ts';
import type { LabNetwork } from '../lab/labModel.ts';
import { isIpv4, parseIpv4, parseIpv4Prefix } from './ipv4.ts';

export interface SimNetwork {
  id: string;
  name: string;
  mode: ForwardMode;
  /** Bridge device; undefined when the XML names none (libvirt would pick virbrN at define time). */
  bridge?: string;
  forwardDev?: string;
  /** Interfaces of a macvtap-style `<forward mode='bridge'><interface dev=…/>` (guests sit on that LAN). */
  forwardInterfaces: string[];
  /** The host's IPv4 addresses on the bridge (first = the one guests use as gateway). */
  ipv4: { address: number; prefix: number; network: number; text: string }[];
  dhcpRanges: { start: number; end: number; text: string }[];
  /** Addresses reserved by `<host ip=…>` entries (not handed to other guests). */
  dhcpReserved: number[];
  dnsEnabled: boolean;
  /** `<route address prefix gateway>` elements: libvirt adds them to the host when the network starts. */
  routes: { network: number; prefix: number; via: number; metric: number; text: string }[];
  hasIpv6: boolean;
  /** Problems reading the XML (the network is then left out of the simulation). */
  problems: string[];
}

const cache = new Map<string, Omit<SimNetwork, 'id'>>();

function build(xml: string): Omit<SimNetwork, 'id'> {
  const parsed = parseNetworkXml(xml);
  const errors = parsed.problems.filter((p) => p.severity === 'error').map((p) => (p.line ? `line ${p.line}: ${p.message}` : p.message));
  const net = parsed.network;
  if (!net) return { name: '?', mode: 'none', forwardInterfaces: [], ipv4: [], dhcpRanges: [], dhcpReserved: [], dnsEnabled: false, routes: [], hasIpv6: false, problems: errors.length ? errors : ['unreadable network XML'] };
  const a = networkAddressing(net);
  const ipv4 = a.ips.filter((ip) => ip.family === 'ipv4').map((ip) => {
    const p = parseIpv4Prefix(`${ip.address}/${ip.prefix}`);
    return { address: p.address, prefix: p.prefix, network: p.network, text: `${ip.address}/${ip.prefix}` };
  });
  const first = a.ipv4;
  const dhcpRanges = (first?.dhcpRanges ?? [])
    .filter((r) => isIpv4(r.start) && isIpv4(r.end))
    .map((r) => ({ start: parseIpv4(r.start), end: parseIpv4(r.end), text: `${r.start}-${r.end}` }));
  const dhcpReserved = (first?.dhcpHosts ?? []).filter((h) => h.ip && isIpv4(h.ip)).map((h) => parseIpv4(h.ip as string));
  const routes = net.routes
    .filter((r) => (r.family ?? 'ipv4') === 'ipv4' && isIpv4(r.address) && isIpv4(r.gateway))
    .map((r) => {
      const p = parseIpv4Prefix(r.prefix !== undefined ? `${r.address}/${r.prefix}` : r.netmask ? `${r.address}/${r.netmask}` : `${r.address}/24`);
      return { network: p.network, prefix: p.prefix, via: parseIpv4(r.gateway), metric: r.metric ?? 1, text: `${p.text} via ${r.gateway}` };
    });
  return {
    name: net.name,
    mode: a.forwardMode,
    bridge: a.bridgeName,
    forwardDev: a.forwardDev,
    forwardInterfaces: net.forward?.interfaces ?? [],
    ipv4,
    dhcpRanges,
    dhcpReserved,
    dnsEnabled: net.dns?.enable !== false,
    routes,
    hasIpv6: a.ipv6 !== undefined,
    problems: errors,
  };
}

export function simNetwork(n: LabNetwork): SimNetwork {
  let base = cache.get(n.xml);
  if (!base) {
    base = build(n.xml);
    if (cache.size > 500) cache.clear();
    cache.set(n.xml, base);
  }
  return { id: n.id, ...base };
}

/** Modes where libvirt creates its own bridge with the host's address on it (virbrN). */
export function hasLibvirtBridge(mode: ForwardMode): boolean {
  return mode === 'none' || mode === 'nat' || mode === 'route' || mode === 'open';
}
