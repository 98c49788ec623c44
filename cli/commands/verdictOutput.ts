// How simulate/check print a verdict: JSON (every field of FlowVerdict, path
// steps without the rule objects' duplication) or readable text.

import type { FlowVerdict } from '../../shared/simulator/flowTypes.ts';

export function verdictJson(v: FlowVerdict): unknown {
  return {
    guestSees: v.guestSees,
    cause: v.cause,
    decidedBy: v.decidedBy ? { ...v.decidedBy, provenance: undefined } : null,
    hop: v.hop,
    headline: v.headline,
    symptom: v.symptom,
    path: v.path.map((p) => ({ direction: p.direction, node: p.node, stage: p.stage, outcome: p.outcome, packet: p.packet, detail: p.detail })),
    assumptions: v.assumptions,
    conditions: v.conditions,
    notes: v.notes,
    request: v.request,
  };
}

export function formatVerdict(v: FlowVerdict): string {
  const lines = [v.headline, '', `guest sees: ${v.guestSees}`, `cause:      ${v.cause}`];
  if (v.decidedBy) {
    const d = v.decidedBy;
    lines.push(`decided by: ${d.layerLabel ?? d.layer}${d.table ? ` · ${d.ruleset ?? ''} ${d.table} ${d.chain} #${d.position}` : ''}`);
    lines.push(`            ${d.rule}`);
    if (d.event) lines.push(`            placed by: ${d.event}`);
  }
  if (v.hop) lines.push(`where:      ${v.hop.node}, ${v.hop.stage} (${v.hop.direction})`);
  lines.push('', 'path:');
  for (const p of v.path) lines.push(`  ${p.direction === 'request' ? '→' : '←'} ${p.node} [${p.stage}] ${p.packet}: ${p.detail}`);
  if (v.conditions.length) lines.push('', 'conditions:', ...v.conditions.map((c) => `  - ${c}`));
  if (v.assumptions.length) lines.push('', 'assumptions:', ...v.assumptions.map((a) => `  - ${a}`));
  if (v.notes.length) lines.push('', 'notes:', ...v.notes.map((n) => `  - ${n}`));
  return lines.join('\n') + '\n';
}
