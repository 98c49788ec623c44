// What libvirt's firewall code reads from a network definition
// (src/network/network_iptables.c, network_nftables.c in 9.0 / 11.3):
// bridge, forward mode and dev, every usable <ip> in XML order, whether the
// first IPv4 with DHCP ranges/hosts exists (mangle CHECKSUM rule), TFTP, the
// <nat> address/port range and ipv6='yes', and <network ipv6='yes'>.

import type { ForwardMode, Network } from '../../libvirt/networkModel.ts';
import { networkAddressing, type IpAddressing } from '../../libvirt/networkAddressing.ts';

export interface NetworkFirewallFacts {
  name: string;
  bridge: string;
  mode: ForwardMode;
  /** "isolated" for mode none, else the mode. */
  modeLabel: string;
  /** <forward dev='eth0'/> */
  dev?: string;
  /** Usable <ip> entries in XML order. */
  ips: IpAddressing[];
  hasIpv4: boolean;
  hasIpv6: boolean;
  /** <network ipv6='yes'> without an IPv6 address: IPv6 reject/cross rules only. */
  ipv6NoGateway: boolean;
  /** The first IPv4 <ip> with DHCP ranges or hosts exists (CHECKSUM rule, libvirt.md §2.2). */
  dhcpV4: boolean;
  /** An IPv4 <ip> with <tftp root>: udp 69 to and from the host. */
  tftpV4: boolean;
  nat: { addressStart?: string; addressEnd?: string; portStart: number; portEnd: number; ipv6: boolean };
}

export function networkFirewallFacts(network: Network, bridge: string): NetworkFirewallFacts {
  const addressing = networkAddressing(network);
  const ips = addressing.ips;
  const v4 = ips.filter((i) => i.family === 'ipv4');
  const v4dhcp = v4.find((i) => i.dhcpRanges.length > 0 || i.dhcpHosts.length > 0);
  // libvirt: "first IPv4 address that has dhcp or tftpboot defined"; tftp rules only when that one has a root.
  const v4boot = v4.find((i) => i.dhcpRanges.length > 0 || i.dhcpHosts.length > 0 || network.ips[i.index]?.tftpRoot);
  const mode = addressing.forwardMode;
  const nat = network.forward?.nat;
  const facts: NetworkFirewallFacts = {
    name: network.name,
    bridge,
    mode,
    modeLabel: mode === 'none' ? 'isolated' : mode,
    ips,
    hasIpv4: v4.length > 0,
    hasIpv6: ips.some((i) => i.family === 'ipv6'),
    ipv6NoGateway: network.ipv6Enabled === true,
    dhcpV4: v4dhcp !== undefined,
    tftpV4: v4boot !== undefined && Boolean(network.ips[v4boot.index]?.tftpRoot),
    nat: { portStart: nat?.port?.start ?? 0, portEnd: nat?.port?.end ?? 0, ipv6: nat?.ipv6 === true },
  };
  if (addressing.forwardDev) facts.dev = addressing.forwardDev;
  if (nat?.address) {
    facts.nat.addressStart = nat.address.start;
    facts.nat.addressEnd = nat.address.end;
  }
  return facts;
}

/** Modes libvirt writes firewall rules for (bridge/macvtap/hostdev/open modes get none). */
export function modeHasRules(mode: ForwardMode): boolean {
  return mode === 'none' || mode === 'nat' || mode === 'route';
}

/** Modes that turn on net.ipv4.ip_forward (bridge_driver.c: forward type not NONE, for libvirt-managed bridges). */
export function modeForwards(mode: ForwardMode): boolean {
  return mode === 'nat' || mode === 'route' || mode === 'open';
}
