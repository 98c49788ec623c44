// Step builders shared by the iptables and nft compilers: interface, address,
// protocol, port, ICMP, conntrack, mark and unknown tests as closures over
// pre-computed numbers. Each also explains a miss for the trace.

import type { Family } from '../model.ts';
import type { NumericNet, NumericRange, Words } from './addressNumbers.ts';
import { NO, UNKNOWN, YES, type Step, type Tri } from './compiledForm.ts';
import { IFACE_NONE, type CompiledPacket } from './compiledPacket.ts';
import { protocolName } from './protocolNumbers.ts';

const tri = (b: boolean): Tri => (b ? YES : NO);


// ------------------------------------------------------------------ interfaces

/** An exact name (interned id) or a prefix (`eth+` in iptables, `eth*` in nft). */
export interface IfacePattern {
  id: number;
  prefix: string | null;
  name: string;
}

/**
 * `absent`: what a hook without that interface means. iptables compares against the empty name
 * (ip_tables.c ip_packet_match: `-i X` fails, `! -i X` matches); nft's meta expression breaks the
 * rule (nft_meta.c: no device → NFT_BREAK), so neither `==` nor `!=` matches.
 */
export function ifaceStep(dir: 'in' | 'out', patterns: IfacePattern[], negated: boolean, text: string, absent: 'empty-name' | 'no-match'): Step {
  const single = patterns.length === 1 && patterns[0].prefix === null ? patterns[0].id : null;
  const matchOne = (p: CompiledPacket): boolean => {
    const id = dir === 'in' ? p.hIifId : p.hOifId;
    if (single !== null) return id === single;
    const name = dir === 'in' ? p.hIifName : p.hOifName;
    for (const pat of patterns) {
      if (pat.prefix === null ? id === pat.id : name !== null && name.startsWith(pat.prefix)) return true;
    }
    return false;
  };
  return {
    text,
    ...(single !== null ? { pre: { f: dir === 'in' ? 'iif' : 'oif', id: single, neg: negated, absentNoMatch: absent === 'no-match' } as const } : {}),
    run: (p) => {
      const id = dir === 'in' ? p.hIifId : p.hOifId;
      if (id === IFACE_NONE && absent === 'no-match') return NO;
      return tri(matchOne(p) !== negated);
    },
    why: (p) => (dir === 'in' ? p.whyIn : p.whyOut),
  };
}

/** `--physdev-in/out` (bridge ports; firewall-layers.md §5 fact 13). */
export function physdevStep(dir: 'in' | 'out', prefix: string | null, name: string, negated: boolean, text: string): Step {
  return {
    text,
    run: (p) => {
      const port = dir === 'in' ? p.hPhysIn : p.hPhysOut;
      // xt_physdev.c: without bridge info the match fails unless negated... only when a name is asked for.
      if (port === null) return tri(negated);
      const hit = prefix === null ? port === name : port.startsWith(prefix);
      return tri(hit !== negated);
    },
    why: (p) => {
      const port = dir === 'in' ? p.hPhysIn : p.hPhysOut;
      return port === null ? `packet has no bridge ${dir === 'in' ? 'input' : 'output'} port` : `bridge port is ${port}`;
    },
  };
}

// ------------------------------------------------------------------ addresses

export type AddrElement = { kind: 'net'; v: NumericNet } | { kind: 'range'; v: NumericRange };

function inRange(w0: number, w1: number, w2: number, w3: number, r: NumericRange): boolean {
  const a: Words = [w0 >>> 0, w1 >>> 0, w2 >>> 0, w3 >>> 0];
  for (let i = 0; i < 4; i++) {
    if (a[i] !== r.from[i]) {
      if (a[i] < r.from[i]) return false;
      break;
    }
  }
  for (let i = 0; i < 4; i++) {
    if (a[i] !== r.to[i]) return a[i] < r.to[i];
  }
  return true;
}

/** The address words a0..a3 in any of `elements` (for addresses not in the packet header: the conntrack tuples). */
export function addressInElements(a0: number, a1: number, a2: number, a3: number, elements: readonly AddrElement[]): boolean {
  for (const e of elements) {
    if (e.kind === 'range') {
      if (inRange(a0, a1, a2, a3, e.v)) return true;
    } else {
      const { net, mask } = e.v;
      if (((a0 & mask[0]) >>> 0) === net[0] >>> 0 && ((a1 & mask[1]) >>> 0) === net[1] >>> 0 && ((a2 & mask[2]) >>> 0) === net[2] >>> 0 && ((a3 & mask[3]) >>> 0) === net[3] >>> 0) return true;
    }
  }
  return false;
}

