// The compiled, evaluation-ready form of a host's rulesets. Built once per host
// state (compileHost.ts); evaluating a packet then touches only numbers,
// interned interface ids and pre-built closures — no parsing, no address
// strings, no allocation in the verdict path (bench/netfilter-eval.*).
//
// A rule is a list of steps run in order (nft statements are ordered: a counter
// or `meta mark set` before a failing match still runs) followed by one action.
// A step answers NO / YES / UNKNOWN: UNKNOWN is a match the packet cannot decide
// (limit, recent, an ipset without known contents, owner of a forwarded packet,
// an unknown module...). Unknowns are never guessed: evaluateHook computes both
// outcomes (evaluateHook.ts).

import type { Family, NftFamily, RuleRef } from '../model.ts';
import type { CompiledPacket } from './compiledPacket.ts';
import type { TraceEntry } from './hookResult.ts';
import type { HostAddressInfo } from './hostAddresses.ts';
import type { RunScratch } from './runPipeline.ts';

export const NO = 0;
export const YES = 1;
export const UNKNOWN = 2;
export type Tri = typeof NO | typeof YES | typeof UNKNOWN;

/**
 * A step simple enough for the verdict path to check inline, without a call: an exact interface,
 * one protocol, one port range, one IPv4 prefix. Same semantics as the step's `run` (see fastRule.ts).
 */
export type Prefilter =
  | { f: 'iif' | 'oif'; id: number; neg: boolean; absentNoMatch: boolean }
  | { f: 'proto'; proto: number; neg: boolean }
  /** reqProto: the protocol the module needs (-1: any protocol with ports); ranges: [lo, hi, lo, hi, …]. */
  | { f: 'sport' | 'dport'; ranges: Int32Array; neg: boolean; reqProto: number }
  | { f: 'ct'; mask: number; neg: boolean }
  | { f: 'src4' | 'dst4'; net: number; mask: number; neg: boolean }
  /** An IPv4 address range (iprange), bounds as unsigned numbers. */
  | { f: 'srcRange4' | 'dstRange4'; lo: number; hi: number; neg: boolean }
  /** ICMP/ICMPv6 type (-1 any) and code (-1 any). */
  | { f: 'icmp'; proto: number; type: number; code: number; neg: boolean }
  | { f: 'tcpflags'; mask: number; comp: number; neg: boolean }
  /**
   * Link-layer packet type, as an early out only: it answers for packets whose type is known; the
   * step stays (it is UNKNOWN for the others).
   */
  | { f: 'pkttype'; types: number; neg: boolean };

export interface Step {
  /** Decide the step for this packet. Effect steps (MARK, `meta mark set`) mutate the packet and answer YES. */
  run: (p: CompiledPacket) => Tri;
  /** The match or statement as written: "-i virbr3", "-m tcp --dport 22", "ip saddr 10.0.0.0/8". */
  text: string;
  /** Trace only: why it did not match this packet ("packet came in on eth1"). */
  why: (p: CompiledPacket) => string;
  /** For steps that can answer UNKNOWN: why the packet alone cannot decide it. */
  unknownReason?: string;
  /** true for statements that act rather than test (MARK, log): listed as effects in traces. */
  effect?: boolean;
  /** true when the statement changes what later rules see (MARK, CONNMARK, notrack, `meta mark set`). */
  mutates?: boolean;
  /** Inline form for the verdict path, when the step is that simple. */
  pre?: Prefilter;
}

/**
 * The same step with every field present in one fixed order: all steps then share one hidden class,
 * so the evaluators' reads of `run`, `why`, `unknownReason` stay monomorphic (steps are built in many
 * places with different optional fields).
 */
export function normalizeStep(st: Step): Step {
  return { text: st.text, run: st.run, why: st.why, unknownReason: st.unknownReason, effect: st.effect === true, mutates: st.mutates === true, pre: st.pre };
}

