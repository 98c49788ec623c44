// Which address each guest has: its static one, or the lease libvirt's dnsmasq
// would hand out. dnsmasq picks addresses from the range by a hash of the MAC;
// the lab has no MACs, so the simulator takes the first free address of the
// range (in guest order) and says so in the assumptions. Addresses reserved by
// `<host ip=…>`, the host's own address and static guests are skipped.

import type { Guest } from '../lab/labModel.ts';
import { formatIpv4, inPrefix, isIpv4, parseIpv4 } from './ipv4.ts';
import type { SimNetwork } from './simNetwork.ts';

export interface GuestAddress {
  address: number | null;
  source: 'static' | 'dhcp';
  /** Why there is no address (no range, range exhausted, static address not IPv4). */
  problem?: string;
  /** Shown as an assumption for DHCP guests. */
  note?: string;
  /** The guest has only IPv6 (a static IPv6 address, or an IPv6-only network): the simulator has no verdict for it. */
  ipv6Only?: string;
}

export function assignGuestAddresses(guests: readonly Guest[], networks: ReadonlyMap<string, SimNetwork>): Map<string, GuestAddress> {
  const out = new Map<string, GuestAddress>();
  const taken = new Map<string, Set<number>>();
  const takenOn = (netId: string): Set<number> => {
    let s = taken.get(netId);
    if (!s) {
      const net = networks.get(netId);
      s = new Set<number>([...(net?.ipv4.map((i) => i.address) ?? []), ...(net?.dhcpReserved ?? [])]);
      taken.set(netId, s);
    }
    return s;
  };
  for (const g of guests) {
    if (g.address === undefined || g.address === '') continue;
    const addr = g.address.split('/')[0].trim();
    if (!isIpv4(addr)) {
      const v6 = addr.includes(':');
      out.set(g.id, { address: null, source: 'static', problem: `static address ${JSON.stringify(g.address)} is not an IPv4 address`, ...(v6 ? { ipv6Only: `${g.name} has only the IPv6 address ${g.address}` } : {}) });
      continue;
    }
    const n = parseIpv4(addr);
    takenOn(g.networkId).add(n);
    out.set(g.id, { address: n, source: 'static' });
  }
  for (const g of guests) {
    if (out.has(g.id)) continue;
    const net = networks.get(g.networkId);
    if (!net) {
      out.set(g.id, { address: null, source: 'dhcp', problem: `network ${g.networkId} does not exist` });
      continue;
    }
    const subnet = net.ipv4[0];
    const range = net.dhcpRanges[0];
    if (!subnet && net.hasIpv6) {
      out.set(g.id, { address: null, source: 'dhcp', problem: `network ${net.name} has no IPv4 address`, ipv6Only: `network ${net.name} of ${g.name} is IPv6 only` });
      continue;
    }
    if (!subnet || !range) {
      out.set(g.id, { address: null, source: 'dhcp', problem: `network ${net.name} has no IPv4 DHCP range and ${g.name} has no static address` });
      continue;
    }
    const used = takenOn(g.networkId);
    let picked: number | null = null;
    for (const r of net.dhcpRanges) {
      for (let a = r.start; a <= r.end && a - r.start < 65536; a++) {
        // dnsmasq only leases addresses inside the interface's subnet.
        if (!inPrefix(a, subnet.network, subnet.prefix) || used.has(a)) continue;
        picked = a;
        break;
      }
      if (picked !== null) break;
    }
    if (picked === null) {
      out.set(g.id, { address: null, source: 'dhcp', problem: `the DHCP range ${range.text} of network ${net.name} has no free address inside ${subnet.text}` });
      continue;
    }
    used.add(picked);
    out.set(g.id, { address: picked, source: 'dhcp', note: `${g.name} gets ${formatIpv4(picked)} by DHCP (the first free address of ${range.text}; dnsmasq really picks by MAC hash)` });
  }
  return out;
}
