// evaluateHook: one packet through one hook across every ruleset of the host,
// with conditional outcomes and an optional trace. hookVerdict: the same
// without trace, explanation or allocation (the fast path the simulator's
// matrix and the benchmark use).
//
// Unknowns are never guessed: when a rule the packet cannot decide is reached
// (limit, an unknown set, …), the hook is evaluated twice more — once assuming
// the rule matches, once assuming it does not — and the result is a branch.
// Branches whose outcomes are identical collapse. The tree is capped
// (maxLeaves, default 32); beyond it a leaf says so.

import type { RuleRef } from '../model.ts';
import type { CompiledHost, CompiledRule, HookChain, Pipeline } from './compiledForm.ts';
import { UNKNOWN } from './compiledForm.ts';
import { compilePacket, type CompiledPacket } from './compiledPacket.ts';
import { primaryAddress } from './hostAddresses.ts';
import type { Assumption, HookLeaf, HookOutcome, HookResult, HookVerdict, NatDecision, TraceEntry } from './hookResult.ts';
import { acceptingRef } from './acceptingRef.ts';
import { describeOutcome } from './describeOutcome.ts';
import type { Hook, Packet } from './packet.ts';
import { R_ACCEPT, R_DROP, R_NEED, R_REJECT, preparePacket, runPipeline } from './runPipeline.ts';

export { R_ACCEPT, R_DROP, R_REJECT, R_NEED, R_UNDETERMINED } from './runPipeline.ts';

export interface EvaluateOptions {
  /** Record every visited rule (default false). */
  trace?: boolean;
  /** Cap on outcome leaves when several undecidable rules nest (default 32). */
  maxLeaves?: number;
}

function pipelineFor(host: CompiledHost, hook: Hook, p: CompiledPacket): Pipeline {
  return (p.bridged ? host.bridgedPipelines : host.pipelines)[p.family][hook];
}

/**
 * Fast verdict: R_ACCEPT, R_DROP, R_REJECT, R_UNDETERMINED, or R_NEED when an undecidable rule was
 * reached (call evaluateHook for the conditional outcome). No allocation.
 */
export function hookVerdict(host: CompiledHost, hook: Hook, p: CompiledPacket): number {
  preparePacket(p, hook);
  host.scratch.accepted = null;
  host.scratch.markChanges = null;
  return runPipeline(host, host.scratch, pipelineFor(host, hook, p), hook, p, null);
}

function unknownMatches(rule: CompiledRule, p: CompiledPacket): { match: string; why: string }[] {
  return rule.steps.filter((st) => st.unknownReason !== undefined && st.run(p) === UNKNOWN).map((st) => ({ match: st.text, why: st.unknownReason! }));
}

function natDecision(host: CompiledHost, hook: Hook, rule: CompiledRule, p: CompiledPacket): NatDecision {
  const spec = rule.nat!;
  const d: NatDecision = { type: spec.type, decidedBy: rule.ref };
  if (spec.toPorts) d.ports = spec.toPorts;
  if (spec.toAddress) {
    d.written = spec.toAddress;
    const first = spec.toAddress.split(/[-/]/)[0];
    d.address = first;
    if (first !== spec.toAddress) d.note = `the kernel picks an address of ${spec.toAddress} per connection (hash); shown: the first`;
  } else if (spec.type === 'masquerade') {
    const a = primaryAddress(host.addresses, p.oifName, p.family);
    if (a) d.address = a;
    else d.note = `MASQUERADE uses the primary address of ${p.oifName ?? 'the output interface'} (not given)`;
  } else if (spec.type === 'redirect') {
    if (hook === 'output') d.address = p.v6 ? '::1' : '127.0.0.1';
    else {
      const a = primaryAddress(host.addresses, p.iifName, p.family);
      if (a) d.address = a;
      else d.note = `REDIRECT uses the primary address of ${p.iifName ?? 'the input interface'} (not given)`;
    }
  }
  return d;
}

function policyOrRule(x: CompiledRule | HookChain): RuleRef {
  return 'policyRef' in x ? x.policyRef : x.ref;
}

