// Typed model of libvirt's <network> definition (https://libvirt.org/formatnetwork.html),
// the parts virtwall edits, validates and turns into firewall rules.
//
// The model is what the app edits; the XML text stays the source of truth for
// round trips: unknown elements and attributes are kept by the XML layer
// (parseNetworkXml.ts keeps the positioned document, writeNetworkXml.ts splices
// edits into it), not here.

export type ForwardMode =
  | 'none' // no <forward>: isolated network
  | 'nat'
  | 'route'
  | 'open'
  | 'bridge'
  | 'private'
  | 'vepa'
  | 'passthrough'
  | 'hostdev';

export const FORWARD_MODES: readonly ForwardMode[] = ['none', 'nat', 'route', 'open', 'bridge', 'private', 'vepa', 'passthrough', 'hostdev'];

export interface AddressRange {
  start: string;
  end: string;
}

export interface PortRange {
  start: number;
  end: number;
}

export interface NatConfig {
  /** <nat><address start end/></nat>: SNAT to this range instead of MASQUERADE. */
  address?: AddressRange;
  /** <nat><port start end/></nat>; libvirt's live default is 1024-65535. */
  port?: PortRange;
  /** <nat ipv6='yes'/>: masquerade IPv6 too (otherwise IPv6 is routed). */
  ipv6?: boolean;
}

export interface ForwardConfig {
  mode: ForwardMode;
  /** <forward dev='eth0'/>: restricts the ACCEPT/MASQUERADE rules to this interface. */
  dev?: string;
  nat?: NatConfig;
  /** <interface dev=.../> children (bridge/private/vepa/passthrough pools). */
  interfaces?: string[];
  /** <pf dev=.../> (hostdev/passthrough SR-IOV). */
  pf?: string;
  managed?: boolean;
}

export interface BridgeConfig {
  name?: string;
  stp?: boolean;
  delay?: number;
  macTableManager?: 'kernel' | 'libvirt';
  /** firewalld zone for the bridge. */
  zone?: string;
}

export interface DnsHost {
  ip: string;
  hostnames: string[];
}

export interface DnsSrv {
  service: string;
  protocol: string;
  domain?: string;
  target?: string;
  port?: number;
  priority?: number;
  weight?: number;
}

export interface DnsConfig {
  enable?: boolean;
  forwardPlainNames?: boolean;
  forwarders: { addr?: string; domain?: string }[];
  hosts: DnsHost[];
  srvs: DnsSrv[];
  txts: { name: string; value: string }[];
}

export interface DhcpHost {
  mac?: string;
  id?: string;
  name?: string;
  ip?: string;
}

export interface DhcpConfig {
  ranges: AddressRange[];
  hosts: DhcpHost[];
  bootp?: { file: string; server?: string };
}

export interface IpConfig {
  family: 'ipv4' | 'ipv6';
  /** true when the XML carried family='...' explicitly (kept for round trips / canonical form). */
  familyExplicit?: boolean;
  address: string;
  /** Exactly one of netmask/prefix is normally given; libvirt keeps what was written. */
  netmask?: string;
  prefix?: number;
  localPtr?: boolean;
  dhcp?: DhcpConfig;
  tftpRoot?: string;
}

export interface RouteConfig {
  family?: 'ipv4' | 'ipv6';
  address: string;
  netmask?: string;
  prefix?: number;
  gateway: string;
  metric?: number;
}

export interface PortgroupConfig {
  name: string;
  isDefault?: boolean;
  vlanTags?: number[];
}

export interface BandwidthConfig {
  inbound?: { average?: number; peak?: number; burst?: number; floor?: number };
  outbound?: { average?: number; peak?: number; burst?: number };
}

export interface Network {
  name: string;
  uuid?: string;
  /** Absent = isolated (mode 'none'). */
  forward?: ForwardConfig;
  bridge?: BridgeConfig;
  /** Bridge MAC address (<mac address=.../>). */
  mac?: string;
  domain?: { name: string; localOnly?: boolean };
  dns?: DnsConfig;
  ips: IpConfig[];
  routes: RouteConfig[];
  mtu?: number;
  portgroups: PortgroupConfig[];
  /** <virtualport type=.../> */
  virtualportType?: string;
  bandwidth?: BandwidthConfig;
  /** <network ipv6='yes'> (guest-to-guest IPv6 without an IPv6 address). */
  ipv6Enabled?: boolean;
}

/** The effective forward mode: isolated networks have no <forward> element. */
export function forwardModeOf(network: Network): ForwardMode {
  return network.forward?.mode ?? 'none';
}
