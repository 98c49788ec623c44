// One pass of one packet through one hook's pipeline, under a fixed set of
// assumptions about undecidable rules. Kernel semantics (firewall-layers.md §5
// facts 3, 4, 6, 7; nft(8) "OVERALL EVALUATION OF THE RULESET"):
//  - base chains run in priority order; accept ends only the current base
//    chain, drop/reject anywhere is final;
//  - jump pushes a return point, goto does not; RETURN or the end of a user
//    chain pops; with nothing to pop, the base chain's policy decides;
//  - non-terminating targets continue; MARK/CONNMARK change what later rules see;
//  - nat chains see only a connection's first packet (ctstate NEW) and stop at
//    the first chain that binds (nf_nat_core.c nf_nat_inet_fn);
//  - chains below the conntrack priority (-200) at prerouting/output run before
//    conntrack: no entry yet, ctstate reads INVALID (xt_conntrack.c, nft_ct.c).
//
// The verdict path allocates nothing: results go into the RunScratch registers.
// With a tracer, every visited rule is recorded.

import {
  A_ACCEPT, A_CONTINUE, A_DROP, A_GOTO, A_JUMP, A_NAT, A_QUEUE, A_REJECT, A_RETURN, A_UNDETERMINED, NO, UNKNOWN, YES,
  type CompiledChain, type CompiledHost, type CompiledRule, type HookChain, type Pipeline,
} from './compiledForm.ts';
import { CT_INVALID, CT_NEW, CT_UNTRACKED, IFACE_NONE, type CompiledPacket } from './compiledPacket.ts';
import type { TraceEntry } from './hookResult.ts';
import type { Hook } from './packet.ts';

export const R_ACCEPT = 1;
export const R_DROP = 2;
export const R_REJECT = 3;
/** An undecidable rule without an assumption was reached: scratch.pendingRule says which. */
export const R_NEED = 4;
export const R_UNDETERMINED = 5;
/** A nat chain bound the connection (chain-level result only). */
const R_NAT = 6;

const MAX_DEPTH = 64;
/** Netfilter's conntrack hook priority (NF_IP_PRI_CONNTRACK). */
const CONNTRACK_PRIORITY = -200;

/** Registers one evaluation writes; one per host, reused (JS is single-threaded). */
export interface RunScratch {
  stackChain: (CompiledChain | null)[];
  stackIndex: Int32Array;
  pendingRule: CompiledRule | null;
  /** Deciding rule (or null when a policy decided: then decidingPolicy). */
  decidingRule: CompiledRule | null;
  decidingPolicy: HookChain | null;
  natRule: CompiledRule | null;
  natChain: HookChain | null;
  undeterminedReason: string | null;
  failStep: number;
  /** Accepting rule/policy per base chain, only filled when tracing. */
  accepted: (CompiledRule | HookChain)[] | null;
}

export function newRunScratch(): RunScratch {
  return {
    stackChain: new Array<CompiledChain | null>(MAX_DEPTH).fill(null),
    stackIndex: new Int32Array(MAX_DEPTH),
    pendingRule: null, decidingRule: null, decidingPolicy: null, natRule: null, natChain: null,
    undeterminedReason: null, failStep: -1, accepted: null,
  };
}

/** Set the hook-visible fields (which interfaces exist at this hook) and reset the registers. */
export function preparePacket(p: CompiledPacket, hook: Hook): void {
  const hasIn = hook === 'prerouting' || hook === 'input' || hook === 'forward';
  const hasOut = hook === 'forward' || hook === 'output' || hook === 'postrouting';
  p.hIifName = hasIn ? p.iifName : null;
  p.hIifId = hasIn ? p.iifId : IFACE_NONE;
  p.hOifName = hasOut ? p.oifName : null;
  p.hOifId = hasOut ? p.oifId : IFACE_NONE;
  p.hPhysIn = hook === 'output' ? null : p.physInName;
  p.hPhysOut = hook === 'prerouting' || hook === 'input' ? null : p.physOutName;
  p.mark = p.markInit;
  p.connmark = p.connmarkInit;
  p.notracked = false;
}