export const A_ACCEPT = 1;
export const A_DROP = 2;
export const A_REJECT = 3;
export const A_RETURN = 4;
export const A_JUMP = 5;
export const A_GOTO = 6;
/** No verdict: LOG, NFLOG, TCPMSS, CHECKSUM, MARK, counter-only rules, nft `continue`. */
export const A_CONTINUE = 7;
export const A_NAT = 8;
/** NFQUEUE/queue: userspace decides — the outcome is undetermined. */
export const A_QUEUE = 9;
/** A target/statement whose effect on the verdict is not modelled: the outcome is undetermined. */
export const A_UNDETERMINED = 10;

export type RejectWith =
  /** An ICMP / ICMPv6 destination-unreachable error with this code (type 3 for IPv4, 1 for IPv6). */
  | { kind: 'icmp'; family: Family; code: number; name: string }
  /** A TCP RST (iptables `--reject-with tcp-reset`, nft `reject with tcp reset`). */
  | { kind: 'tcp-reset'; name: string };

export interface NatSpec {
  type: 'masquerade' | 'snat' | 'dnat' | 'redirect';
  /** Address or range as written (`198.51.100.10-198.51.100.20`), absent for masquerade/redirect. */
  toAddress?: string;
  /** Port or range as written (`1024-65535`). */
  toPorts?: string;
}

export interface CompiledRule {
  /** Host-wide index: key for the assumptions taken on this rule's unknown matches. */
  id: number;
  /**
   * Whether matching can change nothing: no verdict and no mutating statement (a LOG, a counter).
   * The verdict path skips such rules; an undecidable match in one never branches the outcome.
   */
  inert: boolean;
  steps: Step[];
  action: number;
  /** Jump/goto target. */
  target: CompiledChain | null;
  /** What REJECT sends to an IPv4 packet / an IPv6 packet (they differ only in nft inet tables). */
  reject: RejectWith | null;
  reject6: RejectWith | null;
  nat: NatSpec | null;
  /** What the action does, for traces: "-j REJECT --reject-with icmp-port-unreachable", "accept". */
  actionText: string;
  /** For A_UNDETERMINED / A_QUEUE: why. */
  undeterminedReason: string | null;
  ref: RuleRef;
  /** The verdict path's form of the rule (fastRule.ts): inline prefilter fields + the remaining steps. */
  fast: FastRule;
}

/** Inline prefilter of a rule; -1 / 0 when a field is not constrained. */
export interface FastRule {
  iif: number; iifNeg: boolean; iifAbsentNo: boolean;
  oif: number; oifNeg: boolean; oifAbsentNo: boolean;
  proto: number; protoNeg: boolean;
  /** Port ranges as [lo, hi, …] pairs; null when not constrained. */
  dport: Int32Array | null; dportNeg: boolean; dportProto: number;
  sport: Int32Array | null; sportNeg: boolean; sportProto: number;
  /** Conntrack state bits (0: not constrained). */
  ctMask: number; ctNeg: boolean;
  src4: boolean; srcNet: number; srcMask: number; srcNeg: boolean;
  dst4: boolean; dstNet: number; dstMask: number; dstNeg: boolean;
  srcRange: boolean; srcLo: number; srcHi: number; srcRangeNeg: boolean;
  dstRange: boolean; dstLo: number; dstHi: number; dstRangeNeg: boolean;
  icmpProto: number; icmpType: number; icmpCode: number; icmpNeg: boolean;
  flagsMask: number; flagsComp: number; flagsNeg: boolean;
  /** Bit per packet type (1 unicast, 2 broadcast, 4 multicast); 0: not constrained. */
  pktTypes: number; pktTypesNeg: boolean;
  /** The steps the prefilter does not cover, in order. */
  steps: Step[];
  /** Whether any step is UNKNOWN-capable (then the full matchRule runs). */
  mayBeUnknown: boolean;
}

/** Per rule of a chain, its IPv4 prefix prefilter in contiguous arrays (scanned without touching rule objects). */
export interface AddressColumns {
  srcNet: Int32Array;
  srcMask: Int32Array;
  dstNet: Int32Array;
  dstMask: Int32Array;
  /** IPv4 ranges (iprange), unsigned bounds. */
  srcLo: Uint32Array;
  srcHi: Uint32Array;
  dstLo: Uint32Array;
  dstHi: Uint32Array;
  /**
   * 1 source prefix, 2 source prefix negated, 4 destination prefix, 8 negated,
   * 16 source range, 32 source range negated, 64 destination range, 128 negated.
   */
  flags: Uint8Array;
  /** Packet types the rule wants (bit per type), 0x80 when negated; 0: not constrained. */
  pktTypes: Uint8Array;
}

