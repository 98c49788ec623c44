// The effective rules of a host, flattened per hook for comparison: every
// chain of every ruleset with the hook(s) it serves (built-in / base chains
// directly, user chains through the chains that jump to them), each rule as
// written with its provenance.

import type { Provenance, Ruleset } from '../netfilter/model.ts';
import { formatIptRule } from '../netfilter/iptables/printIptablesSave.ts';
import { formatNftRule } from '../netfilter/nft/printNftRuleset.ts';

export interface EffectiveChain {
  /** `iptables-legacy ipv4 filter FORWARD`, `nft inet firewalld filter_FORWARD`. */
  key: string;
  hooks: string[];
  policy?: string;
  rules: { text: string; provenance?: Provenance }[];
}

const IPT_HOOK: Record<string, string> = { PREROUTING: 'prerouting', INPUT: 'input', FORWARD: 'forward', OUTPUT: 'output', POSTROUTING: 'postrouting' };

export function effectiveChains(rulesets: readonly Ruleset[]): EffectiveChain[] {
  const out: EffectiveChain[] = [];
  for (const rs of rulesets) {
    const tables = rs.kind === 'iptables'
      ? rs.tables.map((t) => ({ prefix: `iptables-${rs.backend} ${rs.family} ${t.name}`, chains: t.chains.map((c) => ({ name: c.name, hook: IPT_HOOK[c.name], policy: c.policy ?? undefined, jumps: c.rules.map((r) => r.target?.name ?? ''), rules: c.rules.map((r) => ({ text: formatIptRule(c.name, r), ...(r.provenance ? { provenance: r.provenance } : {}) })) })) }))
      : rs.tables.filter((t) => !t.managedBy).map((t) => ({ prefix: `nft ${t.family} ${t.name}`, chains: t.chains.map((c) => ({ name: c.name, hook: c.base?.hook, policy: c.base?.policy, jumps: c.rules.flatMap((r) => r.statements.flatMap((s) => (s.kind === 'verdict' && s.chain ? [s.chain] : []))), rules: c.rules.map((r) => ({ text: formatNftRule(r), ...(r.provenance ? { provenance: r.provenance } : {}) })) })) }));
    for (const t of tables) {
      const hooks = new Map<string, Set<string>>(t.chains.map((c) => [c.name, new Set(c.hook ? [c.hook] : [])]));
      // Propagate hooks along jumps until nothing changes (chains form a DAG in valid rulesets).
      for (let changed = true, rounds = 0; changed && rounds < 64; rounds++) {
        changed = false;
        for (const c of t.chains) for (const j of c.jumps) {
          const target = hooks.get(j);
          if (!target) continue;
          for (const h of hooks.get(c.name)!) if (!target.has(h)) { target.add(h); changed = true; }
        }
      }
      for (const c of t.chains) out.push({ key: `${t.prefix} ${c.name}`, hooks: [...hooks.get(c.name)!].sort(), ...(c.policy ? { policy: c.policy } : {}), rules: c.rules });
    }
  }
  return out;
}
