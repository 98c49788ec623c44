// One base chain with its user chains, rule by rule, as the kernel walks it
// (ip_tables.c ipt_do_table, nf_tables_core.c nft_do_chain): jump pushes a
// return point, goto does not, RETURN or a user chain's end pops, and with
// nothing to pop the base chain's policy decides. This is the traced form: every
// rule is visited and recorded; runChainFast.ts is the verdict path.

import {
  A_ACCEPT, A_CONTINUE, A_DROP, A_GOTO, A_JUMP, A_NAT, A_QUEUE, A_REJECT, A_RETURN, A_UNDETERMINED, NO, UNKNOWN, YES,
  type CompiledHost, type CompiledRule, type HookChain,
} from './compiledForm.ts';
import type { CompiledPacket } from './compiledPacket.ts';
import type { TraceEntry } from './hookResult.ts';
import { MAX_DEPTH, R_ACCEPT, R_DROP, R_NAT, R_NEED, R_REJECT, R_UNDETERMINED, noteMarkChange, type RunScratch } from './runScratch.ts';

/** YES / NO / R_NEED for one rule under the host's assumptions; runs its effect steps in order. */
export function matchRule(host: CompiledHost, s: RunScratch, rule: CompiledRule, p: CompiledPacket): number {
  const steps = rule.steps;
  for (let i = 0; i < steps.length; i++) {
    const r = steps[i].run(p);
    if (r === YES) continue;
    if (r === NO) {
      s.failStep = i;
      return NO;
    }
    // UNKNOWN: an assumption decides; without one, a later known failing test (with no effect in
    // between that the unknown would gate) still settles the rule as NO without branching. A rule
    // that can change nothing either way (LOG with -m limit) does not branch: it is taken as not matching.
    if (rule.inert) {
      s.failStep = i;
      return NO;
    }
    const a = host.assumptions[rule.id];
    if (a === 1) continue;
    if (a === 2) {
      s.failStep = i;
      return NO;
    }
    for (let j = i + 1; j < steps.length; j++) {
      const st = steps[j];
      if (st.mutates) break;
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

const NO_EFFECTS: readonly string[] = [];
const effectTexts = new WeakMap<CompiledRule, readonly string[]>();

/** Texts of the statements that act (MARK, log…), computed once per rule. */
function effectsOf(rule: CompiledRule): readonly string[] {
  let e = effectTexts.get(rule);
  if (e === undefined) {
    const list = rule.steps.filter((st) => st.effect).map((st) => st.text);
    e = list.length ? list : NO_EFFECTS;
    effectTexts.set(rule, e);
  }
  return e;
}

function ruleTrace(host: CompiledHost, s: RunScratch, rule: CompiledRule, p: CompiledPacket, m: number): TraceEntry {
  const assumed = host.assumptions[rule.id];
  if (m === NO) {
    const failed = rule.steps[s.failStep];
    const undecided = failed.unknownReason !== undefined && failed.run(p) === UNKNOWN;
    if (assumed === 2 && undecided) {
      return { kind: 'rule', ref: rule.ref, result: 'assumed-no-match', failed: { match: failed.text, why: `assumed not to match (${failed.unknownReason})` }, unknown: unknownOf(rule, p) };
    }
    const why = rule.inert && undecided ? `undecidable (${failed.unknownReason}), but the rule changes nothing either way` : failed.why(p);
    const last = host.traceNoMatch[rule.id];
    if (last !== undefined && last.kind === 'rule' && last.failed!.why === why && last.failed!.match === failed.text) return last;
    const entry: TraceEntry = { kind: 'rule', ref: rule.ref, result: 'no-match', failed: { match: failed.text, why } };
    host.traceNoMatch[rule.id] = entry;
    return entry;
  }
  const effects = effectsOf(rule);
  if (assumed === 1) {
    return effects.length
      ? { kind: 'rule', ref: rule.ref, result: 'assumed-match', action: rule.actionText, effects: [...effects], unknown: unknownOf(rule, p) }
      : { kind: 'rule', ref: rule.ref, result: 'assumed-match', action: rule.actionText, unknown: unknownOf(rule, p) };
  }
  let entry = host.traceMatch[rule.id];
  if (entry === undefined) {
    entry = effects.length ? { kind: 'rule', ref: rule.ref, result: 'match', action: rule.actionText, effects: [...effects] } : { kind: 'rule', ref: rule.ref, result: 'match', action: rule.actionText };
    host.traceMatch[rule.id] = entry;
  }
  return entry;
}

function unknownOf(rule: CompiledRule, p: CompiledPacket): { match: string; why: string }[] {
  return rule.steps.filter((st) => st.unknownReason !== undefined && st.run(p) === UNKNOWN).map((st) => ({ match: st.text, why: st.unknownReason! }));
}

/** Run one base chain: R_ACCEPT / R_DROP / R_REJECT / R_NAT / R_NEED / R_UNDETERMINED. */
export function runChain(host: CompiledHost, s: RunScratch, hc: HookChain, p: CompiledPacket, trace: TraceEntry[] | null): number {
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
    if (rule.inert && trace === null) {
      i++;
      continue;
    }
    const mark0 = p.mark;
    const connmark0 = p.connmark;
    const tracked0 = !p.notracked;
    const m = matchRule(host, s, rule, p);
    if (m === R_NEED) return R_NEED;
    if (p.mark !== mark0 || p.connmark !== connmark0) noteMarkChange(s, rule, p, mark0, connmark0);
    if (tracked0 && p.notracked) s.untrackedBy = rule;
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

export function policy(s: RunScratch, hc: HookChain, trace: TraceEntry[] | null, lastChain: string): number {
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

