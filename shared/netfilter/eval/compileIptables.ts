// An IptRuleset (legacy or nft-backed, IPv4 or IPv6) → compiled chains and the
// base chains it registers at each hook. Standard priorities per table
// (firewall-layers.md §5 fact 1; the values iptable_*.c register with):
// raw -300, mangle -150, nat dstnat -100 / srcnat 100, filter 0, security 50.

import type { IptRuleset, IptTableName, RuleRef } from '../model.ts';
import { normalizeStep, A_CONTINUE, A_JUMP, A_GOTO, type ChainType, type CompiledChain, type CompiledRule, type HookChain } from './compiledForm.ts';
import type { CompileContext } from './compileContext.ts';
import { buildFastRule } from './fastRule.ts';
import { iptMatchSteps } from './iptMatchSteps.ts';
import { iptTargetPlan } from './iptTarget.ts';
import type { Hook } from './packet.ts';
import { protocolNumber } from './protocolNumbers.ts';
import { iptRuleText } from './ruleText.ts';

/** Built-in chain → hook, priority and chain type, per table. */
const TABLE_HOOKS: Record<IptTableName, Record<string, [Hook, number, ChainType]>> = {
  raw: { PREROUTING: ['prerouting', -300, 'filter'], OUTPUT: ['output', -300, 'filter'] },
  mangle: {
    PREROUTING: ['prerouting', -150, 'filter'], INPUT: ['input', -150, 'filter'], FORWARD: ['forward', -150, 'filter'],
    // iptable_mangle.c re-routes OUTPUT packets whose mark/addresses changed: a route-type chain.
    OUTPUT: ['output', -150, 'route'], POSTROUTING: ['postrouting', -150, 'filter'],
  },
  nat: { PREROUTING: ['prerouting', -100, 'nat'], INPUT: ['input', 100, 'nat'], OUTPUT: ['output', -100, 'nat'], POSTROUTING: ['postrouting', 100, 'nat'] },
  filter: { INPUT: ['input', 0, 'filter'], FORWARD: ['forward', 0, 'filter'], OUTPUT: ['output', 0, 'filter'] },
  security: { INPUT: ['input', 50, 'filter'], FORWARD: ['forward', 50, 'filter'], OUTPUT: ['output', 50, 'filter'] },
};

export function iptRulesetLabel(rs: IptRuleset): string {
  return `${rs.family === 'ipv6' ? 'ip6tables' : 'iptables'}-${rs.backend}`;
}

export interface RegisteredChain {
  hook: Hook;
  chain: HookChain;
}

/** Compile every table of the ruleset; returns the base chains with their hooks. */
export function compileIptRuleset(rs: IptRuleset, ctx: CompileContext, nextOrder: () => number): RegisteredChain[] {
  const label = iptRulesetLabel(rs);
  const out: RegisteredChain[] = [];
  for (const table of rs.tables) {
    const chains = new Map<string, CompiledChain>();
    for (const c of table.chains) chains.set(c.name, { name: c.name, rules: [], bySlot: [] });
    for (const c of table.chains) {
      const compiled = chains.get(c.name)!;
      c.rules.forEach((rule, i) => {
        const ref: RuleRef = {
          source: 'iptables', backend: rs.backend, family: rs.family, table: table.name, chain: c.name,
          position: i + 1, text: iptRuleText(c.name, rule), ...(rule.provenance ? { provenance: rule.provenance } : {}),
        };
        const protoOpt = rule.matches.find((m) => m.module === '')?.options.find((o) => (o.name === 'p' || o.name === 'protocol') && !o.negated);
        const ruleProto = protoOpt ? (protocolNumber(protoOpt.values[0] ?? '') ?? -1) : -1;
        const steps = rule.matches.flatMap((m) => iptMatchSteps(m, rs.family, ctx, ruleProto)).map(normalizeStep);
        const plan = iptTargetPlan(rule.target, rs.family, (name) => chains.has(name));
        plan.effects = plan.effects.map(normalizeStep);
        const compiledRule: CompiledRule = {
          id: ctx.rules.length,
          inert: plan.action === A_CONTINUE && plan.effects.length === 0,
          steps: [...steps, ...plan.effects],
          action: plan.action,
          target: plan.action === A_JUMP || plan.action === A_GOTO ? chains.get(plan.chainName!)! : null,
          reject: plan.reject,
          reject6: plan.reject,
          nat: plan.nat,
          actionText: plan.actionText,
          undeterminedReason: plan.undeterminedReason,
          ref,
          fast: buildFastRule([...steps, ...plan.effects]),
        };
        ctx.rules.push(compiledRule);
        compiled.rules.push(compiledRule);
      });
    }
    const hooks = TABLE_HOOKS[table.name];
    for (const c of table.chains) {
      const h = hooks[c.name];
      if (!h) continue;
      out.push({
        hook: h[0],
        chain: {
          rulesetLabel: `${label} ${table.name}`,
          source: 'iptables', backend: rs.backend, family: rs.family, table: table.name,
          chain: chains.get(c.name)!, priority: h[1], type: h[2],
          policyDrop: c.policy === 'DROP',
          policyRef: {
            source: 'iptables', backend: rs.backend, family: rs.family, table: table.name, chain: c.name, position: 0,
            text: `:${c.name} ${c.policy ?? 'ACCEPT'}`,
            // Who set the policy (e.g. SuSEfirewall2's or Docker's `-P FORWARD DROP`), so a trace ending on it names them.
            ...(c.policyProvenance ? { provenance: c.policyProvenance } : {}),
          },
          order: nextOrder(),
        },
      });
    }
  }
  return out;
}
