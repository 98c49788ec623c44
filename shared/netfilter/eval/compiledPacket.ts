// A Packet turned into numbers once, so every rule check is integer work.
// The object is mutable on purpose: the evaluator rewrites the hook-visible
// interface fields and the mark/connmark/conntrack registers as a packet moves
// through chains (MARK sets values later rules see), and resets them from the
// *Init fields at the start of every evaluation — no allocation per packet.

import type { Family } from '../model.ts';
import { formatWords, parseAddress } from './addressNumbers.ts';
import type { CompiledHost } from './compiledForm.ts';
import type { ConntrackState, ConntrackStatus, ConntrackTuple, Packet, PktType } from './packet.ts';
import { PROTO_TCP, TCP_FLAG_BITS, hasPorts, protocolName, protocolNumber } from './protocolNumbers.ts';

/** Conntrack state bits (own numbering; names as in libxt_conntrack.man). */
export const CT_NEW = 1;
export const CT_ESTABLISHED = 2;
export const CT_RELATED = 4;
export const CT_INVALID = 8;
export const CT_UNTRACKED = 16;
/** Virtual states `--ctstate SNAT|DNAT` (set when the connection's status has the bit). */
export const CT_SNAT = 32;
export const CT_DNAT = 64;

export const CT_STATE_BITS: Record<string, number> = {
  NEW: CT_NEW, ESTABLISHED: CT_ESTABLISHED, RELATED: CT_RELATED, INVALID: CT_INVALID, UNTRACKED: CT_UNTRACKED,
  SNAT: CT_SNAT, DNAT: CT_DNAT,
};

export const CT_STATUS_BITS: Record<ConntrackStatus, number> = {
  EXPECTED: 1, SEEN_REPLY: 2, ASSURED: 4, CONFIRMED: 8, SNAT: 16, DNAT: 32,
};

export const PKTTYPE_NUMBERS: Record<PktType, number> = { unicast: 0, broadcast: 1, multicast: 2 };

/** Interface id for "no interface at this hook" and for a name no rule uses. */
export const IFACE_NONE = -2;
export const IFACE_OTHER = -1;

/** One direction of the connection (Packet.ctOriginal / ctReply) as numbers. */
export interface CompiledTuple {
  /** Source words 0-3, then destination words 0-3 (signed 32-bit, IPv4 in word 0). */
  readonly words: Int32Array;
  /** -1: not known. */
  readonly sport: number;
  readonly dport: number;
  readonly srcText: string;
  readonly dstText: string;
}

export interface CompiledPacket {
  readonly packet: Packet;
  readonly family: Family;
  readonly v6: boolean;
  readonly iifName: string | null;
  readonly oifName: string | null;
  readonly iifId: number;
  readonly oifId: number;
  readonly physInName: string | null;
  readonly physOutName: string | null;
  readonly bridged: boolean;
  /** Hook-visible interfaces (set by the evaluator per hook). */
  hIifName: string | null;
  hOifName: string | null;
  hIifId: number;
  hOifId: number;
  hPhysIn: string | null;
  hPhysOut: string | null;
  /** Addresses as signed 32-bit words (IPv4 in s0/d0). */
  readonly s0: number; readonly s1: number; readonly s2: number; readonly s3: number;
  readonly d0: number; readonly d1: number; readonly d2: number; readonly d3: number;
  /** Addresses as canonical text (for explanations). */
  readonly srcText: string;
  readonly dstText: string;
  readonly proto: number;
  /** -1 when the protocol has no ports. */
  readonly sport: number;
  readonly dport: number;
  /** -1 when not ICMP. */
  readonly icmpType: number;
  readonly icmpCode: number;
  readonly tcpFlags: number;
  /** Conntrack bits as the packet arrives (after the conntrack hook). */
  readonly ctInit: number;
  /** -1 when not given (then `--ctstatus` is unknown). */
  readonly ctStatus: number;
  /** 0 original, 1 reply, -1 unknown. */
  readonly ctDir: number;
  /** The connection's tuples (index 0 original, 1 reply); null: not known. */
  readonly ctTuples: readonly [CompiledTuple | null, CompiledTuple | null];
  readonly markInit: number;
  readonly connmarkInit: number;
  /** -1 unknown. */
  readonly pktType: number;
  readonly length: number;
  readonly srcMac: string | null;
  readonly uid: number;
  readonly gid: number;
  /** Explanations reused by every rule of a trace (set per hook by preparePacket / once here). */
  whyIn: string;
  whyOut: string;
  readonly whySrc: string;
  readonly whyDst: string;
  readonly whyProto: string;
  readonly whyDport: string;
  readonly whySport: string;
  /** Verdict path: the host's slot for this packet's (interfaces at the hook, protocol). */
  slot: number;
  /** The slot per hook (index in HOOKS), -1 until first computed (a packet is compiled for one host). */
  readonly slotByHook: Int32Array;
  /** Registers the evaluation mutates. */
  ct: number;
  /** Whether a conntrack entry is attached (false before the conntrack hook, for INVALID and UNTRACKED). */
  hasCt: boolean;
  notracked: boolean;
  mark: number;
  connmark: number;
}

export class PacketError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PacketError';
  }
}

function stateBits(state: ConntrackState, status: number): number {
  let bits = CT_STATE_BITS[state];
  if (status > 0) {
    if (status & CT_STATUS_BITS.SNAT) bits |= CT_SNAT;
    if (status & CT_STATUS_BITS.DNAT) bits |= CT_DNAT;
  }
  return bits;
}

