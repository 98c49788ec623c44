// The packet as the flow engine carries it from node to node, and how it is
// shown in the path ("192.168.10.20:40000 → 192.168.90.1:443 tcp [SYN]").

import { formatIpv4 } from './ipv4.ts';
import type { ServiceProto } from './world.ts';

export interface Tuple {
  src: number;
  dst: number;
  proto: ServiceProto;
  /** tcp/udp ports; for ICMP echo both are the echo identifier (conntrack keys echo by id). */
  sport: number;
  dport: number;
}

export type PacketKind =
  /** The guest's packet: echo request, SYN, UDP datagram. */
  | 'request'
  /** The destination's answer: echo reply, SYN-ACK, UDP reply. */
  | 'answer'
  /** A TCP RST (closed port, or REJECT --reject-with tcp-reset). */
  | 'reset'
  /** An ICMP error (REJECT, no route, port unreachable, ARP failure). */
  | 'icmp-error';

export interface SimPacket {
  kind: PacketKind;
  src: number;
  dst: number;
  proto: ServiceProto;
  sport: number;
  dport: number;
  /** ICMP type/code (echo request 8/0, echo reply 0/0, errors 3/x). */
  icmpType?: number;
  icmpCode?: number;
  /** For ICMP errors: the header of the packet the error is about. */
  inner?: Tuple;
  /** Packets for the guest's own flow go 'request' one way and 'reply' the other. */
  direction: 'request' | 'reply';
  /** Link-layer broadcast (DHCP). */
  broadcast?: boolean;
}

export const ECHO_ID = 0x7777;
export const GUEST_EPHEMERAL_PORT = 40000;

export function tupleOf(p: SimPacket): Tuple {
  return { src: p.src, dst: p.dst, proto: p.proto, sport: p.sport, dport: p.dport };
}

export function invertTuple(t: Tuple): Tuple {
  return { src: t.dst, dst: t.src, proto: t.proto, sport: t.dport, dport: t.sport };
}

export function sameTuple(a: Tuple, b: Tuple): boolean {
  return a.src === b.src && a.dst === b.dst && a.proto === b.proto && a.sport === b.sport && a.dport === b.dport;
}

function icmpName(type: number | undefined, code: number | undefined): string {
  if (type === 8) return 'echo-request';
  if (type === 0) return 'echo-reply';
  if (type === 3) return `destination-unreachable code ${code}`;
  if (type === 11) return 'time-exceeded';
  return `type ${type} code ${code}`;
}

export function describePacket(p: SimPacket): string {
  const s = formatIpv4(p.src);
  const d = formatIpv4(p.dst);
  if (p.proto === 'icmp') {
    const about = p.inner ? ` (about ${formatIpv4(p.inner.src)} → ${formatIpv4(p.inner.dst)} ${p.inner.proto}${p.inner.proto === 'icmp' ? '' : `/${p.inner.dport}`})` : '';
    return `${s} → ${d} icmp ${icmpName(p.icmpType, p.icmpCode)}${about}`;
  }
  const flags = p.proto === 'tcp' ? (p.kind === 'request' ? ' [SYN]' : p.kind === 'answer' ? ' [SYN,ACK]' : p.kind === 'reset' ? ' [RST]' : '') : '';
  return `${s}:${p.sport} → ${d}:${p.dport} ${p.proto}${flags}`;
}
