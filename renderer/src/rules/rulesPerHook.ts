// The host's effective rules grouped the way the kernel runs them: per hook
// (prerouting, input, forward, output, postrouting), every base chain of every
// ruleset in priority order (iptables tables at their fixed priorities — raw
// −300, mangle −150, nat dstnat −100, filter 0, security 50, nat srcnat 100 —
// for the legacy and the nft-backed API, and nft base chains at theirs), each
// rule with its provenance. Pure; fed by the timeline fold's NetfilterState.

import type { IptRuleset, NftHook, NftRuleset, Provenance } from '../../../shared/netfilter/model.ts';
import type { NetfilterState } from '../../../shared/netfilter/netfilterState.ts';
import { formatIptRule } from '../../../shared/netfilter/iptables/printIptablesSave.ts';
import { formatNftRule } from '../../../shared/netfilter/nft/printNftRuleset.ts';

export type Hook = 'prerouting' | 'input' | 'forward' | 'output' | 'postrouting';
export const HOOKS: readonly Hook[] = ['prerouting', 'input', 'forward', 'output', 'postrouting'];

export interface HookRule {
  position: number;
  text: string;
  provenance?: Provenance;
}

export interface HookChain {
  /** 'iptables-legacy ipv4', 'iptables-nft ipv6', 'nft inet firewalld' */
  ruleset: string;
  table: string;
  chain: string;
  priority: number;
  policy: string | null;
  policyProvenance?: Provenance;
  rules: HookRule[];
  /** User chains of the same table the rules jump to, with their rules. */
  jumps: { chain: string; rules: HookRule[] }[];
}

const IPT_PRIORITY: Record<string, Partial<Record<Hook, number>>> = {
  raw: { prerouting: -300, output: -300 },
  mangle: { prerouting: -150, input: -150, forward: -150, output: -150, postrouting: -150 },
  nat: { prerouting: -100, output: -100, input: 100, postrouting: 100 },
  filter: { input: 0, forward: 0, output: 0 },
  security: { input: 50, forward: 50, output: 50 },
};

function iptChains(rs: IptRuleset, hook: Hook): HookChain[] {
  const out: HookChain[] = [];
  for (const table of rs.tables) {
    const priority = IPT_PRIORITY[table.name]?.[hook];
    const base = table.chains.find((c) => c.name === hook.toUpperCase());
    if (priority === undefined || !base) continue;
    const rulesOf = (name: string) => (table.chains.find((c) => c.name === name)?.rules ?? []).map((r, i) => ({ position: i + 1, text: formatIptRule(name, r), ...(r.provenance ? { provenance: r.provenance } : {}) }));
    // Chains reachable from the base chain, breadth first (libvirt's LIBVIRT_FWI/FWO/FWX, SuSEfirewall2's forward_ext, …).
    const seen = new Set<string>([base.name]);
    const queue = [base.name];
    const jumps: HookChain['jumps'] = [];
    while (queue.length) {
      const name = queue.shift()!;
      for (const r of table.chains.find((c) => c.name === name)?.rules ?? []) {
        const target = r.target?.name;
        if (target && !seen.has(target) && table.chains.some((c) => c.name === target && c.policy === null)) {
          seen.add(target);
          queue.push(target);
          jumps.push({ chain: target, rules: rulesOf(target) });
        }
      }
    }
    out.push({ ruleset: `iptables-${rs.backend} ${rs.family}`, table: table.name, chain: base.name, priority, policy: base.policy, ...(base.policyProvenance ? { policyProvenance: base.policyProvenance } : {}), rules: rulesOf(base.name), jumps });
  }
  return out;
}

function nftChains(rs: NftRuleset, hook: Hook): HookChain[] {
  const out: HookChain[] = [];
  for (const table of rs.tables) {
    if (table.managedBy === 'iptables-nft' || !['ip', 'ip6', 'inet'].includes(table.family)) continue;
    for (const chain of table.chains) {
      if (chain.base?.hook !== (hook as NftHook)) continue;
      out.push({
        ruleset: `nft ${table.family} ${table.name}`,
        table: table.name,
        chain: chain.name,
        priority: chain.base.priority,
        policy: chain.base.policy ?? 'accept',
        rules: chain.rules.map((r, i) => ({ position: i + 1, text: formatNftRule(r), ...(r.provenance ? { provenance: r.provenance } : {}) })),
        jumps: [],
      });
    }
  }
  return out;
}

export function rulesPerHook(state: NetfilterState, family: 'ipv4' | 'ipv6' = 'ipv4'): Record<Hook, HookChain[]> {
  const result = {} as Record<Hook, HookChain[]>;
  for (const hook of HOOKS) {
    const chains = [
      ...iptChains(state.iptables.legacy[family], hook),
      ...iptChains(state.iptables.nft[family], hook),
      ...nftChains(state.nft, hook),
    ];
    // Stable: equal priorities keep the order above (the kernel's order between them is not defined).
    result[hook] = chains.map((c, i) => ({ c, i })).sort((a, b) => a.c.priority - b.c.priority || a.i - b.i).map((x) => x.c);
  }
  return result;
}
