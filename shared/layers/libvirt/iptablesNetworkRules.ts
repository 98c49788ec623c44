// libvirt's per-network iptables rules, in the order libvirt runs them.
// Captured (libvirt.md §2, fixtures v9-iptables and v11-iptables commands.txt;
// 9.0 and 11.3 produce the same commands):
//   add:    general IPv4 (INP/OUT dhcp+dns, FWO/FWI REJECTs, FWX) → general
//           IPv6 (when the network has IPv6) → per <ip> in XML order (nat:
//           FWO accept, FWI related accept, PRT all/udp/tcp MASQUERADE or SNAT,
//           RETURNs; route: FWO, FWI accepts) → [own transaction, errors
//           ignored] mangle CHECKSUM when the first IPv4 has DHCP.
//   every rule is `--insert` at position 1, which is why the REJECTs come
//   first and the MASQUERADE/RETURN rules in reverse (network_iptables.c).
//   remove: libvirt 9.0 recomputes the list (order below, as captured);
//           ≥ 10.4 replays the stored add list in reverse.
// libvirt < 5.1 put the same kind of rules straight into the built-in chains
// (story.md's listing; libvirt.md §5, from memory, not captured).

import type { Family } from '../../netfilter/model.ts';
import type { IpAddressing } from '../../libvirt/networkAddressing.ts';
import type { LibvirtChainLayout } from './libvirtVersion.ts';
import type { NetworkFirewallFacts } from './networkFirewallFacts.ts';

export type ChainRole = 'INP' | 'OUT' | 'FWO' | 'FWI' | 'FWX' | 'PRT';

export interface IptRuleSpec {
  family: Family;
  table: 'filter' | 'nat' | 'mangle';
  role: ChainRole;
  /** Words after `--insert CHAIN` / `--delete CHAIN`. */
  spec: string[];
  reason: string;
}

export interface NetworkIptRules {
  /** First transaction: general and per-address rules (a failure aborts the start). */
  add: IptRuleSpec[];
  /** Second transaction, failures ignored: the DHCP checksum rule. */
  checksum: IptRuleSpec[];
  /** libvirt < 10.4 recomputes what to delete, in this order. */
  remove: IptRuleSpec[];
}

const BUILTIN: Record<ChainRole, string> = { INP: 'INPUT', OUT: 'OUTPUT', FWO: 'FORWARD', FWI: 'FORWARD', FWX: 'FORWARD', PRT: 'POSTROUTING' };

export function chainName(layout: LibvirtChainLayout, role: ChainRole): string {
  return layout === 'private-chains' ? `LIBVIRT_${role}` : BUILTIN[role];
}

class RuleFactory {
  constructor(private readonly f: NetworkFirewallFacts) {}

  private get br(): string {
    return this.f.bridge;
  }

  input(family: Family, proto: 'tcp' | 'udp', port: number, what: string): IptRuleSpec {
    const spec = ['--in-interface', this.br, '--protocol', proto, '--destination-port', String(port), '--jump', 'ACCEPT'];
    return { family, table: 'filter', role: 'INP', spec, reason: `guests on ${this.br} may reach libvirt's dnsmasq on the host: ${what} (${proto} ${port})` };
  }

  output(family: Family, proto: 'tcp' | 'udp', port: number, what: string): IptRuleSpec {
    const spec = ['--out-interface', this.br, '--protocol', proto, '--destination-port', String(port), '--jump', 'ACCEPT'];
    return { family, table: 'filter', role: 'OUT', spec, reason: `the host may answer guests on ${this.br}: ${what} (${proto} ${port})` };
  }

  rejectOut(family: Family): IptRuleSpec {
    return { family, table: 'filter', role: 'FWO', spec: ['--in-interface', this.br, '--jump', 'REJECT'], reason: `forward mode ${this.f.modeLabel}: reject anything else forwarded out of ${this.br}` };
  }

  rejectIn(family: Family): IptRuleSpec {
    return { family, table: 'filter', role: 'FWI', spec: ['--out-interface', this.br, '--jump', 'REJECT'], reason: `forward mode ${this.f.modeLabel}: reject anything else forwarded into ${this.br}` };
  }

  cross(family: Family): IptRuleSpec {
    return { family, table: 'filter', role: 'FWX', spec: ['--in-interface', this.br, '--out-interface', this.br, '--jump', 'ACCEPT'], reason: `guests on ${this.br} may talk to each other through the host` };
  }