function setConntrackView(p: CompiledPacket, hook: Hook, priority: number): void {
  if (p.notracked) {
    p.ct = CT_UNTRACKED;
    p.hasCt = false;
  } else if ((hook === 'prerouting' || hook === 'output') && priority < CONNTRACK_PRIORITY) {
    p.ct = CT_INVALID;
    p.hasCt = false;
  } else {
    p.ct = p.ctInit;
    p.hasCt = (p.ctInit & 7) !== 0;
  }
}

/** YES / NO / R_NEED for one rule under the host's assumptions; runs its effect steps in order. */
function matchRule(host: CompiledHost, s: RunScratch, rule: CompiledRule, p: CompiledPacket): number {
  const steps = rule.steps;
  for (let i = 0; i < steps.length; i++) {
    const r = steps[i].run(p);
    if (r === YES) continue;
    if (r === NO) {
      s.failStep = i;
      return NO;
    }
    // UNKNOWN: an assumption decides; without one, a later known failing test (with no effect in
    // between that the unknown would gate) still settles the rule as NO without branching.
    const a = host.assumptions[rule.id];
    if (a === 1) continue;
    if (a === 2) {
      s.failStep = i;
      return NO;
    }
    for (let j = i + 1; j < steps.length; j++) {
      const st = steps[j];
      if (st.effect) break;
      if (st.run(p) === NO) {
        s.failStep = j;
        return NO;
      }
    }
    s.pendingRule = rule;
    return R_NEED;
  }
  return YES;
}

function ruleTrace(host: CompiledHost, s: RunScratch, rule: CompiledRule, p: CompiledPacket, m: number): TraceEntry {
  const assumed = host.assumptions[rule.id];
  const unknown = assumed ? rule.steps.filter((st) => st.unknownReason !== undefined && st.run(p) === UNKNOWN).map((st) => ({ match: st.text, why: st.unknownReason! })) : undefined;
  if (m === NO) {
    const failed = rule.steps[s.failStep];
    const isAssumed = assumed === 2 && failed.unknownReason !== undefined && failed.run(p) === UNKNOWN;
    return {
      kind: 'rule', ref: rule.ref, result: isAssumed ? 'assumed-no-match' : 'no-match',
      failed: { match: failed.text, why: isAssumed ? `assumed not to match (${failed.unknownReason})` : failed.why(p) },
      ...(isAssumed && unknown ? { unknown } : {}),
    };
  }
  const effects = rule.steps.filter((st) => st.effect).map((st) => st.text);
  return {
    kind: 'rule', ref: rule.ref, result: assumed === 1 ? 'assumed-match' : 'match', action: rule.actionText,
    ...(effects.length ? { effects } : {}), ...(assumed === 1 && unknown ? { unknown } : {}),
  };
}

