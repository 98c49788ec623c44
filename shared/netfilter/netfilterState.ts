// The kernel's packet-filter state on one host: the iptables tables in both
// kernel APIs (legacy x_tables and iptables-nft) and both families, plus the
// native nftables tables. Layer generators and timeline events mutate it with
// IptCommand/NftCommand; the evaluator reads it.
//
// iptables-nft tables also appear in `nft list ruleset` (marked "managed by
// iptables-nft"); they live only in `iptables.nft` here so they are never
// evaluated twice.

import type { Family, IptRuleset, NftRuleset, NftTable } from './model.ts';
import { cloneJson } from '../json/cloneJson.ts';
import { emptyIptRuleset } from './iptables/iptCommand.ts';
import { newNftHandleState, type NftHandleState } from './nft/nftCommand.ts';

export interface NetfilterState {
  iptables: Record<'legacy' | 'nft', Record<Family, IptRuleset>>;
  nft: NftRuleset;
  nftHandles: NftHandleState;
}

export function emptyNetfilterState(): NetfilterState {
  const nft: NftRuleset = { kind: 'nft', tables: [] };
  return {
    iptables: {
      legacy: { ipv4: emptyIptRuleset('ipv4', 'legacy'), ipv6: emptyIptRuleset('ipv6', 'legacy') },
      nft: { ipv4: emptyIptRuleset('ipv4', 'nft'), ipv6: emptyIptRuleset('ipv6', 'nft') },
    },
    nft,
    nftHandles: newNftHandleState(nft),
  };
}

/** Deep copy (rulesets are plain data; handle counters are re-keyed to the copied tables). */
export function cloneNetfilterState(state: NetfilterState): NetfilterState {
  const iptables = cloneJson(state.iptables);
  const nft = cloneJson(state.nft);
  const nftHandles: NftHandleState = { nextTableHandle: state.nftHandles.nextTableHandle, nextObjectHandle: new Map() };
  state.nft.tables.forEach((t, i) => {
    const next = state.nftHandles.nextObjectHandle.get(t);
    if (next !== undefined) nftHandles.nextObjectHandle.set(nft.tables[i], next);
  });
  return { iptables, nft, nftHandles };
}

/**
 * Before an `nft -f` batch: returns the undo of a failed one. The kernel runs a batch as one
 * transaction — a failing command aborts it and every command before it is undone — but the handles
 * the batch used stay used (checked with nft 1.0.6 on Linux 6.18: after an aborted batch that added
 * a table and two rules, the next table and rule get the handles after those), so the counters are
 * kept, re-keyed to the restored tables.
 */
export function nftCheckpoint(state: NetfilterState): () => void {
  const originals = state.nft.tables;
  const saved = cloneJson(state.nft);
  const savedCounters = originals.map((t) => state.nftHandles.nextObjectHandle.get(t));
  return () => {
    const live = state.nftHandles;
    const nextObjectHandle = new Map<NftTable, number>();
    saved.tables.forEach((t, i) => {
      const next = Math.max(live.nextObjectHandle.get(originals[i]) ?? 0, savedCounters[i] ?? 0);
      if (next > 0) nextObjectHandle.set(t, next);
    });
    state.nft = saved;
    state.nftHandles = { nextTableHandle: live.nextTableHandle, nextObjectHandle };
  };
}

/** All rulesets that hold rules, for evaluation and printing. */
export function populatedRulesets(state: NetfilterState): (IptRuleset | NftRuleset)[] {
  const out: (IptRuleset | NftRuleset)[] = [];
  for (const backend of ['legacy', 'nft'] as const) {
    for (const family of ['ipv4', 'ipv6'] as const) {
      const rs = state.iptables[backend][family];
      if (rs.tables.length > 0) out.push(rs);
    }
  }
  if (state.nft.tables.length > 0) out.push(state.nft);
  return out;
}
