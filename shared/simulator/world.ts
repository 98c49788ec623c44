// The simulated world a flow travels through: nodes (the KVM host, guests,
// upstream routers, the internet host, hosts on the LAN) with their L3
// interfaces, routing tables, sysctls, listening services and — for the host
// and optionally a router — a packet filter; and L2 segments that say who can
// reach whom directly (a bridge with its ports, or a plain wire).
//
// A lab (designer mode) and a host snapshot (`virtwall check`) are both turned
// into this one form, so the flow engine has a single code path. Addresses are
// numbers (ipv4.ts); everything here is plain data built once per lab and
// reused for every flow of a matrix.

import type { MarkChange } from '../netfilter/eval/hookResult.ts';
import type { RuleRef } from '../netfilter/model.ts';
import type { Ipv4Prefix } from './ipv4.ts';

export type NodeRole = 'host' | 'guest' | 'router' | 'internet' | 'lan-host';

export interface NodeAddress {
  address: number;
  prefix: number;
  network: number;
  /** `192.168.10.1/24` */
  text: string;
}

export interface NodeInterface {
  name: string;
  /** First = primary (the source the kernel picks for ICMP errors leaving by this interface). */
  addresses: NodeAddress[];
  up: boolean;
  /** net.ipv4.conf.IFACE.forwarding: packets received here may be forwarded (route.c ip_route_input_slow). */
  forwarding: boolean;
  /** Effective rp_filter = max(conf/all, conf/IFACE) (ip-sysctl.rst). */
  rpFilter: 0 | 1 | 2;
  /** Segment this L3 interface sits on (null: not attached to anything simulated). */
  segment: string | null;
  /** Where the interface's settings came from, for explanations ("SuSEfirewall2 set rp_filter=1"). */
  note?: string;
}

export type RouteType = 'unicast' | 'blackhole' | 'unreachable' | 'prohibit' | 'local';

export interface SimRoute {
  network: number;
  prefix: number;
  via?: number;
  dev: string;
  metric: number;
  type: RouteType;
  /** Preferred source (prefsrc); connected routes carry the interface address. */
  src?: number;
  /** `192.168.10.0/24 dev virbr3 proto kernel`, `default via 192.168.90.1 dev eth1` */
  text: string;
  origin: 'connected' | 'configured' | 'libvirt' | 'snapshot' | 'assumed';
}

export type ServiceProto = 'icmp' | 'tcp' | 'udp';

export interface Service {
  proto: ServiceProto;
  /** For tcp/udp. */
  port?: number;
  /** `icmp`, `tcp/22` */
  text: string;
}

/** What a node answers: services by key `tcp/22`, `udp/53`, `icmp`. */
export interface Listens {
  /** Answers ICMP echo requests. */
  echo: boolean;
  tcp: ReadonlySet<number>;
  udp: ReadonlySet<number>;
  /** Every port answers (remote hosts in `virtwall check`, where nothing is known about them). */
  allPorts?: boolean;
  /** Per-address restrictions: service key → addresses it is bound to (dnsmasq binds the bridge address). */
  boundTo?: ReadonlyMap<string, ReadonlySet<number>>;
  /** Where the list came from, for the explanation. */
  source: string;
}

/** A packet filter on a node; the host's is compiled from its NetfilterState (hostFilter.ts). */
export interface NodeFilter {
  run(hook: FilterHook, packet: FilterPacket): FilterOutcome;
}

export type FilterHook = 'prerouting' | 'input' | 'forward' | 'output' | 'postrouting';

export interface FilterPacket {
  src: number;
  dst: number;
  proto: ServiceProto;
  sport?: number;
  dport?: number;
  icmpType?: number;
  icmpCode?: number;
  tcpFlags?: ('SYN' | 'ACK' | 'RST')[];
  iif?: string;
  oif?: string;
  physIn?: string;
  physOut?: string;
  bridged?: boolean;
  /** UNTRACKED: an earlier hook of this node notracked the packet (skbState.ts). */
  ctState: 'NEW' | 'ESTABLISHED' | 'RELATED' | 'INVALID' | 'UNTRACKED';
  ctStatus?: ('SNAT' | 'DNAT' | 'SEEN_REPLY')[];
  pktType?: 'unicast' | 'broadcast' | 'multicast';
  /** skb->mark as earlier hooks of this node left it (skbState.ts); absent: 0. */
  mark?: number;
  /** The connection's ct mark (conntrack.ts); absent: 0. */
  connmark?: number;
  /** The connection's tuples and the packet's direction in it (ctTuples.ts); absent: no entry. */
  ctOriginal?: FilterTuple;
  ctReply?: FilterTuple;
  ctDirection?: 'original' | 'reply';
}