/** Run one base chain: R_ACCEPT / R_DROP / R_REJECT / R_NAT / R_NEED / R_UNDETERMINED. */
function runChain(host: CompiledHost, s: RunScratch, hc: HookChain, p: CompiledPacket, trace: TraceEntry[] | null): number {
  let chain = hc.chain;
  let i = 0;
  let sp = 0;
  for (;;) {
    if (i >= chain.rules.length) {
      if (sp === 0) return policy(s, hc, trace, chain.name);
      if (trace) trace.push({ kind: 'chain-end', chain: chain.name, then: 'return' });
      sp--;
      chain = s.stackChain[sp]!;
      i = s.stackIndex[sp];
      if (trace) trace.push({ kind: 'chain', ruleset: hc.rulesetLabel, table: hc.table, chain: chain.name, priority: hc.priority, via: 'return' });
      continue;
    }
    const rule = chain.rules[i];
    const m = matchRule(host, s, rule, p);
    if (m === R_NEED) return R_NEED;
    if (trace) trace.push(ruleTrace(host, s, rule, p, m));
    if (m === NO) {
      i++;
      continue;
    }
    switch (rule.action) {
      case A_CONTINUE:
        i++;
        break;
      case A_ACCEPT:
        s.decidingRule = rule;
        if (s.accepted) s.accepted.push(rule);
        return R_ACCEPT;
      case A_DROP:
        s.decidingRule = rule;
        return R_DROP;
      case A_REJECT:
        s.decidingRule = rule;
        return R_REJECT;
      case A_NAT:
        s.natRule = rule;
        s.natChain = hc;
        if (s.accepted) s.accepted.push(rule);
        return R_NAT;
      case A_RETURN:
        if (sp === 0) return policy(s, hc, trace, chain.name);
        sp--;
        chain = s.stackChain[sp]!;
        i = s.stackIndex[sp];
        if (trace) trace.push({ kind: 'chain', ruleset: hc.rulesetLabel, table: hc.table, chain: chain.name, priority: hc.priority, via: 'return' });
        break;
      case A_JUMP:
        if (sp >= MAX_DEPTH) {
          s.decidingRule = rule;
          s.undeterminedReason = `jump depth above ${MAX_DEPTH} (a loop the kernel would refuse)`;
          return R_UNDETERMINED;
        }
        s.stackChain[sp] = chain;
        s.stackIndex[sp] = i + 1;
        sp++;
        chain = rule.target!;
        i = 0;
        if (trace) trace.push({ kind: 'chain', ruleset: hc.rulesetLabel, table: hc.table, chain: chain.name, priority: hc.priority, via: 'jump' });
        break;
      case A_GOTO:
        chain = rule.target!;
        i = 0;
        if (trace) trace.push({ kind: 'chain', ruleset: hc.rulesetLabel, table: hc.table, chain: chain.name, priority: hc.priority, via: 'goto' });
        break;
      case A_QUEUE: case A_UNDETERMINED: default:
        s.decidingRule = rule;
        s.undeterminedReason = rule.undeterminedReason ?? 'not modelled';
        return R_UNDETERMINED;
    }
  }
}

function policy(s: RunScratch, hc: HookChain, trace: TraceEntry[] | null, lastChain: string): number {
  if (trace) {
    trace.push({ kind: 'chain-end', chain: lastChain, then: 'policy' });
    trace.push({ kind: 'policy', ref: hc.policyRef, verdict: hc.policyDrop ? 'drop' : 'accept' });
  }
  s.decidingRule = null;
  s.decidingPolicy = hc;
  if (hc.policyDrop) return R_DROP;
  if (s.accepted) s.accepted.push(hc);
  return R_ACCEPT;
}

function enterTrace(hc: HookChain, trace: TraceEntry[]): void {
  trace.push({ kind: 'chain', ruleset: hc.rulesetLabel, table: hc.table, chain: hc.chain.name, priority: hc.priority, via: 'hook' });
}

/**
 * The packet through every stage of the pipeline. Returns R_ACCEPT / R_DROP / R_REJECT /
 * R_UNDETERMINED / R_NEED; details in the scratch. `p` must have been prepared for the hook.
 */
export function runPipeline(host: CompiledHost, s: RunScratch, pipeline: Pipeline, hook: Hook, p: CompiledPacket, trace: TraceEntry[] | null): number {
  s.pendingRule = null;
  s.decidingRule = null;
  s.decidingPolicy = null;
  s.natRule = null;
  s.natChain = null;
  s.undeterminedReason = null;
  const stages = pipeline.stages;
  for (let k = 0; k < stages.length; k++) {
    const stage = stages[k];
    setConntrackView(p, hook, stage.priority);
    if (stage.kind === 'chain') {
      if (trace) enterTrace(stage.chain, trace);
      const r = runChain(host, s, stage.chain, p, trace);
      if (r !== R_ACCEPT && r !== R_NAT) return r;
      continue;
    }
    // nat stage: only a connection's first packet; untracked/invalid packets never get NAT.
    if (!p.hasCt || (p.ct & CT_NEW) === 0) {
      if (trace) for (const hc of stage.chains) trace.push({ kind: 'skip', ruleset: hc.rulesetLabel, table: hc.table, chain: hc.chain.name, reason: p.hasCt ? 'nat chains see only the first packet of a connection (ctstate NEW)' : 'no conntrack entry: no NAT' });
      continue;
    }
    for (const hc of stage.chains) {
      if (trace) enterTrace(hc, trace);
      const r = runChain(host, s, hc, p, trace);
      if (r === R_NAT) break;
      if (r !== R_ACCEPT) return r;
    }
  }
  return R_ACCEPT;
}
