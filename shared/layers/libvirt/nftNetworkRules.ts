// libvirt ≥ 10.4 with firewall_backend = "nftables": tables `ip
// libvirt_network` and `ip6 libvirt_network` (libvirt.md §3; fixtures
// v11-nftables commands.txt). Same forward-path content as the iptables
// backend, no INPUT/OUTPUT rules, no CHECKSUM rule (tc csum instead, not a
// netfilter rule). Rules are `nft -ae insert rule …` (top of chain), bridges
// matched by iif/oif, `dev=` by iifname/oifname. libvirt records each rule's
// handle and deletes by handle later (status XML fwRemoval).

import type { Family } from '../../netfilter/model.ts';
import type { IpAddressing } from '../../libvirt/networkAddressing.ts';
import type { NetworkFirewallFacts } from './networkFirewallFacts.ts';

export const NFT_TABLE = 'libvirt_network';

export type NftChainRole = 'guest_output' | 'guest_input' | 'guest_cross' | 'guest_nat';

export interface NftRuleSpec {
  family: Family;
  chain: NftChainRole;
  /** Words after `insert rule ip libvirt_network CHAIN`. */
  spec: string[];
  reason: string;
}

export function nftFamilyWord(family: Family): 'ip' | 'ip6' {
  return family === 'ipv4' ? 'ip' : 'ip6';
}

/** The setup commands of one family's table (after `nft list table` found it missing), as captured. */
export function nftTableSetupArgs(family: Family): { args: string[]; reason: string; chain?: string }[] {
  const fam = nftFamilyWord(family);
  const out: { args: string[]; reason: string; chain?: string }[] = [
    { args: ['add', 'table', fam, NFT_TABLE], reason: `libvirt's own ${fam} table` },
    { args: ['add', 'chain', fam, NFT_TABLE, 'forward', '{ type filter hook forward priority 0; policy accept; }'], reason: 'base chain on the forward hook', chain: 'forward' },
  ];
  for (const chain of ['guest_output', 'guest_input', 'guest_cross']) {
    out.push({ args: ['add', 'chain', fam, NFT_TABLE, chain], reason: `chain for ${chain.replace('guest_', '')} rules`, chain });
    out.push({ args: ['insert', 'rule', fam, NFT_TABLE, 'forward', 'counter', 'jump', chain], reason: `forward → ${chain}` });
  }
  out.push({ args: ['add', 'chain', fam, NFT_TABLE, 'guest_nat', '{ type nat hook postrouting priority 100; policy accept; }'], reason: 'base chain for NAT on postrouting', chain: 'guest_nat' });
  return out;
}

class NftFactory {
  constructor(private readonly f: NetworkFirewallFacts) {}

  reject(family: Family, chain: 'guest_output' | 'guest_input'): NftRuleSpec {
    const dir = chain === 'guest_output' ? ['iif', this.f.bridge] : ['oif', this.f.bridge];
    const what = chain === 'guest_output' ? 'out of' : 'into';
    return { family, chain, spec: [...dir, 'counter', 'reject'], reason: `forward mode ${this.f.modeLabel}: reject anything else forwarded ${what} ${this.f.bridge}` };
  }

  cross(family: Family): NftRuleSpec {
    return { family, chain: 'guest_cross', spec: ['iif', this.f.bridge, 'oif', this.f.bridge, 'counter', 'accept'], reason: `guests on ${this.f.bridge} may talk to each other through the host` };
  }

  allowOut(ip: IpAddressing): NftRuleSpec {
    const fam = nftFamilyWord(ip.family);
    const dev = this.f.dev ? ['oifname', this.f.dev] : [];
    return { family: ip.family, chain: 'guest_output', spec: [fam, 'saddr', ip.subnet, 'iif', this.f.bridge, ...dev, 'counter', 'accept'], reason: `forward mode ${this.f.modeLabel}: allow traffic from ${ip.subnet} out of ${this.f.bridge}${this.f.dev ? ` to ${this.f.dev}` : ''}` };
  }

