// Protocol and ICMP type names as iptables reads and prints them.
// -p: libxtables xtables_parse_protocol (its own short table, then
// /etc/protocols); iptables-save prints getprotobynumber()'s first name, or the
// number (`-p 47` → `-p gre`, `-p icmpv6` → `-p ipv6-icmp`, `-p 0`/`all` → no
// -p at all; checked with iptables 1.8.9). The table below is Debian netbase's
// /etc/protocols.
// ICMP names: libipt_icmp.c / libip6t_icmp6.c icmp_codes; save prints numbers,
// `type` when the code range is 0-255, else `type/code`.

import { optionError } from './iptOptionSpec.ts';

const PROTOCOLS: readonly [number, string, ...string[]][] = [
  [1, 'icmp'], [2, 'igmp'], [3, 'ggp'], [4, 'ipencap'], [5, 'st'], [6, 'tcp'], [8, 'egp'], [9, 'igp'], [12, 'pup'],
  [17, 'udp'], [20, 'hmp'], [22, 'xns-idp'], [27, 'rdp'], [29, 'iso-tp4'], [33, 'dccp'], [36, 'xtp'], [37, 'ddp'],
  [38, 'idpr-cmtp'], [41, 'ipv6'], [43, 'ipv6-route'], [44, 'ipv6-frag'], [45, 'idrp'], [46, 'rsvp'], [47, 'gre'],
  [50, 'esp', 'ipsec-esp'], [51, 'ah', 'ipsec-ah'], [57, 'skip'], [58, 'ipv6-icmp', 'icmpv6', 'icmp6'], [59, 'ipv6-nonxt'],
  [60, 'ipv6-opts'], [73, 'rspf', 'cphb'], [81, 'vmtp'], [88, 'eigrp'], [89, 'ospf', 'ospfigp'], [93, 'ax.25'], [94, 'ipip'],
  [97, 'etherip'], [98, 'encap'], [103, 'pim'], [108, 'ipcomp'], [112, 'vrrp'], [115, 'l2tp'], [124, 'isis'],
  [132, 'sctp'], [133, 'fc'], [135, 'mobility-header', 'mh'], [136, 'udplite'], [137, 'mpls-in-ip'], [138, 'manet'],
  [139, 'hip'], [140, 'shim6'], [141, 'wesp'], [142, 'rohc'], [143, 'ethernet'],
];

const BY_NAME = new Map<string, number>();
const BY_NUMBER = new Map<number, string>();
for (const [num, name, ...aliases] of PROTOCOLS) {
  BY_NUMBER.set(num, name);
  for (const n of [name, ...aliases]) BY_NAME.set(n, num);
}
BY_NAME.set('all', 0);
BY_NAME.set('ip', 0);

/** Canonical `-p` value, or '' for "all" (printed as no -p). */
export function canonicalProtocol(text: string): string {
  const lower = text.toLowerCase();
  let num: number | undefined;
  if (/^\d{1,3}$/.test(lower) && Number(lower) <= 255) num = Number(lower);
  else num = BY_NAME.get(lower);
  if (num === undefined) throw optionError('protocol', text, 'is not a known protocol name or number (0-255)');
  if (num === 0) return '';
  return BY_NUMBER.get(num) ?? String(num);
}

/** The protocol number of a canonical -p value (for the evaluator). */
export function protocolNumber(canonical: string): number | undefined {
  return /^\d+$/.test(canonical) ? Number(canonical) : BY_NAME.get(canonical);
}

type IcmpName = [string, number, number, number];

