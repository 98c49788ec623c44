// Matches on the connection's tuples rather than on the packet's headers:
// nft `ct original|reply saddr|daddr|ip saddr|ip6 daddr|proto-src|proto-dst`
// (nft_ct.c NFT_CT_SRC/DST, NFT_CT_SRC_IP/…, NFT_CT_PROTO_SRC/DST) and
// iptables `-m conntrack --ctorigsrc … --ctrepldstport` (xt_conntrack.c
// conntrack_mt, ct_proto_port_check_v3). After a DNAT the original tuple still
// names the address and port the client asked for, which is how firewalld's
// StrictForwardPorts lets exactly its own forward-ports through
// (`ct original proto-dst 2222 accept`).
//
// Kernel facts kept:
// - no conntrack entry (INVALID, UNTRACKED, before the conntrack hook): nft
//   breaks the rule (no match, `!=` neither); xt_conntrack tests only --ctstate,
//   so the rule matches iff the block has a --ctstate (`withoutEntry`);
// - `ct original ip saddr` checks the entry's layer-3 protocol
//   (NFT_CT_SRC_IP: l3num must be IPv4, else break);
// - the port fields are the tuple's 16-bit `u.all`, compared for every
//   protocol: for ICMP that is the echo id and type << 8 | code (the caller
//   puts them in the tuple; the evaluator does not guess them).
// A tuple the packet does not carry makes the step UNKNOWN (conditional).

import type { Family } from '../model.ts';
import { NO, UNKNOWN, YES, type Step, type Tri } from './compiledForm.ts';
import type { CompiledPacket } from './compiledPacket.ts';
import { addressInElements, type AddrElement } from './matchSteps.ts';

const tri = (b: boolean): Tri => (b ? YES : NO);

/** 0: the original direction, 1: the reply direction (index into CompiledPacket.ctTuples). */
export type TupleDirection = 0 | 1;

/** What a tuple step gives for a packet without a conntrack entry. */
export type WithoutEntry = (p: CompiledPacket) => Tri;

const DIR_NAME = ['original', 'reply'] as const;

/** The tuple's source or destination address in any of `elements` (`family`: the addresses' family). */
export function ctTupleAddrStep(dir: TupleDirection, which: 'src' | 'dst', family: Family, elements: AddrElement[], negated: boolean, text: string, withoutEntry: WithoutEntry): Step {
  const v6 = family === 'ipv6';
  const off = which === 'src' ? 0 : 4;
  const reason = `the connection's ${DIR_NAME[dir]} tuple is not known`;
  return {
    text,
    run: (p) => {
      if (!p.hasCt) return withoutEntry(p);
      if (p.v6 !== v6) return NO;
      const t = p.ctTuples[dir];
      if (t === null) return UNKNOWN;
      const w = t.words;
      return tri(addressInElements(w[off]!, w[off + 1]!, w[off + 2]!, w[off + 3]!, elements) !== negated);
    },
    why: (p) => {
      if (!p.hasCt) return 'no conntrack entry';
      if (p.v6 !== v6) return `packet is ${p.family}`;
      const t = p.ctTuples[dir];
      if (t === null) return reason;
      return `${DIR_NAME[dir]} ${which === 'src' ? 'source' : 'destination'} of the connection is ${which === 'src' ? t.srcText : t.dstText}`;
    },
    unknownReason: reason,
  };
}

/** The tuple's 16-bit source or destination port field in one of the inclusive `ranges`. */
export function ctTuplePortStep(dir: TupleDirection, which: 'sport' | 'dport', ranges: [number, number][], negated: boolean, text: string, withoutEntry: WithoutEntry): Step {
  const reason = `the connection's ${DIR_NAME[dir]} ${which === 'sport' ? 'source' : 'destination'} port is not known`;
  const portOf = (p: CompiledPacket): number => {
    const t = p.ctTuples[dir];
    return t === null ? -1 : which === 'sport' ? t.sport : t.dport;
  };
  return {
    text,
    run: (p) => {
      if (!p.hasCt) return withoutEntry(p);
      const x = portOf(p);
      if (x < 0) return UNKNOWN;
      let hit = false;
      for (const [a, b] of ranges) if (x >= a && x <= b) hit = true;
      return tri(hit !== negated);
    },
    why: (p) => {
      if (!p.hasCt) return 'no conntrack entry';
      const x = portOf(p);
      return x < 0 ? reason : `${DIR_NAME[dir]} ${which === 'sport' ? 'source' : 'destination'} port of the connection is ${x}`;
    },
    unknownReason: reason,
  };
}
