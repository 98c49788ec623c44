// What a node's conntrack entry tells its netfilter rules about the connection
// a packet belongs to: the original and reply tuples (`ct original proto-dst`,
// `-m conntrack --ctorigdstport/--ctrepldst`) and the packet's direction in it
// (`--ctdir`, `ct direction`).
//
// The original tuple is the first packet as this node's conntrack saw it, before
// any NAT; the reply tuple changes when the node's DNAT/SNAT binds (conntrack.ts
// recordDnat/recordSnat). The entry is read at each hook, so the first packet's
// FORWARD still sees the reply tuple without the SNAT that POSTROUTING has not
// yet made (nf_nat_setup_info runs in the nat hook), while the answer and the
// RELATED ICMP errors see the finished entry (the error's ct is the connection
// it is about: nf_conntrack_icmpv4_error, nf_ct_attach).

import type { CtLookup } from './conntrack.ts';
import type { Tuple } from './simPacket.ts';
import type { FilterPacket, FilterTuple } from './world.ts';

// Echo request 8/0 → reply 0/0: the tuple's dst.u.icmp holds type and code
// (nf_conntrack_proto_icmp.c icmp_pkt_to_tuple / icmp_invert_tuple); u.all reads them as type << 8 | code.
const ECHO_REQUEST_FIELD = 8 << 8;
const ECHO_REPLY_FIELD = 0;

/** One direction as the evaluator compares it. The simulator's ICMP tuples are echo exchanges. */
function filterTuple(t: Tuple, direction: 'original' | 'reply'): FilterTuple {
  // ICMP: src.u.all is the echo identifier, which the prober's ping picks: not known here.
  if (t.proto === 'icmp') return { src: t.src, dst: t.dst, dport: direction === 'original' ? ECHO_REQUEST_FIELD : ECHO_REPLY_FIELD };
  return { src: t.src, dst: t.dst, sport: t.sport, dport: t.dport };
}

/** The connection fields of a filter packet on a node that has an entry for it (none: the evaluator sees no entry). */
export function connectionFields(ct: CtLookup | null): Pick<FilterPacket, 'ctOriginal' | 'ctReply' | 'ctDirection'> {
  if (!ct?.entry) return {};
  return { ctOriginal: filterTuple(ct.entry.orig, 'original'), ctReply: filterTuple(ct.entry.reply, 'reply'), ctDirection: ct.isReply ? 'reply' : 'original' };
}