const ICMP_NAMES: readonly IcmpName[] = [
  ['any', 0xff, 0, 0xff], ['echo-reply', 0, 0, 0xff], ['pong', 0, 0, 0xff], ['destination-unreachable', 3, 0, 0xff],
  ['network-unreachable', 3, 0, 0], ['host-unreachable', 3, 1, 1], ['protocol-unreachable', 3, 2, 2],
  ['port-unreachable', 3, 3, 3], ['fragmentation-needed', 3, 4, 4], ['source-route-failed', 3, 5, 5],
  ['network-unknown', 3, 6, 6], ['host-unknown', 3, 7, 7], ['network-prohibited', 3, 9, 9], ['host-prohibited', 3, 10, 10],
  ['TOS-network-unreachable', 3, 11, 11], ['TOS-host-unreachable', 3, 12, 12], ['communication-prohibited', 3, 13, 13],
  ['host-precedence-violation', 3, 14, 14], ['precedence-cutoff', 3, 15, 15], ['source-quench', 4, 0, 0xff],
  ['redirect', 5, 0, 0xff], ['network-redirect', 5, 0, 0], ['host-redirect', 5, 1, 1], ['TOS-network-redirect', 5, 2, 2],
  ['TOS-host-redirect', 5, 3, 3], ['echo-request', 8, 0, 0xff], ['ping', 8, 0, 0xff], ['router-advertisement', 9, 0, 0xff],
  ['router-solicitation', 10, 0, 0xff], ['time-exceeded', 11, 0, 0xff], ['ttl-exceeded', 11, 0, 0xff],
  ['ttl-zero-during-transit', 11, 0, 0], ['ttl-zero-during-reassembly', 11, 1, 1], ['parameter-problem', 12, 0, 0xff],
  ['ip-header-bad', 12, 0, 0], ['required-option-missing', 12, 1, 1], ['timestamp-request', 13, 0, 0xff],
  ['timestamp-reply', 14, 0, 0xff], ['address-mask-request', 17, 0, 0xff], ['address-mask-reply', 18, 0, 0xff],
];

const ICMPV6_NAMES: readonly IcmpName[] = [
  ['destination-unreachable', 1, 0, 0xff], ['no-route', 1, 0, 0], ['communication-prohibited', 1, 1, 1],
  ['beyond-scope', 1, 2, 2], ['address-unreachable', 1, 3, 3], ['port-unreachable', 1, 4, 4], ['failed-policy', 1, 5, 5],
  ['reject-route', 1, 6, 6], ['packet-too-big', 2, 0, 0xff], ['time-exceeded', 3, 0, 0xff], ['ttl-exceeded', 3, 0, 0xff],
  ['ttl-zero-during-transit', 3, 0, 0], ['ttl-zero-during-reassembly', 3, 1, 1], ['parameter-problem', 4, 0, 0xff],
  ['bad-header', 4, 0, 0], ['unknown-header-type', 4, 1, 1], ['unknown-option', 4, 2, 2], ['echo-request', 128, 0, 0xff],
  ['ping', 128, 0, 0xff], ['echo-reply', 129, 0, 0xff], ['pong', 129, 0, 0xff], ['mld-listener-query', 130, 0, 0xff],
  ['mld-listener-report', 131, 0, 0xff], ['mld-listener-done', 132, 0, 0xff], ['mld-listener-reduction', 132, 0, 0xff],
  ['router-solicitation', 133, 0, 0xff], ['router-advertisement', 134, 0, 0xff], ['neighbour-solicitation', 135, 0, 0xff],
  ['neighbor-solicitation', 135, 0, 0xff], ['neighbour-advertisement', 136, 0, 0xff], ['neighbor-advertisement', 136, 0, 0xff],
  ['redirect', 137, 0, 0xff],
];

function canonicalIcmp(text: string, option: string, names: readonly IcmpName[]): string {
  const named = names.find(([n]) => n.toLowerCase() === text.toLowerCase());
  let type: number;
  let lo: number;
  let hi: number;
  if (named) [, type, lo, hi] = named;
  else {
    const m = /^(\d{1,3})(?:\/(\d{1,3}))?$/.exec(text);
    if (!m || Number(m[1]) > 255 || (m[2] !== undefined && Number(m[2]) > 255)) {
      throw optionError(option, text, 'is not a known ICMP type name or TYPE[/CODE] number');
    }
    type = Number(m[1]);
    lo = m[2] === undefined ? 0 : Number(m[2]);
    hi = m[2] === undefined ? 0xff : lo;
  }
  if (type === 0xff && names === ICMP_NAMES) return 'any';
  return lo === 0 && hi === 0xff ? String(type) : `${type}/${lo}`;
}

export function canonicalIcmpType(text: string): string {
  return canonicalIcmp(text, 'icmp-type', ICMP_NAMES);
}

export function canonicalIcmpv6Type(text: string): string {
  return canonicalIcmp(text, 'icmpv6-type', ICMPV6_NAMES);
}