function leaf(host: CompiledHost, hook: Hook, p: CompiledPacket, r: number, trace: TraceEntry[] | null, assumptions: Assumption[]): HookLeaf {
  const s = host.scratch;
  const decided = s.decidingRule?.ref ?? s.decidingPolicy?.policyRef ?? null;
  let verdict: HookVerdict;
  if (r === R_ACCEPT) verdict = { kind: 'accept' };
  else if (r === R_DROP) verdict = { kind: 'drop' };
  else if (r === R_REJECT) {
    const w = p.v6 ? s.decidingRule!.reject6 : s.decidingRule!.reject;
    verdict = w ? { kind: 'reject', with: w } : { kind: 'undetermined', reason: `${s.decidingRule!.actionText} cannot answer an ${p.family} packet` };
  } else verdict = { kind: 'undetermined', reason: s.undeterminedReason ?? 'not modelled' };
  const acceptedBy = (s.accepted ?? []).map(policyOrRule);
  return {
    kind: 'final',
    verdict,
    decidedBy: r === R_ACCEPT ? acceptingRef(s.accepted ?? []) : decided,
    acceptedBy: r === R_ACCEPT ? acceptedBy : [],
    nat: s.natRule && r === R_ACCEPT ? natDecision(host, hook, s.natRule, p) : null,
    mark: p.mark,
    connmark: p.connmark,
    markChanges: s.markChanges ?? [],
    untracked: p.notracked,
    untrackedBy: s.untrackedBy?.ref ?? null,
    assumptions,
    trace,
  };
}

function sameLeaf(a: HookOutcome, b: HookOutcome): boolean {
  if (a.kind !== 'final' || b.kind !== 'final') return false;
  const va = a.verdict;
  const vb = b.verdict;
  if (va.kind !== vb.kind) return false;
  if (va.kind === 'reject' && vb.kind === 'reject' && (va.with.kind !== vb.with.kind || va.with.name !== vb.with.name)) return false;
  return a.decidedBy === b.decidedBy && a.nat?.decidedBy === b.nat?.decidedBy && a.mark === b.mark && a.connmark === b.connmark && a.untracked === b.untracked;
}

/** Paths of the tree so far (finished leaves plus branches still to explore): never above max. */
interface Budget {
  paths: number;
  max: number;
}

function explore(host: CompiledHost, hook: Hook, pipeline: Pipeline, p: CompiledPacket, withTrace: boolean, assumptions: Assumption[], budget: Budget): HookOutcome {
  preparePacket(p, hook);
  const trace: TraceEntry[] | null = withTrace ? [] : null;
  host.scratch.accepted = [];
  host.scratch.markChanges = [];
  const r = runPipeline(host, host.scratch, pipeline, hook, p, trace);
  if (r !== R_NEED) return leaf(host, hook, p, r, trace, assumptions);
  const rule = host.scratch.pendingRule!;
  const unknown = unknownMatches(rule, p);
  if (budget.paths + 1 > budget.max) {
    return { kind: 'capped', reason: `more than ${budget.max} outcomes: ${rule.ref.table} ${rule.ref.chain} rule ${rule.ref.position} (${unknown.map((u) => u.match).join(' ')}) not expanded`, assumptions };
  }
  budget.paths++;
  const texts = unknown.map((u) => u.match);
  host.assumptions[rule.id] = 1;
  const yes = explore(host, hook, pipeline, p, withTrace, [...assumptions, { rule: rule.ref, matches: true, unknown: texts }], budget);
  host.assumptions[rule.id] = 2;
  const no = explore(host, hook, pipeline, p, withTrace, [...assumptions, { rule: rule.ref, matches: false, unknown: texts }], budget);
  host.assumptions[rule.id] = 0;
  if (sameLeaf(yes, no)) return no;
  return { kind: 'conditional', rule: rule.ref, unknown, ifMatches: yes, ifNotMatches: no };
}

/** One packet through one hook: the outcome tree, a one-line summary and the notes that apply. */
export function evaluateHook(host: CompiledHost, hook: Hook, packet: Packet | CompiledPacket, options: EvaluateOptions = {}): HookResult {
  const p = 'packet' in packet && 's0' in packet ? packet : compilePacket(host, packet as Packet);
  const pipeline = pipelineFor(host, hook, p);
  const budget: Budget = { paths: 1, max: Math.max(1, options.maxLeaves ?? 32) };
  const outcome = explore(host, hook, pipeline, p, options.trace === true, [], budget);
  host.assumptions.fill(0);
  return { hook, family: p.family, outcome, summary: describeOutcome(outcome), notes: pipeline.notes };
}
