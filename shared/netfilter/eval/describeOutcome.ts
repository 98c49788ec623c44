// One-line wording of a hook outcome, as the CLI and the simulator show it:
// "rejected (icmp-port-unreachable) by filter LIBVIRT_FWI rule 2: -A LIBVIRT_FWI -o virbr3 -j REJECT …",
// "accepted if filter INPUT rule 12 (-m limit --limit 3/min) matches, rejected otherwise".

import type { RuleRef } from '../model.ts';
import type { HookOutcome, HookVerdict } from './hookResult.ts';

export function ruleWhere(ref: RuleRef): string {
  const table = ref.source === 'nft' ? `${ref.family} ${ref.table}` : ref.table;
  return ref.position === 0 ? `${table} ${ref.chain} policy` : `${table} ${ref.chain} rule ${ref.position}`;
}

export function verdictWord(v: HookVerdict): string {
  switch (v.kind) {
    case 'accept': return 'accepted';
    case 'drop': return 'dropped';
    case 'reject': return `rejected (${v.with.name})`;
    case 'undetermined': return `undetermined (${v.reason})`;
  }
}

function short(o: HookOutcome): string {
  if (o.kind === 'final') return verdictWord(o.verdict);
  if (o.kind === 'capped') return 'undetermined (too many unknowns)';
  return `(${conditional(o)})`;
}

function conditional(o: Extract<HookOutcome, { kind: 'conditional' }>): string {
  const unknown = o.unknown.map((u) => u.match).join(' ');
  return `${short(o.ifMatches)} if ${ruleWhere(o.rule)} (${unknown}) matches, ${short(o.ifNotMatches)} otherwise`;
}

export function describeOutcome(o: HookOutcome): string {
  if (o.kind === 'capped') return `undetermined: ${o.reason}`;
  if (o.kind === 'conditional') return conditional(o);
  const by = o.decidedBy ? ` by ${ruleWhere(o.decidedBy)}${o.decidedBy.position > 0 ? `: ${o.decidedBy.text}` : ` ${o.decidedBy.text}`}` : '';
  if (o.verdict.kind === 'accept') {
    const nat = o.nat ? ` with ${o.nat.type}${o.nat.address ? ` to ${o.nat.address}` : ''}${o.nat.ports ? ` ports ${o.nat.ports}` : ''}` : '';
    return o.decidedBy ? `accepted${nat}${by}` : `accepted${nat} (no base chain at this hook)`;
  }
  return `${verdictWord(o.verdict)}${by}`;
}
