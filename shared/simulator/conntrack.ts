// Connection tracking for one flow on the nodes that track (the KVM host, a
// router that masquerades): the entry the request creates, the state each later
// packet gets, and NAT reversal for replies and the ICMP errors about them.
//
// Kernel behaviour followed (net/netfilter/nf_conntrack_core.c, nf_conntrack_proto_*.c,
// nf_nat_core.c):
// - a packet in the reply direction of a known connection is ESTABLISHED
//   (IP_CT_ESTABLISHED_REPLY), also a RST from a closed port;
// - an ICMP error whose embedded header belongs to a known connection is RELATED,
//   and so is what the node itself sends about a packet it rejected (nf_ct_attach);
// - with no entry, a TCP SYN-ACK or an ICMP echo reply is INVALID (they cannot
//   start a connection), a UDP datagram is NEW;
// - NAT is decided on the first packet and applied to the rest from the entry:
//   SNAT is undone on replies at PREROUTING (before routing), DNAT at POSTROUTING;
//   for ICMP errors the embedded header is translated too
//   (nf_nat_icmp_reply_translation);
// - the connection mark is kept in the entry: set by one packet, read by the
//   next, the reply and the ICMP errors about it (nf_conn->mark);
// - a packet a raw-table notrack untracked makes no entry (filterStep.ts
//   forgets the one classify opened): its reply is classified like a packet of
//   an unknown connection, and an ICMP error or RST the node sends about it
//   finds no connection either (nf_ct_attach passes on no conntrack: INVALID).

import { invertTuple, sameTuple, tupleOf, type SimPacket, type Tuple } from './simPacket.ts';

export interface CtEntry {
  orig: Tuple;
  /** The tuple replies will carry (after this node's DNAT/SNAT). */
  reply: Tuple;
  snat: boolean;
  dnat: boolean;
  /** The connection mark (ct mark: CONNMARK, nft `ct mark set`): every later packet of the connection, both directions and the related ICMP errors, sees it. */
  connmark: number;
}

export type CtState = 'NEW' | 'ESTABLISHED' | 'RELATED' | 'INVALID';

export interface CtLookup {
  state: CtState;
  entry: CtEntry | null;
  /** The packet travels in the reply direction of `entry`. */
  isReply: boolean;
}

export class FlowConntrack {
  private readonly entries = new Map<string, CtEntry>();

  /** State of `p` on `nodeId`, creating the entry for a new request. */
  classify(nodeId: string, p: SimPacket, locallyRelated = false): CtLookup {
    const entry = this.entries.get(nodeId) ?? null;
    // nf_ct_attach hands on the connection of the packet the error is about; an untracked one has
    // none (forgotten), and conntrack then finds no connection for the error or RST: INVALID.
    if (locallyRelated) return entry ? { state: 'RELATED', entry, isReply: true } : { state: 'INVALID', entry: null, isReply: false };
    if (p.kind === 'icmp-error') {
      if (entry && p.inner && sameTuple(invertTuple(p.inner), entry.reply)) return { state: 'RELATED', entry, isReply: true };
      return { state: 'INVALID', entry: null, isReply: false };
    }
    const t = tupleOf(p);
    if (entry && sameTuple(t, entry.reply)) return { state: 'ESTABLISHED', entry, isReply: true };
    if (entry && sameTuple(t, entry.orig)) return { state: 'ESTABLISHED', entry, isReply: false };
    if (p.kind === 'request') {
      const created: CtEntry = { orig: t, reply: invertTuple(t), snat: false, dnat: false, connmark: 0 };
      this.entries.set(nodeId, created);
      return { state: 'NEW', entry: created, isReply: false };
    }
    // No connection known here (asymmetric path): what conntrack makes of it.
    if (p.proto === 'udp' && p.kind === 'answer') return { state: 'NEW', entry: null, isReply: false };
    return { state: 'INVALID', entry: null, isReply: false };
  }

  /** The request was untracked: the entry classify() opened for it is not there. */
  forget(nodeId: string, entry: CtEntry): void {
    if (this.entries.get(nodeId) === entry) this.entries.delete(nodeId);
  }

  entry(nodeId: string): CtEntry | undefined {
    return this.entries.get(nodeId);
  }

  /** DNAT on the first packet: replies will come from the new destination. */
  recordDnat(entry: CtEntry, address: number, port: number | undefined): void {
    entry.dnat = true;
    entry.reply = { ...entry.reply, src: address, sport: port ?? entry.reply.sport };
  }

  /** SNAT/MASQUERADE on the first packet: replies will go to the new source. */
  recordSnat(entry: CtEntry, address: number, port: number | undefined): void {
    entry.snat = true;
    entry.reply = { ...entry.reply, dst: address, dport: port ?? entry.reply.dport };
  }
}

/** Undo SNAT on a reply-direction packet (PREROUTING). Returns the translated packet. */
export function undoSnat(entry: CtEntry, p: SimPacket): SimPacket {
  if (!entry.snat) return p;
  const out: SimPacket = { ...p, dst: entry.orig.src };
  if (p.kind === 'icmp-error' && p.inner) out.inner = { ...p.inner, src: entry.orig.src, sport: entry.orig.sport };
  else out.dport = entry.orig.sport;
  return out;
}

/** Undo DNAT on a reply-direction packet (POSTROUTING). */
export function undoDnat(entry: CtEntry, p: SimPacket): SimPacket {
  if (!entry.dnat) return p;
  // ICMP errors: the outer header is made to look like a reply too (nf_nat_icmp_reply_translation).
  const out: SimPacket = { ...p, src: entry.orig.dst };
  if (p.kind === 'icmp-error' && p.inner) out.inner = { ...p.inner, dst: entry.orig.dst, dport: entry.orig.dport };
  else out.sport = entry.orig.dport;
  return out;
}
