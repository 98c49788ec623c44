// libvirt's sanity check of an address range (virSocketAddrGetRange,
// src/util/virsocketaddr.c), with its messages word for word: used for DHCP
// ranges (checked against the <ip>'s address and prefix) and for the
// <nat><address> range (no network). Returns the first message, or null.

import { compareIp, familyOf, formatIp, inSubnet, sameIp, subnetOf, type ParsedIp } from './ipMath.ts';

export interface RangeNetwork {
  /** The <ip address> as written in the XML (libvirt prints it, not the subnet address). */
  address: ParsedIp;
  /** virNetworkIPDefPrefix: -1 when the netmask is not contiguous. */
  prefix: number;
}

export interface RangeProblem {
  message: string;
  /** The attribute to point at. */
  culprit: 'start' | 'end';
}

export function checkAddressRange(start: ParsedIp, end: ParsedIp, network?: RangeNetwork): RangeProblem | null {
  const message = rangeMessage(start, end, network);
  if (!message) return null;
  const outside = network && network.prefix >= 0 && familyOf(start) === familyOf(network.address) && inSubnet(start, subnetOf(network.address, network.prefix));
  const culprit = message.startsWith('end of') || (message.includes('not entirely within') && outside) ? 'end' : 'start';
  return { message, culprit };
}

function rangeMessage(start: ParsedIp, end: ParsedIp, network?: RangeNetwork): string | null {
  const s = formatIp(start);
  const e = formatIp(end);
  if (familyOf(start) !== familyOf(end)) return `mismatch of address family in range ${s} - ${e}`;
  if (network) {
    const net = formatIp(network.address);
    if (familyOf(start) !== familyOf(network.address)) return `mismatch of address family in range ${s} - ${e} for network ${net}`;
    const max = familyOf(start) === 'ipv4' ? 32 : 128;
    // libvirt 9.0 prints two spaces before "checking", 11.3 one (fixture validation/netmask-noncontiguous).
    if (network.prefix < 0 || network.prefix > max) return `bad prefix ${network.prefix} for network ${net} when checking range ${s} - ${e}`;
    const subnet = subnetOf(network.address, network.prefix);
    if (!inSubnet(start, subnet) || !inSubnet(end, subnet)) return `range ${s} - ${e} is not entirely within network ${net}/${network.prefix}`;
    if (familyOf(start) === 'ipv4') {
      if (sameIp(start, subnet.network)) return `start of range ${s} - ${e} in network ${net}/${network.prefix} is the network address`;
      if (sameIp(end, subnet.last)) return `end of range ${s} - ${e} in network ${net}/${network.prefix} is the broadcast address`;
    }
  }
  const a = start.toByteArray();
  const b = end.toByteArray();
  // Legacy limit: all but the last two bytes (IPv4) / last 16-bit group (IPv6) must be equal.
  const fixed = familyOf(start) === 'ipv4' ? 2 : 14;
  for (let i = 0; i < fixed; i++) if (a[i] !== b[i]) return `range ${s} - ${e} is too large (> 65535)`;
  if (compareIp(start, end) > 0) {
    // The trailing space is part of libvirt's IPv4 message.
    return familyOf(start) === 'ipv4' ? `range ${s} - ${e} is reversed ` : `range ${s} - ${e} start larger than end`;
  }
  return null;
}
