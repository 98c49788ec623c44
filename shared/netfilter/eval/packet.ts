// The packet the evaluator pushes through netfilter hooks, and the host context
// it is evaluated in. This is the public input shape (strings, readable); the
// evaluator turns it once into a numeric CompiledPacket (compilePacket.ts) so the
// per-rule checks never compare address strings.
//
// Which fields a hook can see follows the kernel: PREROUTING and INPUT have no
// output interface yet, OUTPUT and POSTROUTING no input interface
// (firewall-layers.md §5 fact 2; iptables(8) refuses `-o` in PREROUTING and
// `-i` in POSTROUTING). evaluateHook masks the fields accordingly, so one
// Packet can be pushed through every hook of its path.

import type { Family } from '../model.ts';

export type Hook = 'prerouting' | 'input' | 'forward' | 'output' | 'postrouting';
export const HOOKS: readonly Hook[] = ['prerouting', 'input', 'forward', 'output', 'postrouting'];

/** Conntrack state as `-m conntrack --ctstate` / `ct state` name it (libxt_conntrack.man). */
export type ConntrackState = 'NEW' | 'ESTABLISHED' | 'RELATED' | 'INVALID' | 'UNTRACKED';
export const CONNTRACK_STATES: readonly ConntrackState[] = ['NEW', 'ESTABLISHED', 'RELATED', 'INVALID', 'UNTRACKED'];

/** `--ctstatus` / `ct status` bits, plus the virtual SNAT/DNAT that `--ctstate` also accepts. */
export type ConntrackStatus = 'EXPECTED' | 'SEEN_REPLY' | 'ASSURED' | 'CONFIRMED' | 'SNAT' | 'DNAT';

export type TcpFlag = 'FIN' | 'SYN' | 'RST' | 'PSH' | 'ACK' | 'URG' | 'ECE' | 'CWR';

export type PktType = 'unicast' | 'broadcast' | 'multicast';

/**
 * One direction of the packet's connection as conntrack keeps it (struct nf_conntrack_tuple):
 * what `ct original|reply saddr|daddr|proto-src|proto-dst` and `-m conntrack --ctorig*` /
 * `--ctrepl*` compare. The original tuple is the connection's first packet as this host's
 * conntrack first saw it (before any NAT); the reply tuple is what an answer carries — after a
 * DNAT its source is the DNAT target, after an SNAT its destination the SNAT address.
 */
export interface ConntrackTuple {
  src: string;
  dst: string;
  /**
   * The 16-bit port fields as the kernel compares them (ntohs of tuple->src.u.all /
   * dst.u.all): TCP/UDP/SCTP/DCCP ports; for ICMP the echo identifier (sport) and
   * type << 8 | code (dport). Absent: unknown (such matches are then conditional).
   */
  sport?: number;
  dport?: number;
}

export interface Packet {
  family: Family;
  /** Input interface (for bridged traffic with br_netfilter: the bridge, e.g. virbr3). */
  iif?: string;
  /** Output interface (known from FORWARD on; the routing decision picks it). */
  oif?: string;
  /** Bridge port the frame entered by (vnet0), when it came through a bridge and br_netfilter is on. */
  physIn?: string;
  /** Bridge port it leaves by — only for bridged (not routed) traffic. */
  physOut?: string;
  /** true: bridged between two ports of one bridge (not routed); `--physdev-is-bridged` matches. */
  bridged?: boolean;
  src: string;
  dst: string;
  /** 'tcp', 'udp', 'icmp', 'ipv6-icmp'/'icmpv6', 'sctp', ... or the protocol number. */
  proto: string | number;
  sport?: number;
  dport?: number;
  icmpType?: number;
  icmpCode?: number;
  /** Flags set in the TCP header; a connection's first packet is ['SYN']. Default ['SYN'] for NEW TCP, ['ACK'] otherwise. */
  tcpFlags?: TcpFlag[];
  /** Conntrack state as seen after the conntrack hook (default NEW). */
  ctState?: ConntrackState;
  /** Absent: unknown (then `--ctstatus` is conditional). */
  ctStatus?: ConntrackStatus[];
  /** Direction within its connection; default 'original' for NEW, unknown otherwise (`--ctdir`, `ct direction`). */
  ctDirection?: 'original' | 'reply';
  /** The connection's tuples; absent: unknown (then `ct original …`, `--ctorig…` are conditional). */
  ctOriginal?: ConntrackTuple;
  ctReply?: ConntrackTuple;
  mark?: number;
  connmark?: number;
  /** Link-layer type; unknown when absent (a pkttype match is then conditional). */
  pktType?: PktType;
  /** IP total length in bytes; unknown when absent. */
  length?: number;
  /** Source MAC; unknown when absent (a mac match is then conditional). */
  srcMac?: string;
  /** Socket owner of a locally generated packet (OUTPUT); unknown when absent. */
  uid?: number;
  gid?: number;
}

/** One interface of the evaluating host and its addresses (first = primary). */
export interface HostInterface {
  name: string;
  addresses: string[];
  /** Interface type for `fib ... type`/addrtype decisions; default 'ether'. */
  kind?: 'ether' | 'bridge' | 'loopback';
}

/** What the evaluator knows about the host beyond the rules. */
export interface EvalContext {
  /**
   * The host's interfaces with addresses: `-m addrtype --dst-type LOCAL`, `fib daddr type local`,
   * MASQUERADE's chosen address and REDIRECT use them. Absent: those matches are conditional.
   */
  interfaces?: HostInterface[];
  /**
   * Known contents of ipsets (`-m set --match-set NAME`) and of nft named sets whose elements the
   * dump did not list, keyed by name (nft: `TABLE/SET` or bare `SET`). Elements are addresses,
   * CIDRs, ports or ranges as written. Sets not listed here and not in the ruleset are unknown.
   */
  sets?: Record<string, string[]>;
  /**
   * Whether br_netfilter passes bridged IPv4/IPv6 frames to the IP hooks (bridge-nf-call-iptables=1).
   * Default true, as libvirt hosts usually have it (firewall-layers.md §5 fact 14).
   */
  brNetfilter?: boolean;
}
