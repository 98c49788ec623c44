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

import type { CompiledHost, HookChain, Pipeline } from './compiledForm.ts';
import { CT_INVALID, CT_NEW, CT_UNTRACKED, IFACE_NONE, IFACE_OTHER, type CompiledPacket } from './compiledPacket.ts';
import type { TraceEntry } from './hookResult.ts';
import type { Hook } from './packet.ts';
import { runChain } from './runChain.ts';
import { runChainFast } from './runChainFast.ts';
import { packetSlot } from './fastRule.ts';
import { R_ACCEPT, R_NAT, type RunScratch } from './runScratch.ts';

export { R_ACCEPT, R_DROP, R_REJECT, R_NEED, R_UNDETERMINED, newRunScratch, type RunScratch } from './runScratch.ts';

const HOOK_INDEX: Record<Hook, number> = { prerouting: 0, input: 1, forward: 2, output: 3, postrouting: 4 };

/** Netfilter's conntrack hook priority (NF_IP_PRI_CONNTRACK). */
const CONNTRACK_PRIORITY = -200;


/** Set the hook-visible fields (which interfaces exist at this hook) and reset the registers. */
export function preparePacket(p: CompiledPacket, hook: Hook): void {
  preparePacketInterfaces(p, hook);
  p.mark = p.markInit;
  p.connmark = p.connmarkInit;
  p.notracked = false;
}

function preparePacketInterfaces(p: CompiledPacket, hook: Hook): void {
  const hasIn = hook === 'prerouting' || hook === 'input' || hook === 'forward';
  const hasOut = hook === 'forward' || hook === 'output' || hook === 'postrouting';
  p.hIifName = hasIn ? p.iifName : null;
  p.hIifId = hasIn ? p.iifId : IFACE_NONE;
  p.hOifName = hasOut ? p.oifName : null;
  p.hOifId = hasOut ? p.oifId : IFACE_NONE;
  p.hPhysIn = hook === 'output' ? null : p.physInName;
  p.hPhysOut = hook === 'prerouting' || hook === 'input' ? null : p.physOutName;
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

function useBridgePorts(host: CompiledHost, p: CompiledPacket, traced: boolean): void {
  p.hIifName = p.hPhysIn;
  p.hIifId = p.hPhysIn === null ? IFACE_NONE : (host.ifaceIds.get(p.hPhysIn) ?? IFACE_OTHER);
  p.hOifName = p.hPhysOut;
  p.hOifId = p.hPhysOut === null ? IFACE_NONE : (host.ifaceIds.get(p.hPhysOut) ?? IFACE_OTHER);
  if (traced) setInterfaceExplanations(p);
  else p.slot = packetSlot(host, p);
}

function restoreInterfaces(host: CompiledHost, p: CompiledPacket, hook: Hook, traced: boolean): void {
  const physIn = p.hPhysIn;
  const physOut = p.hPhysOut;
  preparePacketInterfaces(p, hook);
  p.hPhysIn = physIn;
  p.hPhysOut = physOut;
  if (traced) setInterfaceExplanations(p);
  else p.slot = packetSlot(host, p);
}

function setInterfaceExplanations(p: CompiledPacket): void {
  p.whyIn = p.hIifName === null ? 'no input interface at this hook' : `packet came in on ${p.hIifName}`;
  p.whyOut = p.hOifName === null ? 'no output interface at this hook' : `packet goes out on ${p.hOifName}`;
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
  s.untrackedBy = null;
  if (trace === null) {
    const h = HOOK_INDEX[hook];
    let slot = p.slotByHook[h];
    if (slot < 0) {
      slot = packetSlot(host, p);
      p.slotByHook[h] = slot;
    }
    p.slot = slot;
  }
  else setInterfaceExplanations(p);
  const stages = pipeline.stages;
  for (let k = 0; k < stages.length; k++) {
    const stage = stages[k];
    setConntrackView(p, hook, stage.priority);
    if (stage.kind === 'chain') {
      if (trace) enterTrace(stage.chain, trace);
      // Bridge-family chains see the bridge ports as their interfaces (iifname "vnet0"), not the bridge.
      const bridgeView = stage.chain.family === 'bridge';
      if (bridgeView) useBridgePorts(host, p, trace !== null);
      const r = trace ? runChain(host, s, stage.chain, p, trace) : runChainFast(host, s, stage.chain, p);
      if (bridgeView) restoreInterfaces(host, p, hook, trace !== null);
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
      const r = trace ? runChain(host, s, hc, p, trace) : runChainFast(host, s, hc, p);
      if (r === R_NAT) break;
      if (r !== R_ACCEPT) return r;
    }
  }
  return R_ACCEPT;
}
