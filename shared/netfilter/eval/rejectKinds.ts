// REJECT kinds → what is sent back. iptables names from libipt_REJECT.man /
// libip6t_REJECT.man (default icmp-port-unreachable / icmp6-port-unreachable);
// nft codes from nft(8) and doc/data-types (icmp_code, icmpv6_code, icmpx_code:
// no-route 0, port-unreachable 1, host-unreachable 2, admin-prohibited 3, which
// nft_reject_inet.c maps per family as below). firewall-layers.md §5 fact 8.

import type { Family } from '../model.ts';
import type { RejectWith } from './compiledForm.ts';

const IPT_V4: Record<string, [number, string]> = {
  'icmp-net-unreachable': [0, 'icmp-net-unreachable'], 'net-unreach': [0, 'icmp-net-unreachable'],
  'icmp-host-unreachable': [1, 'icmp-host-unreachable'], 'host-unreach': [1, 'icmp-host-unreachable'],
  'icmp-proto-unreachable': [2, 'icmp-proto-unreachable'], 'proto-unreach': [2, 'icmp-proto-unreachable'],
  'icmp-port-unreachable': [3, 'icmp-port-unreachable'], 'port-unreach': [3, 'icmp-port-unreachable'],
  'icmp-net-prohibited': [9, 'icmp-net-prohibited'], 'net-prohib': [9, 'icmp-net-prohibited'],
  'icmp-host-prohibited': [10, 'icmp-host-prohibited'], 'host-prohib': [10, 'icmp-host-prohibited'],
  'icmp-admin-prohibited': [13, 'icmp-admin-prohibited'], 'admin-prohib': [13, 'icmp-admin-prohibited'],
};

const IPT_V6: Record<string, [number, string]> = {
  'icmp6-no-route': [0, 'icmp6-no-route'], 'no-route': [0, 'icmp6-no-route'],
  'icmp6-adm-prohibited': [1, 'icmp6-adm-prohibited'], 'adm-prohibited': [1, 'icmp6-adm-prohibited'],
  'icmp6-addr-unreachable': [3, 'icmp6-addr-unreachable'], 'addr-unreach': [3, 'icmp6-addr-unreachable'],
  'icmp6-port-unreachable': [4, 'icmp6-port-unreachable'], 'port-unreach': [4, 'icmp6-port-unreachable'],
  'icmp6-policy-fail': [5, 'icmp6-policy-fail'], 'policy-fail': [5, 'icmp6-policy-fail'],
  'icmp6-reject-route': [6, 'icmp6-reject-route'], 'reject-route': [6, 'icmp6-reject-route'],
};

/** `--reject-with X` (absent → the default). null when the name is unknown for the family. */
export function iptRejectWith(family: Family, name: string | undefined): RejectWith | null {
  if (name === 'tcp-reset' || name === 'tcp-rst') return { kind: 'tcp-reset', name: 'tcp-reset' };
  const table = family === 'ipv4' ? IPT_V4 : IPT_V6;
  const hit = table[name ?? (family === 'ipv4' ? 'icmp-port-unreachable' : 'icmp6-port-unreachable')];
  return hit ? { kind: 'icmp', family, code: hit[0], name: hit[1] } : null;
}

const NFT_ICMP: Record<string, number> = {
  'net-unreachable': 0, 'host-unreachable': 1, 'prot-unreachable': 2, 'port-unreachable': 3,
  'net-prohibited': 9, 'host-prohibited': 10, 'admin-prohibited': 13,
};
const NFT_ICMPV6: Record<string, number> = {
  'no-route': 0, 'admin-prohibited': 1, 'addr-unreachable': 3, 'port-unreachable': 4, 'policy-fail': 5, 'reject-route': 6,
};
/** icmpx code → [IPv4 code, IPv6 code] (nft_reject.c nft_reject_icmp_code / nft_reject_icmpv6_code). */
const NFT_ICMPX: Record<string, [number, number]> = {
  'no-route': [0, 0], 'port-unreachable': [3, 4], 'host-unreachable': [1, 3], 'admin-prohibited': [13, 1],
};

/**
 * nft `reject [with icmp|icmpv6|icmpx [type] CODE | with tcp reset]` for a packet of `family`.
 * A bare `reject` sends port-unreachable (icmpx port-unreachable in inet/bridge tables).
 * `with icmp` in an ip6 context (or `icmpv6` for IPv4) cannot apply: null (the rule would not load).
 */
export function nftRejectWith(packetFamily: Family, withType: string | undefined, code: string | undefined): RejectWith | null {
  if (withType === 'tcp reset') return { kind: 'tcp-reset', name: 'tcp reset' };
  const c = (code ?? '').replace(/^type\s+/, '').trim();
  const numeric = /^\d+$/.test(c) ? Number(c) : null;
  if (withType === undefined) {
    const v = packetFamily === 'ipv4' ? 3 : 4;
    return { kind: 'icmp', family: packetFamily, code: v, name: 'port-unreachable' };
  }
  if (withType === 'icmpx') {
    const pair = NFT_ICMPX[c];
    if (!pair) return null;
    return { kind: 'icmp', family: packetFamily, code: packetFamily === 'ipv4' ? pair[0] : pair[1], name: `icmpx ${c}` };
  }
  if (withType === 'icmp') {
    if (packetFamily !== 'ipv4') return null;
    const v = numeric ?? NFT_ICMP[c];
    return v === undefined ? null : { kind: 'icmp', family: 'ipv4', code: v, name: `icmp ${c}` };
  }
  if (withType === 'icmpv6') {
    if (packetFamily !== 'ipv6') return null;
    const v = numeric ?? NFT_ICMPV6[c];
    return v === undefined ? null : { kind: 'icmp', family: 'ipv6', code: v, name: `icmpv6 ${c}` };
  }
  return null;
}
