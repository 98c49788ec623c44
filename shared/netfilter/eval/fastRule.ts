// The verdict path's form of a rule: the simplest matches (exact interface,
// one protocol, one port range, one IPv4 prefix) become plain number fields
// checked inline, and per chain the rules that cannot match a packet's
// (input, output) interface pair are left out of its candidate list. Only the
// verdict path (no trace) uses this; traces run every step of every rule. A
// property test checks both paths give the same verdict
// (fastRule.test.ts).

import type { AddressColumns, CompiledChain, CompiledHost, CompiledRule, FastRule, Step } from './compiledForm.ts';
import { IFACE_NONE, type CompiledPacket } from './compiledPacket.ts';

/** Split a rule's steps into inline prefilter fields and the steps still to run. */
export function buildFastRule(steps: Step[]): FastRule {
  const f: FastRule = {
    iif: -1, iifNeg: false, iifAbsentNo: false, oif: -1, oifNeg: false, oifAbsentNo: false,
    proto: -1, protoNeg: false,
    dport: null, dportNeg: false, dportProto: -1,
    sport: null, sportNeg: false, sportProto: -1,
    ctMask: 0, ctNeg: false,
    src4: false, srcNet: 0, srcMask: 0, srcNeg: false, dst4: false, dstNet: 0, dstMask: 0, dstNeg: false,
    srcRange: false, srcLo: 0, srcHi: 0, srcRangeNeg: false, dstRange: false, dstLo: 0, dstHi: 0, dstRangeNeg: false,
    icmpProto: -1, icmpType: -1, icmpCode: -1, icmpNeg: false, flagsMask: -1, flagsComp: 0, flagsNeg: false,
    pktTypes: 0, pktTypesNeg: false,
    steps: [], mayBeUnknown: false,
  };
  // Effects must run in order with the tests around them: once a mutating step is seen, keep the rest as steps.
  let mutated = false;
  for (const st of steps) {
    const pre = mutated ? undefined : st.pre;
    if (st.mutates) mutated = true;
    if (pre?.f === 'iif' && f.iif === -1) Object.assign(f, { iif: pre.id, iifNeg: pre.neg, iifAbsentNo: pre.absentNoMatch });
    else if (pre?.f === 'oif' && f.oif === -1) Object.assign(f, { oif: pre.id, oifNeg: pre.neg, oifAbsentNo: pre.absentNoMatch });
    else if (pre?.f === 'proto' && f.proto === -1) Object.assign(f, { proto: pre.proto, protoNeg: pre.neg });
    else if (pre?.f === 'dport' && f.dport === null) Object.assign(f, { dport: pre.ranges, dportNeg: pre.neg, dportProto: pre.reqProto });
    else if (pre?.f === 'sport' && f.sport === null) Object.assign(f, { sport: pre.ranges, sportNeg: pre.neg, sportProto: pre.reqProto });
    else if (pre?.f === 'ct' && f.ctMask === 0) Object.assign(f, { ctMask: pre.mask, ctNeg: pre.neg });
    else if (pre?.f === 'src4' && !f.src4) Object.assign(f, { src4: true, srcNet: pre.net, srcMask: pre.mask, srcNeg: pre.neg });
    else if (pre?.f === 'dst4' && !f.dst4) Object.assign(f, { dst4: true, dstNet: pre.net, dstMask: pre.mask, dstNeg: pre.neg });
    else if (pre?.f === 'srcRange4' && !f.srcRange) Object.assign(f, { srcRange: true, srcLo: pre.lo, srcHi: pre.hi, srcRangeNeg: pre.neg });
    else if (pre?.f === 'dstRange4' && !f.dstRange) Object.assign(f, { dstRange: true, dstLo: pre.lo, dstHi: pre.hi, dstRangeNeg: pre.neg });
    else if (pre?.f === 'icmp' && f.icmpProto === -1) Object.assign(f, { icmpProto: pre.proto, icmpType: pre.type, icmpCode: pre.code, icmpNeg: pre.neg });
    else if (pre?.f === 'tcpflags' && f.flagsMask === -1) Object.assign(f, { flagsMask: pre.mask, flagsComp: pre.comp, flagsNeg: pre.neg });
    else if (pre?.f === 'pkttype' && f.pktTypes === 0) {
      // Early out only: the step stays for packets whose type is not known.
      Object.assign(f, { pktTypes: pre.types, pktTypesNeg: pre.neg });
      f.steps.push(st);
      f.mayBeUnknown = true;
    }
    else {
      f.steps.push(st);
      if (st.unknownReason !== undefined) f.mayBeUnknown = true;
    }
  }
  return f;
}

function inRanges(r: Int32Array, x: number): boolean {
  for (let i = 0; i < r.length; i += 2) if (x >= r[i] && x <= r[i + 1]) return true;
  return false;
}

