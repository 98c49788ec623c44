// An NftRuleset → compiled chains and the base chains each table registers.
// Statements run in order (nft(8) "STATEMENTS"): a counter or `meta mark set`
// before a failing match still runs; the verdict statement ends the rule.
// Tables managed by iptables-nft are skipped when the matching iptables dump is
// also compiled (issue 3 §1: never evaluate them twice).

import type { Family, NftRuleset, NftStatement, NftTable, RuleRef } from '../model.ts';
import {
  A_ACCEPT, A_CONTINUE, A_DROP, A_GOTO, A_JUMP, A_NAT, A_QUEUE, A_REJECT, A_RETURN, A_UNDETERMINED,
  NO, normalizeStep, type CompiledChain, type CompiledRule, type HookChain, type NatSpec, type RejectWith, type Step,
} from './compiledForm.ts';
import { markValue, splitNatTo, type CompileContext } from './compileContext.ts';
import { buildFastRule } from './fastRule.ts';
import type { CompiledPacket } from './compiledPacket.ts';
import { untrack } from './untrack.ts';
import type { RegisteredChain } from './compileIptables.ts';
import { alwaysStep, effectStep, unknownStep } from './matchSteps.ts';
import { nftMatchStep, type NftMatchScope } from './nftMatchSteps.ts';
import type { Hook } from './packet.ts';
import { nftRejectWith } from './rejectKinds.ts';
import { nftRuleText, nftStatementText } from './ruleText.ts';

const EVAL_HOOKS: ReadonlySet<string> = new Set(['prerouting', 'input', 'forward', 'output', 'postrouting']);

export function tableFamilies(table: NftTable): Family[] | null {
  switch (table.family) {
    case 'ip': return ['ipv4'];
    case 'ip6': return ['ipv6'];
    case 'inet': case 'bridge': return ['ipv4', 'ipv6'];
    default: return null;
  }
}

interface RulePlan {
  steps: Step[];
  action: number;
  chainName: string | null;
  reject: RejectWith | null;
  reject6: RejectWith | null;
  nat: NatSpec | null;
  actionText: string;
  undeterminedReason: string | null;
}

/** `other` statements that decide the packet's fate rather than test it. */
const VERDICT_LIKE = /^(queue|tproxy|synproxy|fwd|dup|flow\s+(add|offload)|vmap|.*\bvmap\b)/;

function markSetEffect(s: Extract<NftStatement, { kind: 'set-key' }>, text: string): Step | null {
  const key = s.target.kind === 'meta' ? `meta ${s.target.key}` : s.target.kind === 'ct' && !s.target.direction ? `ct ${s.target.key}` : null;
  if (key !== 'meta mark' && key !== 'ct mark') return null;
  const v = s.value.trim();
  const literal = markValue(v);
  const read = (p: CompiledPacket): number | null => {
    if (literal) return literal[0];
    if (v === 'ct mark') return p.hasCt ? p.connmark : null;
    if (v === 'meta mark' || v === 'mark') return p.mark;
    return null;
  };
  if (!literal && v !== 'ct mark' && v !== 'meta mark' && v !== 'mark') return null;
  return effectStep(text, (p) => {
    const x = read(p);
    if (x === null) return;
    if (key === 'meta mark') p.mark = x >>> 0;
    else if (p.hasCt) p.connmark = x >>> 0;
  });
}

function planRule(statements: NftStatement[], scope: NftMatchScope, families: Family[]): RulePlan {
  const plan: RulePlan = { steps: [], action: A_CONTINUE, chainName: null, reject: null, reject6: null, nat: null, actionText: '', undeterminedReason: null };
  const undetermined = (text: string, why: string): RulePlan => ({ ...plan, action: A_UNDETERMINED, actionText: text, undeterminedReason: why });
  for (const s of statements) {
    const text = nftStatementText(s);
    switch (s.kind) {
      case 'match':
        plan.steps.push(nftMatchStep(s.left, s.op, s.right, text, scope));
        break;
      case 'counter': case 'comment':
        break;
      case 'log':
        plan.steps.push(alwaysStep(text, true));
        break;
      case 'limit':
        plan.steps.push(unknownStep(text, 'rate limit: depends on traffic'));
        break;
      case 'notrack':
        plan.steps.push(effectStep(text, untrack));
        break;
      case 'set-key': {
        const e = markSetEffect(s, text);
        if (e) plan.steps.push(e);
        else if (s.target.kind === 'payload') return undetermined(text, 'rewriting packet headers is not modelled');
        else plan.steps.push(alwaysStep(text, true)); // nftrace, priority, dscp...: no effect on later verdicts we model
        break;
      }
      case 'other':
        if (VERDICT_LIKE.test(s.text.trim())) return undetermined(text, `statement "${s.text}" is not modelled`);
        plan.steps.push(unknownStep(text, `statement "${s.text}" not modelled`));
        break;
      case 'verdict': {
        const codes: Record<string, number> = { accept: A_ACCEPT, drop: A_DROP, return: A_RETURN, jump: A_JUMP, goto: A_GOTO, continue: A_CONTINUE, queue: A_QUEUE };
        return { ...plan, action: codes[s.verdict], chainName: s.chain ?? null, actionText: text, undeterminedReason: s.verdict === 'queue' ? 'a userspace program (queue) decides the verdict' : null };
      }
      case 'reject': {
        const r4 = families.includes('ipv4') ? nftRejectWith('ipv4', s.withType, s.code) : null;
        const r6 = families.includes('ipv6') ? nftRejectWith('ipv6', s.withType, s.code) : null;
        if (!r4 && !r6) return undetermined(text, `reject kind "${text}" not understood`);
        // `reject with icmp …` in an inet table carries an implicit IPv4-only dependency (and icmpv6 an IPv6 one).
        if (s.withType === 'icmp' || s.withType === 'icmpv6') {
          const v6 = s.withType === 'icmpv6';
          plan.steps.push({ text: `meta nfproto ${v6 ? 'ipv6' : 'ipv4'}`, run: (p) => (p.v6 === v6 ? 1 : NO), why: (p) => `packet is ${p.family}` });
        }
        return { ...plan, action: A_REJECT, reject: r4, reject6: r6, actionText: text };
      }
      case 'nat': {
        const nat: NatSpec = { type: s.type, ...(s.to ? splitNatTo(s.to) : {}) };
        return { ...plan, action: A_NAT, nat, actionText: text };
      }
    }
  }
  return plan;
}