  allowOut(ip: IpAddressing): IptRuleSpec {
    const dev = this.f.dev ? ['--out-interface', this.f.dev] : [];
    const to = this.f.dev ? ` to ${this.f.dev}` : '';
    return { family: ip.family, table: 'filter', role: 'FWO', spec: ['--source', ip.subnet, '--in-interface', this.br, ...dev, '--jump', 'ACCEPT'], reason: `forward mode ${this.f.modeLabel}: allow traffic from ${ip.subnet} out of ${this.br}${to}` };
  }

  allowIn(ip: IpAddressing, related: boolean): IptRuleSpec {
    const dev = this.f.dev ? ['--in-interface', this.f.dev] : [];
    const ct = related ? ['--match', 'conntrack', '--ctstate', 'ESTABLISHED,RELATED'] : [];
    const from = this.f.dev ? ` from ${this.f.dev}` : '';
    const what = related ? `replies (ESTABLISHED,RELATED) to ${ip.subnet}` : `traffic to ${ip.subnet}`;
    return { family: ip.family, table: 'filter', role: 'FWI', spec: ['--destination', ip.subnet, ...dev, '--out-interface', this.br, ...ct, '--jump', 'ACCEPT'], reason: `forward mode ${this.f.modeLabel}: allow ${what} into ${this.br}${from}` };
  }

  masquerade(ip: IpAddressing, proto: 'tcp' | 'udp' | null): IptRuleSpec {
    const f = this.f;
    const spec = ['--source', ip.subnet, ...(proto ? ['-p', proto] : []), '!', '--destination', ip.subnet, ...(f.dev ? ['--out-interface', f.dev] : [])];
    let ports = '';
    if (proto) {
      const start = f.nat.portStart === 0 && f.nat.portEnd === 0 ? 1024 : f.nat.portStart;
      const end = f.nat.portStart === 0 && f.nat.portEnd === 0 ? 65535 : f.nat.portEnd;
      // An empty or reversed range never gets here: addNetworkRules refuses it first, as libvirt does.
      if (start < end && end < 65536) ports = `${start}-${end}`;
    }
    const snat = f.nat.addressStart !== undefined && ip.family === 'ipv4' && !f.nat.addressStart.includes(':');
    if (snat) {
      const range = `${f.nat.addressStart}${f.nat.addressEnd ? `-${f.nat.addressEnd}` : ''}${ports ? `:${ports}` : ''}`;
      spec.push('--jump', 'SNAT', '--to-source', range);
    } else {
      spec.push('--jump', 'MASQUERADE', ...(ports ? ['--to-ports', ports] : []));
    }
    const what = proto ?? 'all protocols';
    const how = snat ? `source-NAT to ${spec[spec.length - 1]}` : `masquerade${ports ? ` (source ports ${ports})` : ''}`;
    return { family: ip.family, table: 'nat', role: 'PRT', spec, reason: `forward mode nat: ${how} ${what} from ${ip.subnet} leaving the subnet${f.dev ? ` through ${f.dev}` : ''}` };
  }

  dontMasquerade(ip: IpAddressing, destination: string, what: string): IptRuleSpec {
    const dev = this.f.dev ? ['--out-interface', this.f.dev] : [];
    return { family: ip.family, table: 'nat', role: 'PRT', spec: [...dev, '--source', ip.subnet, '--destination', destination, '--jump', 'RETURN'], reason: `forward mode nat: do not masquerade ${what} from ${ip.subnet} (${destination})` };
  }

  checksum(): IptRuleSpec {
    const spec = ['--out-interface', this.br, '--protocol', 'udp', '--destination-port', '68', '--jump', 'CHECKSUM', '--checksum-fill'];
    return { family: 'ipv4', table: 'mangle', role: 'PRT', spec, reason: `<dhcp> on ${this.br}: fill in UDP checksums of DHCP replies to guests` };
  }
}

