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
import type { HostAddressInfo } from './hostAddresses.ts';
import type { RunScratch } from './runPipeline.ts';

export const NO = 0;
export const YES = 1;
export const UNKNOWN = 2;
export type Tri = typeof NO | typeof YES | typeof UNKNOWN;

export interface Step {
  /** Decide the step for this packet. Effect steps (MARK, `meta mark set`) mutate the packet and answer YES. */
  run: (p: CompiledPacket) => Tri;
  /** The match or statement as written: "-i virbr3", "-m tcp --dport 22", "ip saddr 10.0.0.0/8". */
  text: string;
  /** Trace only: why it did not match this packet ("packet came in on eth1"). */
  why: (p: CompiledPacket) => string;
  /** For steps that can answer UNKNOWN: why the packet alone cannot decide it. */
  unknownReason?: string;
  /** true for statements that act rather than test (MARK, log, counter): listed as effects in traces. */
  effect?: boolean;
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
}

export interface CompiledChain {
  name: string;
  rules: CompiledRule[];
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
  /** Notes about the order, e.g. equal priorities whose kernel order is undefined. */
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
  /** Registers for the evaluation in progress (reused; no allocation per packet). */
  scratch: RunScratch;
  /** Scratch for assumptions: 0 = not assumed, 1 = assumed to match, 2 = assumed not to match. */
  assumptions: Int8Array;
}