  allowIn(ip: IpAddressing, related: boolean): NftRuleSpec {
    const fam = nftFamilyWord(ip.family);
    const dev = this.f.dev ? ['iifname', this.f.dev] : [];
    const from = this.f.dev ? ` from ${this.f.dev}` : '';
    if (related) {
      const spec = [...dev, 'oif', this.f.bridge, fam, 'daddr', ip.subnet, 'ct', 'state', 'related,established', 'counter', 'accept'];
      return { family: ip.family, chain: 'guest_input', spec, reason: `forward mode ${this.f.modeLabel}: allow replies (established,related) to ${ip.subnet} into ${this.f.bridge}${from}` };
    }
    return { family: ip.family, chain: 'guest_input', spec: [fam, 'daddr', ip.subnet, ...dev, 'oif', this.f.bridge, 'counter', 'accept'], reason: `forward mode ${this.f.modeLabel}: allow traffic to ${ip.subnet} into ${this.f.bridge}${from}` };
  }

  masquerade(ip: IpAddressing, proto: 'tcp' | 'udp' | null): NftRuleSpec {
    const f = this.f;
    const fam = nftFamilyWord(ip.family);
    const spec = [...(proto ? ['meta', 'l4proto', proto] : []), fam, 'saddr', ip.subnet, fam, 'daddr', '!=', ip.subnet, ...(f.dev ? ['oifname', f.dev] : []), 'counter'];
    let ports = '';
    if (proto) {
      const dflt = f.nat.portStart === 0 && f.nat.portEnd === 0;
      const start = dflt ? 1024 : f.nat.portStart;
      const end = dflt ? 65535 : f.nat.portEnd;
      if (start < end && end < 65536) ports = `${start}-${end}`;
    }
    const snat = f.nat.addressStart !== undefined && ip.family === 'ipv4' && !f.nat.addressStart.includes(':');
    if (snat) spec.push('snat', 'to', `${f.nat.addressStart}${f.nat.addressEnd ? `-${f.nat.addressEnd}` : ''}${ports ? `:${ports}` : ''}`);
    else spec.push('masquerade', ...(ports ? ['to', `:${ports}`] : []));
    const how = snat ? `source-NAT to ${spec[spec.length - 1]}` : `masquerade${ports ? ` (source ports ${ports})` : ''}`;
    return { family: ip.family, chain: 'guest_nat', spec, reason: `forward mode nat: ${how} ${proto ?? 'all protocols'} from ${ip.subnet} leaving the subnet${f.dev ? ` through ${f.dev}` : ''}` };
  }

  dontMasquerade(ip: IpAddressing, destination: string, what: string): NftRuleSpec {
    const fam = nftFamilyWord(ip.family);
    const dev = this.f.dev ? ['oifname', this.f.dev] : [];
    return { family: ip.family, chain: 'guest_nat', spec: [...dev, fam, 'saddr', ip.subnet, fam, 'daddr', destination, 'counter', 'return'], reason: `forward mode nat: do not masquerade ${what} from ${ip.subnet} (${destination})` };
  }
}

/** One network's nft rules in libvirt's insertion order (network_nftables.c, as captured). */
export function nftNetworkRules(f: NetworkFirewallFacts): NftRuleSpec[] {
  const r = new NftFactory(f);
  const out: NftRuleSpec[] = [r.reject('ipv4', 'guest_output'), r.reject('ipv4', 'guest_input'), r.cross('ipv4')];
  if (f.hasIpv6 || f.ipv6NoGateway) out.push(r.reject('ipv6', 'guest_output'), r.reject('ipv6', 'guest_input'), r.cross('ipv6'));
  for (const ip of f.ips) {
    if (f.mode === 'nat' && (ip.family === 'ipv4' || f.nat.ipv6)) {
      out.push(r.allowOut(ip), r.allowIn(ip, true), r.masquerade(ip, null), r.masquerade(ip, 'udp'), r.masquerade(ip, 'tcp'));
      if (ip.family === 'ipv4') out.push(r.dontMasquerade(ip, '255.255.255.255/32', 'broadcast'));
      out.push(r.dontMasquerade(ip, ip.family === 'ipv4' ? '224.0.0.0/24' : 'ff02::/16', 'local multicast'));
    } else if (f.mode === 'nat' || f.mode === 'route') {
      out.push(r.allowOut(ip), r.allowIn(ip, false));
    }
  }
  return out;
}
