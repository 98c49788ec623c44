// What `virsh net-dumpxml --inactive` prints after `virsh net-define` of a file
// (libvirt.md §7, fixtures dumpxml/*/v9-inactive.xml and v11-inactive.xml):
// libvirt's element order and quoting, `<forward/>` as mode='nat', a random v4
// uuid when none is given, the first free virbrN (or the `%d` template filled
// in) and a random 52:54:00 bridge mac for the modes that have a bridge
// (none/nat/route/open, networkValidate in src/network/bridge_driver.c),
// stp='on' delay='0' unless given, netmask/prefix kept as written, addresses
// in libvirt's canonical text form.
//
// Randomness is injected (newUuid/newMac) so shared/ stays deterministic.

import { firstChild, type XmlDocument } from '../xml/xmlTree.ts';
import { rawRunText } from '../xml/xmlEntities.ts';
import { formatNetworkXml, type FormatExtras } from './formatNetworkXml.ts';
import { formatIp, parseIp } from './ipMath.ts';
import type { ForwardConfig, IpConfig, Network, RouteConfig } from './networkModel.ts';
import { forwardModeOf } from './networkModel.ts';
import { hasErrors, type NetworkProblem } from './networkProblem.ts';
import { canonicalUuid } from './networkIdentifiers.ts';
import { parseNetworkXml } from './parseNetworkXml.ts';
import { validateNetwork } from './validateNetwork.ts';

export interface CanonicalOptions {
  /** Bridge names already taken in the project (other networks, host interfaces). */
  usedBridgeNames: string[];
  newUuid: () => string;
  /** A random locally administered MAC; only its last three bytes are used (libvirt keeps 52:54:00). */
  newMac: () => string;
}

export interface CanonicalResult {
  /** null when libvirt would refuse to define the network (see problems). */
  xml: string | null;
  problems: NetworkProblem[];
}

/** libvirt's bridge name limit (MAX_BRIDGE_ID in bridge_driver.c). */
const MAX_BRIDGE_ID = 256;

export function canonicalNetworkXml(text: string, options: CanonicalOptions): CanonicalResult {
  const parsed = parseNetworkXml(text);
  const problems = validateNetwork(parsed);
  if (!parsed.network || !parsed.document || hasErrors(problems.filter((p) => p.when !== 'start'))) return { xml: null, problems };
  return { xml: formatNetworkXml(canonicalNetwork(parsed.network, options), canonicalExtras(parsed.document)), problems };
}

function canonicalAddress(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const ip = parseIp(text);
  return ip ? formatIp(ip) : text;
}

/** The first `virbrN` (or `%d` template value) not in `used`, as networkFindUnusedBridgeName does. */
export function firstFreeBridgeName(used: readonly string[], template = 'virbr%d'): string | undefined {
  const taken = new Set(used);
  for (let id = 0; id <= MAX_BRIDGE_ID; id++) {
    const name = template.replace('%d', String(id));
    if (!taken.has(name)) return name;
  }
  return undefined;
}

function canonicalForward(f: ForwardConfig): ForwardConfig {
  // <forward dev='x'> becomes the first entry of the interface pool; libvirt prints the
  // pool's first netdev as dev= and every pool entry as <interface> (virNetworkForwardDefParseXML).
  const pool = f.dev !== undefined ? [f.dev, ...(f.interfaces ?? []).slice(1)] : [...(f.interfaces ?? [])];
  const out: ForwardConfig = { mode: f.mode };
  if (f.pf === undefined && pool.length > 0) out.dev = pool[0];
  if (f.mode === 'hostdev') out.managed = f.managed ?? false;
  if (f.mode === 'nat' && f.nat) {
    const nat = { ...f.nat };
    if (nat.address) nat.address = { start: canonicalAddress(nat.address.start)!, end: canonicalAddress(nat.address.end)! };
    if (nat.address || nat.port || nat.ipv6 !== undefined) out.nat = nat;
  }
  if (f.pf !== undefined) out.pf = f.pf;
  else if (pool.length > 0) out.interfaces = pool;
  return out;
}