/** One direction of a connection: ports as conntrack compares them (ICMP: id / type << 8 | code); absent: not known. */
export interface FilterTuple {
  src: number;
  dst: number;
  sport?: number;
  dport?: number;
}

export type RejectKind = { kind: 'icmp'; type: number; code: number } | { kind: 'tcp-reset' };

export interface NatDecision {
  kind: 'snat' | 'masquerade' | 'dnat' | 'redirect';
  /** The address to translate to (masquerade: the outgoing interface's primary address, filled by the engine when absent). */
  address?: number;
  port?: number;
  rule?: RuleRef;
}

export interface FilterOutcome {
  verdict: 'accept' | 'drop' | 'reject';
  reject?: RejectKind;
  /** The rule (or chain policy, position 0) that decided; absent when nothing matched and every policy accepted. */
  decidedBy?: RuleRef;
  nat?: NatDecision;
  /** Conditional outcomes the evaluator could not decide ("accepted if -m limit … matches"). */
  conditions: string[];
  /** Rules that matched on the way (for the path display), short texts. */
  trail?: string[];
  /** skb->mark and ct mark after the hook (absent: unchanged). */
  mark?: number;
  connmark?: number;
  /** Which rules changed them, in order (for the path: why a later rule matched). */
  markChanges?: MarkChange[];
  /** The rule whose notrack untracked the packet in this hook (CT --notrack, NOTRACK, nft notrack). */
  untrackedBy?: RuleRef;
}

export interface SimNode {
  id: string;
  role: NodeRole;
  /** `kali (192.168.10.20)`, `KVM host kvm-host`, `gateway 192.168.90.1` */
  label: string;
  interfaces: NodeInterface[];
  routes: SimRoute[];
  listens: Listens;
  filter?: NodeFilter;
  /** Which layer/table names the filter's rules come from, e.g. 'host firewall'. */
  filterLabel?: string;
  /** Source NAT done by a router outside the filter (the lab's gateway `masquerade` list): on this interface, for these sources. */
  masquerade?: { dev: string; sources: Ipv4Prefix[] };
  /** The internet: packets from addresses nobody routes (RFC 1918 …) never arrive. */
  dropsNonRoutedSources?: boolean;
  /** For guests: network id, DHCP outcome. */
  guest?: { guestId: string; networkId: string; addressSource: 'static' | 'dhcp'; noLease?: string; /** Only IPv6: why (no verdict, IPv6 is not simulated). */ ipv6Only?: string };
}

export interface SegmentMember {
  node: string;
  iface: string;
  /** Bridge port on the host (vnet0, eth1) when the segment is a host bridge; absent for the bridge's own L3 interface. */
  port?: string;
}

export interface Segment {
  id: string;
  kind: 'bridge' | 'wire';
  /** For bridges: the host's bridge device (virbr3, br0). */
  bridge?: string;
  members: SegmentMember[];
}

export interface World {
  nodes: Map<string, SimNode>;
  segments: Map<string, Segment>;
  hostId: string;
  /** net.bridge.bridge-nf-call-iptables on the host: bridged frames pass its IP hooks. */
  brNetfilter: boolean;
  /** Things taken for granted, in the admin's words; a verdict lists those about nodes on its path. */
  assumptions: Assumption[];
  /** Facts about the world worth showing (IPv6 not simulated, guests without a lease, …). */
  notes: string[];
}

export interface Assumption {
  text: string;
  /** Node ids the assumption is about; empty = always relevant. */
  nodes: string[];
}

export function nodeOrThrow(world: World, id: string): SimNode {
  const n = world.nodes.get(id);
  if (!n) throw new Error(`simulator: no node ${id}`);
  return n;
}