/** The inline prefilter: false when one of its fields rules the packet out (same answers as the steps). */
export function prefilterPasses(f: FastRule, p: CompiledPacket): boolean {
  if (f.iif !== -1) {
    if (p.hIifId === IFACE_NONE && f.iifAbsentNo) return false;
    if ((p.hIifId === f.iif) === f.iifNeg) return false;
  }
  if (f.oif !== -1) {
    if (p.hOifId === IFACE_NONE && f.oifAbsentNo) return false;
    if ((p.hOifId === f.oif) === f.oifNeg) return false;
  }
  if (f.proto !== -1 && (p.proto === f.proto) === f.protoNeg) return false;
  if (f.ctMask !== 0 && ((p.ct & f.ctMask) !== 0) === f.ctNeg) return false;
  if (f.dport !== null) {
    if (p.dport < 0 || (f.dportProto !== -1 && p.proto !== f.dportProto)) return false;
    if (inRanges(f.dport, p.dport) === f.dportNeg) return false;
  }
  if (f.sport !== null) {
    if (p.sport < 0 || (f.sportProto !== -1 && p.proto !== f.sportProto)) return false;
    if (inRanges(f.sport, p.sport) === f.sportNeg) return false;
  }
  if (f.src4 && (p.v6 || ((p.s0 & f.srcMask) === f.srcNet) === f.srcNeg)) return false;
  if (f.dst4 && (p.v6 || ((p.d0 & f.dstMask) === f.dstNet) === f.dstNeg)) return false;
  if (f.srcRange && (p.v6 || (p.s0 >>> 0 >= f.srcLo && p.s0 >>> 0 <= f.srcHi) === f.srcRangeNeg)) return false;
  if (f.dstRange && (p.v6 || (p.d0 >>> 0 >= f.dstLo && p.d0 >>> 0 <= f.dstHi) === f.dstRangeNeg)) return false;
  if (f.icmpProto !== -1) {
    if (p.proto !== f.icmpProto) return false;
    if ((f.icmpType === -1 || (p.icmpType === f.icmpType && (f.icmpCode === -1 || p.icmpCode === f.icmpCode))) === f.icmpNeg) return false;
  }
  if (f.flagsMask !== -1 && (p.proto !== 6 || ((p.tcpFlags & f.flagsMask) === f.flagsComp) === f.flagsNeg)) return false;
  if (f.pktTypes !== 0 && p.pktType >= 0 && ((f.pktTypes & (1 << p.pktType)) !== 0) === f.pktTypesNeg) return false;
  return true;
}

/** Key of a packet's interface pair at the current hook (small integers: stays a V8 Smi). */
export function interfaceKey(p: CompiledPacket): number {
  return (p.hIifId + 2) * 65536 + (p.hOifId + 2);
}

/** Number the packet's (interfaces at this hook, protocol) combination once per hook evaluation. */
export function packetSlot(host: CompiledHost, p: CompiledPacket): number {
  const key = interfaceKey(p);
  let byProto = host.slots.get(key);
  if (byProto === undefined) {
    byProto = new Map();
    host.slots.set(key, byProto);
  }
  let slot = byProto.get(p.proto);
  if (slot === undefined) {
    slot = host.nextSlot++;
    byProto.set(p.proto, slot);
  }
  return slot;
}

/** The chain's address columns, built once. */
export function addressColumns(chain: CompiledChain): AddressColumns {
  let c = chain.columns;
  if (c === undefined) {
    const n = chain.rules.length;
    c = {
      srcNet: new Int32Array(n), srcMask: new Int32Array(n), dstNet: new Int32Array(n), dstMask: new Int32Array(n),
      srcLo: new Uint32Array(n), srcHi: new Uint32Array(n), dstLo: new Uint32Array(n), dstHi: new Uint32Array(n),
      flags: new Uint8Array(n), pktTypes: new Uint8Array(n),
    };
    chain.rules.forEach((rule, i) => {
      const f = rule.fast;
      if (f.src4) {
        c!.srcNet[i] = f.srcNet;
        c!.srcMask[i] = f.srcMask;
        c!.flags[i] |= f.srcNeg ? 3 : 1;
      }
      if (f.dst4) {
        c!.dstNet[i] = f.dstNet;
        c!.dstMask[i] = f.dstMask;
        c!.flags[i] |= f.dstNeg ? 12 : 4;
      }
      if (f.srcRange) {
        c!.srcLo[i] = f.srcLo;
        c!.srcHi[i] = f.srcHi;
        c!.flags[i] |= f.srcRangeNeg ? 48 : 16;
      }
      if (f.dstRange) {
        c!.dstLo[i] = f.dstLo;
        c!.dstHi[i] = f.dstHi;
        c!.flags[i] |= f.dstRangeNeg ? 192 : 64;
      }
      if (f.pktTypes !== 0) c!.pktTypes[i] = f.pktTypes | (f.pktTypesNeg ? 0x80 : 0);
    });
    chain.columns = c;
  }
  return c;
}

/**
 * Rules of the chain that can match the packet's slot (its interfaces at this hook and its protocol),
 * without inert ones (LOG, counters). Built on first use of the slot; then an array index.
 */
export function candidates(chain: CompiledChain, p: CompiledPacket): Int32Array {
  let list = chain.bySlot[p.slot];
  if (list === undefined) {
    const out: number[] = [];
    chain.rules.forEach((rule: CompiledRule, i) => {
      if (rule.inert) return;
      const f = rule.fast;
      if (f.iif !== -1 && !f.iifNeg && f.iif !== p.hIifId) return;
      if (f.oif !== -1 && !f.oifNeg && f.oif !== p.hOifId) return;
      if (f.proto !== -1 && !f.protoNeg && f.proto !== p.proto) return;
      out.push(i);
    });
    list = Int32Array.from(out);
    // Keep the array dense (no jump to dictionary elements when a high slot comes first).
    while (chain.bySlot.length < p.slot) chain.bySlot.push(undefined);
    chain.bySlot[p.slot] = list;
  }
  return list;
}