/**
 * Source or destination in any of `elements`. `familyMismatch`: what a packet of the other family
 * gives — nft's `ip saddr` carries an implicit `meta nfproto ipv4` dependency, so it is NO even
 * for `!=`; iptables rulesets are single-family so it never happens there.
 */
export function addrStep(which: 'src' | 'dst', family: Family, elements: AddrElement[], negated: boolean, text: string): Step {
  const v6 = family === 'ipv6';
  let run: (p: CompiledPacket) => Tri;
  if (elements.length === 1 && elements[0].kind === 'net' && !v6) {
    const m = elements[0].v.mask[0] | 0;
    const n = elements[0].v.net[0] | 0;
    run = which === 'src'
      ? (p) => (p.v6 ? NO : tri(((p.s0 & m) === n) !== negated))
      : (p) => (p.v6 ? NO : tri(((p.d0 & m) === n) !== negated));
  } else {
    const nets = elements.filter((e) => e.kind === 'net').map((e) => ({ m: e.v.mask.map((x) => x | 0), n: (e.v as NumericNet).net.map((x) => x | 0) }));
    const ranges = elements.filter((e) => e.kind === 'range').map((e) => e.v as NumericRange);
    run = (p) => {
      if (p.v6 !== v6) return NO;
      const a0 = which === 'src' ? p.s0 : p.d0;
      const a1 = which === 'src' ? p.s1 : p.d1;
      const a2 = which === 'src' ? p.s2 : p.d2;
      const a3 = which === 'src' ? p.s3 : p.d3;
      let hit = false;
      for (let i = 0; i < nets.length && !hit; i++) {
        const { m, n } = nets[i];
        hit = (a0 & m[0]) === n[0] && (a1 & m[1]) === n[1] && (a2 & m[2]) === n[2] && (a3 & m[3]) === n[3];
      }
      for (let i = 0; i < ranges.length && !hit; i++) hit = inRange(a0, a1, a2, a3, ranges[i]);
      return tri(hit !== negated);
    };
  }
  const single4 = elements.length === 1 && elements[0].kind === 'net' && !v6 ? elements[0].v : null;
  const range4 = elements.length === 1 && elements[0].kind === 'range' && !v6 ? elements[0].v : null;
  return {
    text,
    run,
    ...(single4 ? { pre: { f: which === 'src' ? 'src4' : 'dst4', net: single4.net[0] | 0, mask: single4.mask[0] | 0, neg: negated } as const } : {}),
    ...(range4 ? { pre: { f: which === 'src' ? 'srcRange4' : 'dstRange4', lo: range4.from[0], hi: range4.to[0], neg: negated } as const } : {}),
    why: (p) => (p.v6 !== v6 ? `packet is ${p.family}` : which === 'src' ? p.whySrc : p.whyDst),
  };
}

// ------------------------------------------------------------------ protocol and ports

export function protoStep(protos: number[], negated: boolean, text: string): Step {
  const single = protos.length === 1 ? protos[0] : -1;
  return {
    text,
    ...(single >= 0 ? { pre: { f: 'proto', proto: single, neg: negated } as const } : {}),
    run: single >= 0 ? (p) => tri((p.proto === single) !== negated) : (p) => tri(protos.includes(p.proto) !== negated),
    why: (p) => p.whyProto,
  };
}

/** Inclusive port ranges; `requireProto`: the packet must carry one of these protocols (else NO). */
export function portStep(which: 'sport' | 'dport' | 'either', ranges: [number, number][], negated: boolean, text: string, requireProto: number[] | null): Step {
  const lo = ranges.length === 1 ? ranges[0][0] : -1;
  const hi = ranges.length === 1 ? ranges[0][1] : -1;
  const flat = Int32Array.from(ranges.flat());
  const hitOne = (x: number): boolean => {
    if (lo >= 0) return x >= lo && x <= hi;
    for (const [a, b] of ranges) if (x >= a && x <= b) return true;
    return false;
  };
  // Inline form: one range on one port, needing one protocol or any protocol with ports (multiport's five).
  const req = requireProto === null || requireProto.length >= 5 ? -1 : requireProto.length === 1 ? requireProto[0] : null;
  const pre = which !== 'either' && req !== null && ranges.length > 0 ? { pre: { f: which, ranges: flat, neg: negated, reqProto: req } as const } : {};
  return {
    text,
    ...pre,
    run: (p) => {
      if (p.sport < 0) return NO;
      if (requireProto !== null && !requireProto.includes(p.proto)) return NO;
      const hit = which === 'sport' ? hitOne(p.sport) : which === 'dport' ? hitOne(p.dport) : hitOne(p.sport) || hitOne(p.dport);
      return tri(hit !== negated);
    },
    why: (p) => {
      if (p.sport < 0) return `protocol ${protocolName(p.proto)} has no ports`;
      if (requireProto !== null && !requireProto.includes(p.proto)) return p.whyProto;
      return which === 'sport' ? p.whySport : which === 'dport' ? p.whyDport : `ports are ${p.sport} → ${p.dport}`;
    },
  };
}

