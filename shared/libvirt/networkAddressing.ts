// What the rule generator, the simulator and the UI need from a parsed network:
// bridge name, forward mode, each IP's family/address/prefix/subnet, DHCP ranges.
//
// The prefix is the one libvirt uses (virSocketAddrGetIPPrefix,
// src/util/virsocketaddr.c): prefix='N' if N > 0, else the netmask's bit count,
// else the IPv4 class default (A /8, B /16, C /24) or /64 for IPv6.

import type { AddressRange, DhcpHost, ForwardMode, IpConfig, Network } from './networkModel.ts';
import { forwardModeOf } from './networkModel.ts';
import {
  familyOf, formatIp, netmaskFromPrefix, parseIp, prefixFromNetmask, subnetCidr, subnetOf, type IpFamily, type ParsedIp, type Subnet,
} from './ipMath.ts';

export interface IpAddressing {
  /** Index of this <ip> in network.ips. */
  index: number;
  family: IpFamily;
  /** The host's address on the bridge, e.g. 192.168.10.1. */
  address: string;
  prefix: number;
  /** IPv4 only: dotted netmask (converted from the prefix when the XML gave a prefix). */
  netmask?: string;
  /** e.g. 192.168.10.0/24 */
  subnet: string;
  /** First address of the subnet (192.168.10.0). */
  networkAddress: string;
  /** IPv4 only: 192.168.10.255. */
  broadcast?: string;
  dhcpRanges: AddressRange[];
  dhcpHosts: DhcpHost[];
  /** Parsed forms, for callers that do address arithmetic (see ipMath.ts). */
  parsed: { address: ParsedIp; subnet: Subnet };
}

export interface NetworkAddressing {
  name: string;
  /** Absent when the XML has none yet (libvirt assigns virbrN at define time) or uses a `%d` template. */
  bridgeName?: string;
  forwardMode: ForwardMode;
  forwardDev?: string;
  /** Every <ip> whose address and prefix are usable, in XML order. */
  ips: IpAddressing[];
  /** The first usable IPv4 / IPv6 entry (libvirt's dnsmasq and firewall rules use these). */
  ipv4?: IpAddressing;
  ipv6?: IpAddressing;
}

/** The prefix libvirt derives for an <ip>, or -1 when there is none (non-contiguous netmask, class D/E address). */
export function effectivePrefix(ip: IpConfig, address: ParsedIp): number {
  if (ip.prefix !== undefined && ip.prefix > 0) return ip.prefix;
  if (ip.netmask !== undefined) {
    const mask = parseIp(ip.netmask);
    return mask ? prefixFromNetmask(mask) : -1;
  }
  if (familyOf(address) === 'ipv6') return 64;
  const first = address.toByteArray()[0];
  if (address.toByteArray().every((b) => b === 0)) return 0;
  if ((first & 0x80) === 0) return 8;
  if ((first & 0xc0) === 0x80) return 16;
  if ((first & 0xe0) === 0xc0) return 24;
  return -1;
}

export function ipAddressing(ip: IpConfig, index: number): IpAddressing | null {
  const address = parseIp(ip.address);
  if (!address) return null;
  const family = familyOf(address);
  const prefix = effectivePrefix(ip, address);
  if (prefix < 0 || prefix > (family === 'ipv4' ? 32 : 128)) return null;
  const subnet = subnetOf(address, prefix);
  return {
    index,
    family,
    address: formatIp(address),
    prefix,
    netmask: family === 'ipv4' ? netmaskFromPrefix(prefix) : undefined,
    subnet: subnetCidr(subnet),
    networkAddress: formatIp(subnet.network),
    broadcast: family === 'ipv4' ? formatIp(subnet.last) : undefined,
    dhcpRanges: ip.dhcp?.ranges ?? [],
    dhcpHosts: ip.dhcp?.hosts ?? [],
    parsed: { address, subnet },
  };
}

/** The bridge name libvirt would use as written: undefined when absent, empty or a `%d` template. */
export function writtenBridgeName(network: Network): string | undefined {
  const name = network.bridge?.name;
  return name && !name.includes('%d') ? name : undefined;
}

export function networkAddressing(network: Network): NetworkAddressing {
  const ips: IpAddressing[] = [];
  network.ips.forEach((ip, i) => {
    const a = ipAddressing(ip, i);
    if (a) ips.push(a);
  });
  return {
    name: network.name,
    bridgeName: writtenBridgeName(network),
    forwardMode: forwardModeOf(network),
    forwardDev: network.forward?.dev,
    ips,
    ipv4: ips.find((a) => a.family === 'ipv4'),
    ipv6: ips.find((a) => a.family === 'ipv6'),
  };
}