/** Add and remove lists of one network with rules (modes none, nat, route). */
export function iptablesNetworkRules(f: NetworkFirewallFacts, layout: LibvirtChainLayout): NetworkIptRules {
  const r = new RuleFactory(f);
  const ipv6General = f.hasIpv6 || f.ipv6NoGateway;
  const add: IptRuleSpec[] = [];
  const remove: IptRuleSpec[] = [];
  if (layout === 'builtin-chains') {
    // libvirt < 5.1 (from memory; story.md shows the resulting order): no OUTPUT dns/tcp rules.
    add.push(r.input('ipv4', 'tcp', 67, 'DHCP'), r.input('ipv4', 'udp', 67, 'DHCP'), r.input('ipv4', 'tcp', 53, 'DNS'), r.input('ipv4', 'udp', 53, 'DNS'));
    if (f.tftpV4) add.push(r.input('ipv4', 'udp', 69, 'TFTP'));
    add.push(r.output('ipv4', 'udp', 68, 'DHCP replies'));
  } else {
    add.push(r.input('ipv4', 'tcp', 67, 'DHCP'), r.input('ipv4', 'udp', 67, 'DHCP'), r.output('ipv4', 'tcp', 68, 'DHCP replies'), r.output('ipv4', 'udp', 68, 'DHCP replies'));
    add.push(r.input('ipv4', 'tcp', 53, 'DNS'), r.input('ipv4', 'udp', 53, 'DNS'), r.output('ipv4', 'tcp', 53, 'DNS'), r.output('ipv4', 'udp', 53, 'DNS'));
    if (f.tftpV4) add.push(r.input('ipv4', 'udp', 69, 'TFTP'), r.output('ipv4', 'udp', 69, 'TFTP'));
  }
  add.push(r.rejectOut('ipv4'), r.rejectIn('ipv4'), r.cross('ipv4'));
  const v4Remove = add.slice().reverse();
  if (layout === 'private-chains') {
    // Captured 9.0 removal order (commands.txt teardown): FWX, REJECTs, then the dnsmasq rules.
    v4Remove.splice(0, v4Remove.length, r.cross('ipv4'), r.rejectIn('ipv4'), r.rejectOut('ipv4'));
    if (f.tftpV4) v4Remove.push(r.output('ipv4', 'udp', 69, 'TFTP'), r.input('ipv4', 'udp', 69, 'TFTP'));
    v4Remove.push(r.input('ipv4', 'udp', 53, 'DNS'), r.input('ipv4', 'tcp', 53, 'DNS'), r.output('ipv4', 'udp', 53, 'DNS'), r.output('ipv4', 'tcp', 53, 'DNS'));
    v4Remove.push(r.output('ipv4', 'udp', 68, 'DHCP replies'), r.output('ipv4', 'tcp', 68, 'DHCP replies'), r.input('ipv4', 'udp', 67, 'DHCP'), r.input('ipv4', 'tcp', 67, 'DHCP'));
  }
  const v6Add: IptRuleSpec[] = [];
  const v6Remove: IptRuleSpec[] = [];
  if (ipv6General) {
    v6Add.push(r.rejectOut('ipv6'), r.rejectIn('ipv6'), r.cross('ipv6'));
    if (f.hasIpv6) {
      v6Add.push(r.input('ipv6', 'tcp', 53, 'DNS'), r.input('ipv6', 'udp', 53, 'DNS'));
      if (layout === 'private-chains') v6Add.push(r.output('ipv6', 'tcp', 53, 'DNS'), r.output('ipv6', 'udp', 53, 'DNS'));
      v6Add.push(r.input('ipv6', 'udp', 547, 'DHCPv6'));
      if (layout === 'private-chains') v6Add.push(r.output('ipv6', 'udp', 546, 'DHCPv6 replies'));
    }
    v6Remove.push(...v6Add.slice(3).reverse(), r.cross('ipv6'), r.rejectIn('ipv6'), r.rejectOut('ipv6'));
  }
  add.push(...v6Add);

  const ipAdd: IptRuleSpec[] = [];
  const ipRemove: IptRuleSpec[] = [];
  for (const ip of f.ips) {
    if (f.mode === 'nat' && (ip.family === 'ipv4' || f.nat.ipv6)) {
      const broadcast = ip.family === 'ipv4' ? [r.dontMasquerade(ip, '255.255.255.255/32', 'broadcast')] : [];
      const multicast = r.dontMasquerade(ip, ip.family === 'ipv4' ? '224.0.0.0/24' : 'ff02::/16', 'local multicast');
      ipAdd.push(r.allowOut(ip), r.allowIn(ip, true), r.masquerade(ip, null), r.masquerade(ip, 'udp'), r.masquerade(ip, 'tcp'), ...broadcast, multicast);
      ipRemove.push(multicast, ...broadcast, r.masquerade(ip, 'tcp'), r.masquerade(ip, 'udp'), r.masquerade(ip, null), r.allowIn(ip, true), r.allowOut(ip));
    } else if (f.mode === 'nat' || f.mode === 'route') {
      // IPv6 in a nat network is routed, not masqueraded (libvirt.md §2.2).
      ipAdd.push(r.allowOut(ip), r.allowIn(ip, false));
      ipRemove.push(r.allowIn(ip, false), r.allowOut(ip));
    }
  }
  add.push(...ipAdd);
  remove.push(...(f.dhcpV4 ? [r.checksum()] : []), ...ipRemove, ...v4Remove, ...v6Remove);
  return { add, checksum: f.dhcpV4 ? [r.checksum()] : [], remove };
}
