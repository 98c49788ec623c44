// A host's rulesets (a NetfilterState, or any list of iptables/nft rulesets) →
// one CompiledHost with a pipeline per packet family and hook.
//
// Order at a hook: ascending priority. Equal priorities: the kernel runs the
// base chain registered *last* first (net/netfilter/core.c nf_hook_entries_grow
// inserts a new hook before existing ones of the same priority; confirmed in
// test/reality/netfilter-kernel.test.ts). Registration order is not visible in
// dumps; we take the input order (rulesets as given — for a NetfilterState:
// iptables-legacy, iptables-nft, then the nft tables as listed — tables and
// chains as listed), so among equal priorities the last listed runs first, and
// every such tie is reported as a note.

import type { Family, NftTable, Ruleset } from '../model.ts';
import type { NetfilterState } from '../netfilterState.ts';
import { populatedRulesets } from '../netfilterState.ts';
import type { CompiledHost, HookChain, Pipeline, PipelineStage } from './compiledForm.ts';
import { newCompileContext } from './compileContext.ts';
import { compileIptRuleset, type RegisteredChain } from './compileIptables.ts';
import { compileNftRuleset, tableFamilies } from './compileNft.ts';
import { HOOKS, type EvalContext, type Hook } from './packet.ts';
import { newRunScratch } from './runPipeline.ts';
import type { TraceEntry } from './hookResult.ts';

/** Where the nat core hook sits (nf_nat_proto.c nf_nat_ipv4_ops / nf_nat_ipv6_ops). */
const NAT_CORE_PRIORITY: Record<Hook, number> = { prerouting: -100, output: -100, input: 100, postrouting: 100, forward: 0 };

export interface CompileHostOptions {
  context?: EvalContext;
}

function isState(x: NetfilterState | Ruleset[]): x is NetfilterState {
  return !Array.isArray(x);
}

/** Sort by priority; ties: later registration first. */
function byKernelOrder(a: HookChain, b: HookChain): number {
  return a.priority - b.priority || b.order - a.order;
}

function tieNotes(chains: HookChain[], hook: Hook, family: Family): string[] {
  const notes: string[] = [];
  for (let i = 1; i < chains.length; i++) {
    const a = chains[i - 1];
    const b = chains[i];
    if (a.priority === b.priority) {
      notes.push(
        `${family} ${hook}: ${a.rulesetLabel} ${a.chain.name} and ${b.rulesetLabel} ${b.chain.name} share priority ${a.priority}; ` +
          'the kernel runs the one registered last first — evaluated in that order assuming registration in listing order',
      );
    }
  }
  return notes;
}

function buildPipeline(chains: HookChain[], hook: Hook, family: Family): Pipeline {
  const nat = chains.filter((c) => c.type === 'nat' && hook !== 'forward').sort(byKernelOrder);
  const others = chains.filter((c) => !(c.type === 'nat' && hook !== 'forward')).sort(byKernelOrder);
  const stages: PipelineStage[] = others.map((c) => ({ kind: 'chain', priority: c.priority, chain: c }));
  if (nat.length > 0) {
    const priority = NAT_CORE_PRIORITY[hook];
    // The nat core hook registers with its fixed priority; at a tie with a filter chain we place it after.
    const at = stages.findIndex((s) => s.priority > priority);
    stages.splice(at === -1 ? stages.length : at, 0, { kind: 'nat', priority, chains: nat });
  }
  return { stages, notes: [...tieNotes(others, hook, family), ...tieNotes(nat, hook, family)] };
}

function emptyPipelines(): Record<Family, Record<string, Pipeline>> {
  return { ipv4: {}, ipv6: {} };
}

export function compileHost(input: NetfilterState | Ruleset[], options: CompileHostOptions = {}): CompiledHost {
  const rulesets = isState(input) ? populatedRulesets(input) : input;
  const ctx = newCompileContext(options.context);
  let order = 0;
  const nextOrder = (): number => order++;
  // iptables-nft tables also appear in `nft list ruleset`; evaluate them once, from the iptables dump.
  const iptNftFamilies = new Set(rulesets.filter((r) => r.kind === 'iptables' && r.backend === 'nft').map((r) => (r.kind === 'iptables' ? r.family : '')));
  const skipManaged = (t: NftTable): boolean => t.managedBy === 'iptables-nft' && iptNftFamilies.has(t.family === 'ip6' ? 'ipv6' : 'ipv4');
  const registered: { reg: RegisteredChain; families: Family[]; bridge: boolean }[] = [];
  for (const rs of rulesets) {
    if (rs.kind === 'iptables') {
      for (const reg of compileIptRuleset(rs, ctx, nextOrder)) registered.push({ reg, families: [rs.family], bridge: false });
    } else {
      for (const reg of compileNftRuleset(rs, ctx, nextOrder, skipManaged)) {
        const table = rs.tables.find((t) => t.name === reg.chain.table && t.family === reg.chain.family)!;
        registered.push({ reg, families: tableFamilies(table) ?? [], bridge: table.family === 'bridge' });
      }
    }
  }
  const brNetfilter = options.context?.brNetfilter ?? true;
  const pipelines = emptyPipelines();
  const bridgedPipelines = emptyPipelines();
  for (const family of ['ipv4', 'ipv6'] as const) {
    for (const hook of HOOKS) {
      const ip = registered.filter((r) => !r.bridge && r.reg.hook === hook && r.families.includes(family)).map((r) => r.reg.chain);
      const br = registered.filter((r) => r.bridge && r.reg.hook === hook && r.families.includes(family)).map((r) => r.reg.chain);
      const routed = buildPipeline(ip, hook, family);
      const bridge = buildPipeline(br, hook, family);
      pipelines[family][hook] = routed;
      bridgedPipelines[family][hook] = brNetfilter
        ? { stages: [...bridge.stages, ...routed.stages], notes: [...bridge.notes, ...routed.notes] }
        : { stages: bridge.stages, notes: [...bridge.notes, 'br_netfilter off: bridged packets skip the IP hooks'] };
    }
  }
  if (registered.some((r) => r.bridge)) {
    ctx.notes.add('bridge-family tables are evaluated for bridged packets only, before the IP hooks of the same name (approximation of br_netfilter ordering)');
  }
  // Each pipeline carries every note that applies to it (its own, then the host's), made once here.
  const hostNotes = [...ctx.notes];
  for (const set of [pipelines, bridgedPipelines]) {
    for (const family of ['ipv4', 'ipv6'] as const) for (const hook of HOOKS) set[family][hook].notes.push(...hostNotes);
  }
  return {
    pipelines,
    bridgedPipelines,
    brNetfilter,
    ifaceIds: ctx.ifaceIds,
    rules: ctx.rules,
    notes: hostNotes,
    addresses: ctx.addresses,
    assumptions: new Int8Array(ctx.rules.length),
    scratch: newRunScratch(),
    traceNoMatch: new Array<TraceEntry | undefined>(ctx.rules.length).fill(undefined),
    traceMatch: new Array<TraceEntry | undefined>(ctx.rules.length).fill(undefined),
    slots: new Map(),
    nextSlot: 0,
  };
}
