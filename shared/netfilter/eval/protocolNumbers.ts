// Protocol, ICMP type and TCP flag names as iptables (libxt_*.c, /etc/protocols)
// and nft (doc/data-types.txt) spell them, mapped to numbers.

/** /etc/protocols names iptables and nft print, plus the aliases they accept. */
const PROTOCOLS: Record<string, number> = {
  all: 0, ip: 0, icmp: 1, igmp: 2, ipencap: 4, ipip: 4, tcp: 6, egp: 8, udp: 17, dccp: 33, ipv6: 41,
  'ipv6-route': 43, 'ipv6-frag': 44, gre: 47, esp: 50, ah: 51, 'ipv6-icmp': 58, icmpv6: 58, icmp6: 58,
  'ipv6-nonxt': 59, 'ipv6-opts': 60, ospf: 89, pim: 103, vrrp: 112, l2tp: 115, sctp: 132, mh: 135, udplite: 136,
};

export const PROTO_ICMP = 1;
export const PROTO_TCP = 6;
export const PROTO_UDP = 17;
export const PROTO_ICMPV6 = 58;
export const PROTO_SCTP = 132;
export const PROTO_UDPLITE = 136;
export const PROTO_DCCP = 33;

/** Protocols with 16-bit source/destination ports at the start of their header (th sport/dport, multiport). */
export function hasPorts(proto: number): boolean {
  return proto === PROTO_TCP || proto === PROTO_UDP || proto === PROTO_SCTP || proto === PROTO_UDPLITE || proto === PROTO_DCCP;
}

/** Number for a protocol name or decimal number; null when unknown. */
export function protocolNumber(text: string | number): number | null {
  if (typeof text === 'number') return Number.isInteger(text) && text >= 0 && text <= 255 ? text : null;
  const t = text.trim().toLowerCase();
  if (/^\d+$/.test(t)) {
    const n = Number(t);
    return n <= 255 ? n : null;
  }
  return PROTOCOLS[t] ?? null;
}

const NAMES: string[] = Array.from({ length: 256 }, (_, n) => String(n));
for (const [name, num] of Object.entries(PROTOCOLS).reverse()) if (name !== 'ip' && name !== 'ipip' && name !== 'all') NAMES[num] = name;
NAMES[PROTO_ICMPV6] = 'ipv6-icmp';
NAMES[0] = 'all';

export function protocolName(n: number): string {
  return NAMES[n] ?? String(n);
}

/** ICMP type[/code] names accepted by `-m icmp --icmp-type` (libipt_icmp.c) and nft `icmp type`. */
const ICMP_TYPES: Record<string, [number, number | null]> = {
  any: [-1, null], 'echo-reply': [0, null], pong: [0, null], 'destination-unreachable': [3, null],
  'network-unreachable': [3, 0], 'host-unreachable': [3, 1], 'protocol-unreachable': [3, 2], 'port-unreachable': [3, 3],
  'fragmentation-needed': [3, 4], 'source-route-failed': [3, 5], 'network-unknown': [3, 6], 'host-unknown': [3, 7],
  'network-prohibited': [3, 9], 'host-prohibited': [3, 10], 'TOS-network-unreachable': [3, 11],
  'TOS-host-unreachable': [3, 12], 'communication-prohibited': [3, 13], 'host-precedence-violation': [3, 14],
  'precedence-cutoff': [3, 15], 'source-quench': [4, null], redirect: [5, null], 'network-redirect': [5, 0],
  'host-redirect': [5, 1], 'TOS-network-redirect': [5, 2], 'TOS-host-redirect': [5, 3], 'echo-request': [8, null],
  ping: [8, null], 'router-advertisement': [9, null], 'router-solicitation': [10, null], 'time-exceeded': [11, null],
  'ttl-exceeded': [11, null], 'ttl-zero-during-transit': [11, 0], 'ttl-zero-during-reassembly': [11, 1],
  'parameter-problem': [12, null], 'ip-header-bad': [12, 0], 'required-option-missing': [12, 1],
  'timestamp-request': [13, null], 'timestamp-reply': [14, null], 'info-request': [15, null], 'info-reply': [16, null],
  'address-mask-request': [17, null], 'address-mask-reply': [18, null],
};

/** ICMPv6 names (libip6t_icmp6.c and nft icmpv6_type). */
const ICMPV6_TYPES: Record<string, [number, number | null]> = {
  'destination-unreachable': [1, null], 'no-route': [1, 0], 'communication-prohibited': [1, 1], 'beyond-scope': [1, 2],
  'address-unreachable': [1, 3], 'port-unreachable': [1, 4], 'failed-policy': [1, 5], 'reject-route': [1, 6],
  'packet-too-big': [2, null], 'time-exceeded': [3, null], 'ttl-exceeded': [3, null], 'ttl-zero-during-transit': [3, 0],
  'ttl-zero-during-reassembly': [3, 1], 'parameter-problem': [4, null], 'bad-header': [4, 0],
  'unknown-header-type': [4, 1], 'unknown-option': [4, 2], 'echo-request': [128, null], ping: [128, null],
  'echo-reply': [129, null], pong: [129, null], 'mld-listener-query': [130, null], 'mld-listener-report': [131, null],
  'mld-listener-done': [132, null], 'mld-listener-reduction': [132, null], 'router-solicitation': [133, null],
  'nd-router-solicit': [133, null], 'router-advertisement': [134, null], 'nd-router-advert': [134, null],
  'neighbour-solicitation': [135, null], 'neighbor-solicitation': [135, null], 'nd-neighbor-solicit': [135, null],
  'neighbour-advertisement': [136, null], 'neighbor-advertisement': [136, null], 'nd-neighbor-advert': [136, null],
  redirect: [137, null], 'nd-redirect': [137, null], 'router-renumbering': [138, null], 'ind-neighbor-solicit': [141, null],
  'ind-neighbor-advert': [142, null], 'mld2-listener-report': [143, null],
};

/** `8`, `3/3`, `echo-request`, `port-unreachable` → [type (-1 = any), code or null]; null when unknown. */
export function icmpTypeSpec(text: string, v6: boolean): [number, number | null] | null {
  const t = text.trim();
  const m = /^(\d+)(?:\/(\d+))?$/.exec(t);
  if (m) return [Number(m[1]), m[2] === undefined ? null : Number(m[2])];
  const table = v6 ? ICMPV6_TYPES : ICMP_TYPES;
  return table[t] ?? table[t.toLowerCase()] ?? (v6 && t === 'any' ? [-1, null] : null);
}

export const TCP_FLAG_BITS: Record<string, number> = {
  FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10, URG: 0x20, ECE: 0x40, CWR: 0x80,
};

/** `SYN,ACK`, `ALL`, `NONE` (iptables) or nft's lower-case names → bit mask; null on an unknown flag. */
export function tcpFlagMask(text: string): number | null {
  let mask = 0;
  for (const raw of text.split(/[,|]/)) {
    const f = raw.trim().toUpperCase();
    if (f === '') continue;
    if (f === 'ALL') mask |= 0x3f; // libxt_tcp.c: ALL is FIN..URG, without ECE/CWR
    else if (f === 'NONE') continue;
    else if (f in TCP_FLAG_BITS) mask |= TCP_FLAG_BITS[f];
    else if (f === 'ECN') mask |= 0x40;
    else return null;
  }
  return mask;
}