function portField(value: number | undefined, name: string, proto: number): number {
  if (!hasPorts(proto)) {
    if (value !== undefined) throw new PacketError(`${name} ${value} given for a protocol without ports`);
    return -1;
  }
  if (value === undefined) throw new PacketError(`${name} is required for this protocol`);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new PacketError(`${name} ${value}: not a port number 0..65535`);
  return value;
}

function tuplePort(value: number | undefined, name: string): number {
  if (value === undefined) return -1;
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new PacketError(`${name} ${value}: not a 16-bit value`);
  return value;
}

function compileTuple(t: ConntrackTuple | undefined, family: Family, name: string): CompiledTuple | null {
  if (!t) return null;
  const src = parseAddress(t.src);
  const dst = parseAddress(t.dst);
  // The tuple belongs to the packet's connection: same layer-3 protocol (nf_conntrack_tuple.src.l3num).
  if (src.family !== family || dst.family !== family) throw new PacketError(`${name} tuple ${t.src} → ${t.dst} does not match family ${family}`);
  const words = Int32Array.from([...src.words, ...dst.words]);
  return {
    words,
    sport: tuplePort(t.sport, `${name} sport`),
    dport: tuplePort(t.dport, `${name} dport`),
    srcText: formatWords(src.family, src.words),
    dstText: formatWords(dst.family, dst.words),
  };
}

function ifaceId(host: CompiledHost, name: string | undefined): number {
  if (name === undefined || name === '') return IFACE_NONE;
  return host.ifaceIds.get(name) ?? IFACE_OTHER;
}

/** Numbers for one packet, against one compiled host (interface ids are the host's). */
export function compilePacket(host: CompiledHost, packet: Packet): CompiledPacket {
  const src = parseAddress(packet.src);
  const dst = parseAddress(packet.dst);
  if (src.family !== packet.family || dst.family !== packet.family) {
    throw new PacketError(`addresses ${packet.src} → ${packet.dst} do not match family ${packet.family}`);
  }
  const proto = protocolNumber(packet.proto);
  if (proto === null) throw new PacketError(`unknown protocol ${JSON.stringify(packet.proto)}`);
  const isIcmp = proto === (packet.family === 'ipv4' ? 1 : 58);
  const state: ConntrackState = packet.ctState ?? 'NEW';
  const status = packet.ctStatus ? packet.ctStatus.reduce((m, s) => m | CT_STATUS_BITS[s], 0) : -1;
  let tcpFlags = 0;
  if (proto === PROTO_TCP) {
    const flags = packet.tcpFlags ?? (state === 'NEW' ? ['SYN'] : ['ACK']);
    for (const f of flags) tcpFlags |= TCP_FLAG_BITS[f];
  }
  const ct = stateBits(state, status);
  const hasCt = state === 'NEW' || state === 'ESTABLISHED' || state === 'RELATED';
  return {
    packet,
    family: packet.family,
    v6: packet.family === 'ipv6',
    iifName: packet.iif || null,
    oifName: packet.oif || null,
    iifId: ifaceId(host, packet.iif),
    oifId: ifaceId(host, packet.oif),
    physInName: packet.physIn || null,
    physOutName: packet.physOut || null,
    bridged: packet.bridged === true,
    hIifName: null, hOifName: null, hIifId: IFACE_NONE, hOifId: IFACE_NONE, hPhysIn: null, hPhysOut: null,
    s0: src.words[0] | 0, s1: src.words[1] | 0, s2: src.words[2] | 0, s3: src.words[3] | 0,
    d0: dst.words[0] | 0, d1: dst.words[1] | 0, d2: dst.words[2] | 0, d3: dst.words[3] | 0,
    srcText: formatWords(src.family, src.words),
    dstText: formatWords(dst.family, dst.words),
    proto,
    sport: portField(packet.sport, 'sport', proto),
    dport: portField(packet.dport, 'dport', proto),
    icmpType: isIcmp ? (packet.icmpType ?? (packet.family === 'ipv4' ? 8 : 128)) : -1,
    icmpCode: isIcmp ? (packet.icmpCode ?? 0) : -1,
    tcpFlags,
    ctInit: ct,
    ctStatus: status,
    ctDir: packet.ctDirection === 'reply' ? 1 : packet.ctDirection === 'original' || state === 'NEW' ? 0 : -1,
    ctTuples: [compileTuple(packet.ctOriginal, packet.family, 'original'), compileTuple(packet.ctReply, packet.family, 'reply')],
    markInit: (packet.mark ?? 0) >>> 0,
    connmarkInit: (packet.connmark ?? 0) >>> 0,
    pktType: packet.pktType ? PKTTYPE_NUMBERS[packet.pktType] : -1,
    length: packet.length ?? -1,
    srcMac: packet.srcMac ? packet.srcMac.toLowerCase() : null,
    uid: packet.uid ?? -1,
    gid: packet.gid ?? -1,
    whyIn: '',
    whyOut: '',
    whySrc: `source is ${formatWords(src.family, src.words)}`,
    whyDst: `destination is ${formatWords(dst.family, dst.words)}`,
    whyProto: `protocol is ${protocolName(proto)}`,
    whyDport: `destination port is ${packet.dport ?? '-'}`,
    whySport: `source port is ${packet.sport ?? '-'}`,
    slot: -1,
    slotByHook: new Int32Array(5).fill(-1),
    ct,
    hasCt,
    notracked: false,
    mark: 0,
    connmark: 0,
  };
}