export function compileNftRuleset(rs: NftRuleset, ctx: CompileContext, nextOrder: () => number, skipManaged: (t: NftTable) => boolean): RegisteredChain[] {
  const out: RegisteredChain[] = [];
  for (const table of rs.tables) {
    const families = tableFamilies(table);
    if (!families) {
      ctx.notes.add(`table ${table.family} ${table.name}: ${table.family} family hooks are not evaluated`);
      continue;
    }
    // A dormant table's base chains are unregistered from their hooks (nft `flags dormant`): no packet sees them.
    if (table.flags?.includes('dormant')) {
      ctx.notes.add(`table ${table.family} ${table.name} is dormant (flags dormant): its chains see no packets`);
      continue;
    }
    if (skipManaged(table)) {
      ctx.notes.add(`table ${table.family} ${table.name} is managed by iptables-nft: evaluated from the iptables dump only`);
      continue;
    }
    const scope: NftMatchScope = { tableFamilies: families, tableName: table.name, sets: table.sets, ctx };
    const chains = new Map<string, CompiledChain>();
    for (const c of table.chains) chains.set(c.name, { name: c.name, rules: [], bySlot: [] });
    for (const c of table.chains) {
      const compiled = chains.get(c.name)!;
      c.rules.forEach((rule, i) => {
        const plan = planRule(rule.statements, scope, families);
        plan.steps = plan.steps.map(normalizeStep);
        let action = plan.action;
        let undeterminedReason = plan.undeterminedReason;
        const target = plan.chainName ? chains.get(plan.chainName) ?? null : null;
        if ((action === A_JUMP || action === A_GOTO) && !target) {
          action = A_UNDETERMINED;
          undeterminedReason = `chain ${plan.chainName} does not exist in table ${table.name}`;
        }
        const ref: RuleRef = {
          source: 'nft', backend: table.family, family: table.family, table: table.name, chain: c.name, position: i + 1,
          text: nftRuleText(rule), ...(rule.provenance ? { provenance: rule.provenance } : {}),
        };
        const compiledRule: CompiledRule = {
          id: ctx.rules.length, inert: action === A_CONTINUE && !plan.steps.some((st) => st.mutates), steps: plan.steps, action, target, reject: plan.reject, reject6: plan.reject6, nat: plan.nat,
          actionText: plan.actionText || '(no verdict: continue)', undeterminedReason, ref, fast: buildFastRule(plan.steps),
        };
        ctx.rules.push(compiledRule);
        compiled.rules.push(compiledRule);
      });
    }
    for (const c of table.chains) {
      if (!c.base) continue;
      if (!EVAL_HOOKS.has(c.base.hook)) {
        ctx.notes.add(`chain ${table.family} ${table.name} ${c.name}: hook ${c.base.hook} is not evaluated`);
        continue;
      }
      out.push({
        hook: c.base.hook as Hook,
        chain: {
          rulesetLabel: `nft ${table.family} ${table.name}`,
          source: 'nft', backend: table.family, family: table.family, table: table.name,
          chain: chains.get(c.name)!, priority: c.base.priority, type: c.base.type,
          policyDrop: c.base.policy === 'drop',
          policyRef: {
            source: 'nft', backend: table.family, family: table.family, table: table.name, chain: c.name, position: 0,
            text: `type ${c.base.type} hook ${c.base.hook} priority ${c.base.priorityText}; policy ${c.base.policy ?? 'accept'};`,
            ...(c.policyProvenance ? { provenance: c.policyProvenance } : {}),
          },
          order: nextOrder(),
        } satisfies HookChain,
      });
    }
  }
  return out;
}