export interface CompiledChain {
  name: string;
  rules: CompiledRule[];
  /**
   * Verdict path: per packet slot (an (input, output interface, protocol) combination, see
   * CompiledHost.slots), the indices of the rules that can match — built on first use.
   */
  bySlot: (Int32Array | undefined)[];
  /** Verdict path: the rules' IPv4 source/destination prefixes as columns (fastRule.ts), built on first use. */
  columns?: AddressColumns;
}

export type ChainType = 'filter' | 'nat' | 'route';

/** One base chain (iptables built-in chain of a table, or nft base chain) registered at a hook. */
export interface HookChain {
  /** "iptables-legacy ipv4 filter", "iptables-nft ipv6 mangle", "nft inet firewalld". */
  rulesetLabel: string;
  source: 'iptables' | 'nft';
  backend: string;
  family: Family | NftFamily;
  table: string;
  chain: CompiledChain;
  priority: number;
  type: ChainType;
  policyDrop: boolean;
  /** Position 0 ref for the policy, for traces and decidedBy. */
  policyRef: RuleRef;
  /** Registration order across the host (order of the input rulesets/tables/chains). */
  order: number;
}

/**
 * One position in a hook's pipeline: a single filter/route base chain, or all nat chains of the hook
 * together. The kernel runs every nat chain of a hook from one nat core hook at a fixed priority
 * (nf_nat_core.c nf_nat_register_fn; nf_nat_proto.c nf_nat_ipv4_ops: dstnat -100 at prerouting/output,
 * srcnat 100 at input/postrouting), in their own priority order, and stops at the first that binds.
 */
export type PipelineStage =
  | { kind: 'chain'; priority: number; chain: HookChain }
  | { kind: 'nat'; priority: number; chains: HookChain[] };

export interface Pipeline {
  stages: PipelineStage[];
  /** Notes about the order (equal priorities…), followed by the host's compile notes. */
  notes: string[];
}

export interface CompiledHost {
  /** Pipelines per packet family and hook, for routed packets. */
  pipelines: Record<Family, Record<string, Pipeline>>;
  /**
   * For bridged packets: bridge-family base chains first, then (with br_netfilter) the IP pipeline.
   * An approximation of br_netfilter's ordering (it calls the IP hooks from bridge priority 0).
   */
  bridgedPipelines: Record<Family, Record<string, Pipeline>>;
  /** Interface name → interned id (names used in rules; packets with other names get a fresh id). */
  ifaceIds: Map<string, number>;
  /** All rules by id (for assumptions and explanations). */
  rules: CompiledRule[];
  /** Compile-time notes: modules treated as unknown, ignored rulesets (e.g. arp/netdev families). */
  notes: string[];
  /** The host's addresses (from the EvalContext): addrtype, MASQUERADE's address. */
  addresses: HostAddressInfo;
  /** Whether bridged packets traverse the IP hooks (br_netfilter). */
  brNetfilter: boolean;
  /** (input, output interface) key → protocol → slot number (fastRule.ts packetSlot). */
  slots: Map<number, Map<number, number>>;
  nextSlot: number;
  /**
   * Trace cache by rule id: the last entry made for the rule not matching / matching. Trace entries are
   * immutable, so repeated evaluations (a matrix recomputed after an edit) share them. Kept here, not
   * on the rules, so rule objects keep one shape (the verdict path reads them).
   */
  traceNoMatch: (TraceEntry | undefined)[];
  traceMatch: (TraceEntry | undefined)[];
  /** Registers for the evaluation in progress (reused; no allocation per packet). */
  scratch: RunScratch;
  /** Scratch for assumptions: 0 = not assumed, 1 = assumed to match, 2 = assumed not to match. */
  assumptions: Int8Array;
}
