// Turning what decided a packet's fate into the verdict's `decidedBy`: a rule
// (with the layer and the timeline event that placed it, from its provenance)
// or a kernel setting (forwarding, rp_filter, a route).

import type { Provenance, RuleRef } from '../netfilter/model.ts';
import type { DecidedBy } from './flowTypes.ts';

export function rulesetName(ref: RuleRef): string {
  return ref.source === 'iptables' ? `iptables-${ref.backend} (${ref.family})` : `nft ${ref.family}`;
}

export function decidedByRule(ref: RuleRef): DecidedBy {
  const p = ref.provenance;
  const out: DecidedBy = {
    layer: p?.layer ?? (ref.source === 'iptables' ? 'iptables' : 'nftables'),
    ruleset: rulesetName(ref),
    table: ref.table,
    chain: ref.chain,
    position: ref.position,
    rule: ref.text,
  };
  if (p?.layerLabel) out.layerLabel = p.layerLabel;
  if (p?.event) out.event = p.event;
  if (p?.eventId) out.eventId = p.eventId;
  if (p?.reason) out.reason = p.reason;
  if (p) out.provenance = p;
  return out;
}

export function decidedByKernel(rule: string, reason: string, provenance?: Provenance): DecidedBy {
  const out: DecidedBy = { layer: provenance?.layer ?? 'kernel', rule, reason };
  if (provenance?.layerLabel) out.layerLabel = provenance.layerLabel;
  if (provenance?.event) out.event = provenance.event;
  if (provenance?.eventId) out.eventId = provenance.eventId;
  if (provenance) out.provenance = provenance;
  return out;
}

/** "libvirt's REJECT (libvirt 3.3 · network deb (isolated)), placed by SIGHUP …" — for headlines. */
export function describeDecider(d: DecidedBy): string {
  if (d.layer === 'kernel' || d.table === undefined) return d.reason ? `${d.rule} (${d.reason})` : d.rule;
  const who = d.layerLabel ?? d.layer;
  const where = d.position === 0 ? `the policy of ${d.table} ${d.chain}` : `\`${d.rule}\``;
  const why = d.reason ? ` for ${d.reason}` : '';
  const when = d.event ? `, placed by ${d.event}` : '';
  return `${where} (${who}${why})${when}`;
}