function canonicalIp(ip: IpConfig): IpConfig {
  const out: IpConfig = { ...ip, address: canonicalAddress(ip.address)!, netmask: canonicalAddress(ip.netmask) };
  if (!out.prefix) delete out.prefix; // prefix='0' is treated as absent (virNetworkIPDefFormat prints it only if > 0)
  if (out.netmask === undefined) delete out.netmask;
  if (ip.dhcp) {
    const dhcp = {
      ranges: ip.dhcp.ranges.map((r) => ({ start: canonicalAddress(r.start)!, end: canonicalAddress(r.end)! })),
      hosts: ip.dhcp.hosts.map((h) => ({ ...h, ip: canonicalAddress(h.ip) })).map((h) => (h.ip === undefined ? (delete h.ip, h) : h)),
      bootp: ip.family === 'ipv4' && ip.dhcp.bootp ? { ...ip.dhcp.bootp, server: canonicalAddress(ip.dhcp.bootp.server) } : undefined,
    };
    if (dhcp.bootp?.server === undefined) delete dhcp.bootp?.server;
    if (!dhcp.bootp) delete dhcp.bootp;
    out.dhcp = dhcp;
  }
  return out;
}

function canonicalRoute(r: RouteConfig): RouteConfig {
  const out: RouteConfig = { ...r, address: canonicalAddress(r.address)!, gateway: canonicalAddress(r.gateway)! };
  if (r.netmask !== undefined) out.netmask = canonicalAddress(r.netmask);
  return out;
}

export function canonicalNetwork(network: Network, options: CanonicalOptions): Network {
  const mode = forwardModeOf(network);
  const hasBridge = mode === 'none' || mode === 'nat' || mode === 'route' || mode === 'open';
  const out: Network = {
    ...network,
    uuid: network.uuid !== undefined ? (canonicalUuid(network.uuid) ?? network.uuid) : canonicalUuid(options.newUuid()) ?? options.newUuid(),
    forward: network.forward && network.forward.mode !== 'none' ? canonicalForward(network.forward) : undefined,
    ips: network.ips.map(canonicalIp),
    routes: network.routes.map(canonicalRoute),
  };
  if (hasBridge) {
    const written = network.bridge?.name;
    const name = written && !written.includes('%d') ? written : firstFreeBridgeName(options.usedBridgeNames, written || 'virbr%d');
    out.bridge = { name, zone: network.bridge?.zone, stp: network.bridge?.stp ?? true, delay: network.bridge?.delay ?? 0, macTableManager: network.bridge?.macTableManager };
    out.mac = (network.mac ?? bridgeMac(options.newMac())).toLowerCase();
  } else if (network.bridge?.name || network.bridge?.macTableManager) {
    out.bridge = { name: network.bridge.name || undefined, zone: network.bridge.zone, macTableManager: network.bridge.macTableManager };
  } else {
    delete out.bridge;
  }
  for (const key of Object.keys(out) as (keyof Network)[]) if (out[key] === undefined) delete out[key];
  if (out.bridge) for (const key of Object.keys(out.bridge) as (keyof typeof out.bridge)[]) if (out.bridge[key] === undefined) delete out.bridge[key];
  return out;
}

/** libvirt generates bridge macs as 52:54:00 + three random bytes (virNetworkSetBridgeMacAddr). */
function bridgeMac(random: string): string {
  const bytes = random.toLowerCase().split(/[:-]/);
  if (bytes.length === 6 && bytes[0] === '52' && bytes[1] === '54' && bytes[2] === '00') return bytes.join(':');
  return ['52', '54', '00', ...bytes.slice(-3)].join(':');
}

/** <title>, <description> and <metadata> survive define; they are not part of the model. */
function canonicalExtras(doc: XmlDocument): FormatExtras {
  const text = (name: string) => {
    const el = firstChild(doc.root, name);
    if (!el) return undefined;
    const value = el.children.map((c) => (c.kind === 'raw' ? rawRunText(c.raw) : '')).join('');
    return value === '' ? undefined : value;
  };
  const metadata = firstChild(doc.root, 'metadata');
  return {
    title: text('title'),
    description: text('description'),
    metadataXml: metadata?.span ? doc.text.slice(metadata.span.start, metadata.span.end) : undefined,
  };
}