/** ICMP/ICMPv6 type (-1 = any) and optional code. */
export function icmpStep(v6: boolean, type: number, code: number | null, negated: boolean, text: string): Step {
  const proto = v6 ? 58 : 1;
  return {
    text,
    pre: { f: 'icmp', proto, type, code: code ?? -1, neg: negated },
    run: (p) => {
      if (p.proto !== proto) return NO;
      const hit = type === -1 || (p.icmpType === type && (code === null || p.icmpCode === code));
      return tri(hit !== negated);
    },
    why: (p) => (p.proto !== proto ? p.whyProto : `ICMP type/code is ${p.icmpType}/${p.icmpCode}`),
  };
}

export function tcpFlagsStep(mask: number, comp: number, negated: boolean, text: string): Step {
  return {
    text,
    pre: { f: 'tcpflags', mask, comp, neg: negated },
    run: (p) => (p.proto !== 6 ? NO : tri(((p.tcpFlags & mask) === comp) !== negated)),
    why: (p) => (p.proto !== 6 ? p.whyProto : `TCP flags are 0x${p.tcpFlags.toString(16)}`),
  };
}

// ------------------------------------------------------------------ conntrack, marks, misc

const CT_NAMES: [number, string][] = [[1, 'NEW'], [2, 'ESTABLISHED'], [4, 'RELATED'], [8, 'INVALID'], [16, 'UNTRACKED']];
export function ctStateText(bits: number): string {
  return CT_NAMES.filter(([b]) => bits & b).map(([, n]) => n).join(',') || 'none';
}

export function ctStateStep(mask: number, negated: boolean, text: string): Step {
  return {
    text,
    pre: { f: 'ct', mask, neg: negated },
    run: (p) => tri(((p.ct & mask) !== 0) !== negated),
    why: (p) => `conntrack state is ${ctStateText(p.ct)}`,
  };
}

/** `(register & mask) == value` on the packet mark or the connection mark. */
export function markStep(which: 'mark' | 'connmark', value: number, mask: number, negated: boolean, text: string): Step {
  const v = value >>> 0;
  const m = mask >>> 0;
  return {
    text,
    run: which === 'mark'
      ? (p) => tri((((p.mark & m) >>> 0) === v) !== negated)
      : (p) => (p.hasCt ? tri((((p.connmark & m) >>> 0) === v) !== negated) : NO),
    why: (p) => (which === 'mark' ? `packet mark is 0x${p.mark.toString(16)}` : p.hasCt ? `connection mark is 0x${p.connmark.toString(16)}` : 'no conntrack entry'),
  };
}

/** A match the packet cannot decide. */
export function unknownStep(text: string, reason: string): Step {
  return { text, run: () => UNKNOWN, why: () => reason, unknownReason: reason };
}

/** A match that always holds (comment) or an effect-free statement (counter). */
export function alwaysStep(text: string, effect = false): Step {
  return { text, run: () => YES, why: () => '', effect };
}

/** A statement that changes the packet (MARK, CONNMARK, notrack, `meta mark set`). */
export function effectStep(text: string, apply: (p: CompiledPacket) => void): Step {
  return { text, run: (p) => { apply(p); return YES; }, why: () => '', effect: true, mutates: true };
}

/** A test on a possibly unknown numeric packet field (pkttype, length, uid): UNKNOWN when -1. */
export function numericFieldStep(get: (p: CompiledPacket) => number, test: (x: number) => boolean, negated: boolean, text: string, describe: (x: number) => string, unknownReason: string): Step {
  return {
    text,
    run: (p) => {
      const x = get(p);
      if (x < 0) return UNKNOWN;
      return tri(test(x) !== negated);
    },
    why: (p) => {
      const x = get(p);
      return x < 0 ? unknownReason : describe(x);
    },
    unknownReason,
  };
}

/** Link-layer packet type (0 unicast, 1 broadcast, 2 multicast): UNKNOWN when the packet does not say. */
export function pktTypeStep(types: number[], negated: boolean, text: string): Step {
  const step = numericFieldStep((p) => p.pktType, (x) => types.includes(x), negated, text, (x) => `packet type is ${['unicast', 'broadcast', 'multicast'][x]}`, 'link-layer packet type not given');
  return { ...step, pre: { f: 'pkttype', types: types.reduce((m, t) => m | (1 << t), 0), neg: negated } };
}
