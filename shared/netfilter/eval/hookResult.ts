// What evaluateHook returns: an outcome tree (a leaf, or a branch on a rule the
// packet alone cannot decide), each leaf with its verdict, the deciding rule,
// a NAT decision, the packet registers after the hook and optionally the trace.

import type { Family, RuleRef } from '../model.ts';
import type { RejectWith } from './compiledForm.ts';
import type { Hook } from './packet.ts';

export type HookVerdict =
  | { kind: 'accept' }
  | { kind: 'drop' }
  | { kind: 'reject'; with: RejectWith }
  /** A target the evaluator does not model (NFQUEUE, TPROXY, an unknown extension) decided. */
  | { kind: 'undetermined'; reason: string };

export interface NatDecision {
  type: 'masquerade' | 'snat' | 'dnat' | 'redirect';
  /** The address the packet gets: MASQUERADE → primary address of the output interface; a range → its first address (the kernel picks by hash). Absent when unknown. */
  address?: string;
  /** Ports as written (`1024-65535`). */
  ports?: string;
  /** Address or range as written in the rule. */
  written?: string;
  decidedBy: RuleRef;
  note?: string;
}

/** Trace entries are immutable and may be shared between evaluations (see CompiledRule.lastNoMatch). */
export type TraceEntry =
  | { kind: 'chain'; ruleset: string; table: string; chain: string; priority: number; via: 'hook' | 'jump' | 'goto' | 'return' }
  | {
      kind: 'rule';
      ref: RuleRef;
      result: 'match' | 'no-match' | 'assumed-match' | 'assumed-no-match';
      /** The first match that failed and why, e.g. { match: '-i virbr3', why: 'packet came in on eth1' }. */
      failed?: { readonly match: string; readonly why: string };
      /** For assumed results: the undecidable matches. */
      unknown?: { match: string; why: string }[];
      /** What the rule did when it matched ("-j LIBVIRT_FWX", "accept", "-j LOG --log-prefix x (continues)"). */
      action?: string;
      effects?: string[];
    }
  | { kind: 'chain-end'; chain: string; then: 'return' | 'policy' }
  | { kind: 'policy'; ref: RuleRef; verdict: 'accept' | 'drop' }
  | { kind: 'skip'; ruleset: string; table: string; chain: string; reason: string }
  | { kind: 'note'; text: string };

export interface Assumption {
  rule: RuleRef;
  matches: boolean;
  /** The undecidable match texts, e.g. "-m limit --limit 3/min". */
  unknown: string[];
}

/** A rule that changed the packet mark (skb->mark) or the connection mark (ct mark) during the hook. */
export interface MarkChange {
  register: 'mark' | 'connmark';
  from: number;
  to: number;
  rule: RuleRef;
}

export interface HookLeaf {
  kind: 'final';
  verdict: HookVerdict;
  /** The rule or chain policy (position 0) that gave the verdict; for accept the last explicit accepting rule, else the last non-nat policy (acceptingRef.ts). */
  decidedBy: RuleRef | null;
  /** Every base chain's accepting rule or policy, in pipeline order (accept only). */
  acceptedBy: RuleRef[];
  nat: NatDecision | null;
  /** Registers after the hook (MARK/CONNMARK/notrack set values later hooks see). */
  mark: number;
  connmark: number;
  /** Which rules changed mark/connmark, in order (the last one per register set the value above). */
  markChanges: MarkChange[];
  untracked: boolean;
  /** The rule whose notrack untracked the packet in this hook (null: it came in untracked, or stays tracked). */
  untrackedBy: RuleRef | null;
  assumptions: Assumption[];
  trace: TraceEntry[] | null;
}

export interface HookBranch {
  kind: 'conditional';
  rule: RuleRef;
  /** The undecidable match(es) of that rule. */
  unknown: { match: string; why: string }[];
  ifMatches: HookOutcome;
  ifNotMatches: HookOutcome;
}

/** More undecidable rules than the fan-out cap: not expanded further. */
export interface HookCapped {
  kind: 'capped';
  reason: string;
  assumptions: Assumption[];
}

export type HookOutcome = HookLeaf | HookBranch | HookCapped;

export interface HookResult {
  hook: Hook;
  family: Family;
  outcome: HookOutcome;
  /** One line: "accepted", "rejected (icmp-port-unreachable) by …", "accepted if rule 12 (-m limit …) matches, rejected otherwise". */
  summary: string;
  /** Pipeline and compile notes relevant to this evaluation (equal priorities, unmodelled modules…); shared, read-only. */
  notes: readonly string[];
}

/** Every leaf of an outcome tree. */
export function outcomeLeaves(o: HookOutcome): (HookLeaf | HookCapped)[] {
  if (o.kind === 'conditional') return [...outcomeLeaves(o.ifMatches), ...outcomeLeaves(o.ifNotMatches)];
  return [o];
}
