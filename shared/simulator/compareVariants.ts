// Two variants side by side: what differs in the network XML (semantically,
// per field of the parsed model), in the effective rules per hook (added,
// removed, moved — with the layer and event that placed them), and in the
// reachability matrix (only the cells that differ, with the reason on both
// sides).

import type { Lab } from '../lab/labModel.ts';
import { parseNetworkXml } from '../libvirt/parseNetworkXml.ts';
import type { Provenance, Ruleset } from '../netfilter/model.ts';
import { populatedRulesets, type NetfilterState } from '../netfilter/netfilterState.ts';
import { effectiveChains } from './effectiveRules.ts';
import type { Cause } from './flowTypes.ts';
import { labMatrix, runtimeOf } from './simulateFlow.ts';

export interface FieldDiff {
  network: string;
  /** `forward.mode`, `ips[0].dhcp.ranges[0].end`; `(network)` when the whole network is only on one side. */
  field: string;
  a: unknown;
  b: unknown;
}

export interface RuleDiff {
  chain: string;
  hooks: string[];
  change: 'added' | 'removed' | 'moved' | 'policy';
  rule: string;
  /** 1-based positions on each side. */
  positionA?: number;
  positionB?: number;
  provenance?: Provenance;
}

export interface CellSide {
  guestSees: string;
  cause: Cause;
  headline: string;
  decidedBy: string | null;
}

export interface CellDiff {
  guest: string;
  target: string;
  service: string;
  a: CellSide;
  b: CellSide;
}

export interface VariantComparison {
  xml: FieldDiff[];
  rules: RuleDiff[];
  matrix: CellDiff[];
}

function flatten(value: unknown, path: string, out: Map<string, unknown>): void {
  if (Array.isArray(value)) value.forEach((v, i) => flatten(v, `${path}[${i}]`, out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) flatten(v, path ? `${path}.${k}` : k, out);
  else if (value !== undefined) out.set(path, value);
}

export function diffNetworks(a: Lab, b: Lab): FieldDiff[] {
  const byName = (lab: Lab) => new Map(lab.networks.map((n) => {
    const parsed = parseNetworkXml(n.xml).network;
    return [parsed?.name ?? n.id, parsed] as const;
  }));
  const na = byName(a);
  const nb = byName(b);
  const out: FieldDiff[] = [];
  for (const name of new Set([...na.keys(), ...nb.keys()])) {
    const x = na.get(name);
    const y = nb.get(name);
    if (!na.has(name) || !nb.has(name)) {
      out.push({ network: name, field: '(network)', a: na.has(name) ? 'present' : 'absent', b: nb.has(name) ? 'present' : 'absent' });
      continue;
    }
    const fa = new Map<string, unknown>();
    const fb = new Map<string, unknown>();
    flatten(x ?? {}, '', fa);
    flatten(y ?? {}, '', fb);
    // An isolated network has no <forward>: compare the effective mode.
    if (!fa.has('forward.mode')) fa.set('forward.mode', 'none (isolated)');
    if (!fb.has('forward.mode')) fb.set('forward.mode', 'none (isolated)');
    for (const f of [...new Set([...fa.keys(), ...fb.keys()])].sort()) {
      if (fa.get(f) !== fb.get(f)) out.push({ network: name, field: f, a: fa.get(f) ?? null, b: fb.get(f) ?? null });
    }
  }
  return out;
}

function rulesetsOf(lab: Lab): Ruleset[] {
  const nf = runtimeOf(lab).netfilter;
  if (!nf) return [];
  return Array.isArray(nf) ? nf : populatedRulesets(nf as NetfilterState);
}

export function diffRules(a: Lab, b: Lab): RuleDiff[] {
  const ca = new Map(effectiveChains(rulesetsOf(a)).map((c) => [c.key, c]));
  const cb = new Map(effectiveChains(rulesetsOf(b)).map((c) => [c.key, c]));
  const out: RuleDiff[] = [];
  for (const key of new Set([...ca.keys(), ...cb.keys()])) {
    const x = ca.get(key);
    const y = cb.get(key);
    const hooks = (y ?? x)!.hooks;
    if (x?.policy !== y?.policy && x?.policy && y?.policy) out.push({ chain: key, hooks, change: 'policy', rule: `policy ${x.policy} → ${y.policy}` });
    const ra = x?.rules ?? [];
    const rb = y?.rules ?? [];
    const textsB = rb.map((r) => r.text);
    const textsA = ra.map((r) => r.text);
    ra.forEach((r, i) => { if (!textsB.includes(r.text)) out.push({ chain: key, hooks, change: 'removed', rule: r.text, positionA: i + 1, ...(r.provenance ? { provenance: r.provenance } : {}) }); });
    rb.forEach((r, i) => { if (!textsA.includes(r.text)) out.push({ chain: key, hooks, change: 'added', rule: r.text, positionB: i + 1, ...(r.provenance ? { provenance: r.provenance } : {}) }); });
    // Moved: the relative order of the rules present on both sides changed.
    const commonA = textsA.filter((t) => textsB.includes(t));
    const commonB = textsB.filter((t) => textsA.includes(t));
    commonB.forEach((t, i) => {
      if (commonA[i] !== t) out.push({ chain: key, hooks, change: 'moved', rule: t, positionA: textsA.indexOf(t) + 1, positionB: textsB.indexOf(t) + 1, ...(rb[textsB.indexOf(t)].provenance ? { provenance: rb[textsB.indexOf(t)].provenance } : {}) });
    });
  }
  return out;
}

export function diffMatrices(a: Lab, b: Lab): CellDiff[] {
  const ma = labMatrix(a);
  const mb = labMatrix(b);
  const side = (v: (typeof ma.cells)[number]['verdict']): CellSide => ({ guestSees: v.guestSees, cause: v.cause, headline: v.headline, decidedBy: v.decidedBy ? v.decidedBy.rule : null });
  const index = new Map(mb.cells.map((c) => [`${c.guest}|${c.target}|${c.service}`, c]));
  const out: CellDiff[] = [];
  for (const c of ma.cells) {
    const d = index.get(`${c.guest}|${c.target}|${c.service}`);
    if (!d) continue;
    if (c.verdict.guestSees !== d.verdict.guestSees || c.verdict.cause !== d.verdict.cause) out.push({ guest: c.guest, target: c.target, service: c.service, a: side(c.verdict), b: side(d.verdict) });
  }
  return out;
}

export function compareVariants(a: Lab, b: Lab): VariantComparison {
  return { xml: diffNetworks(a, b), rules: diffRules(a, b), matrix: diffMatrices(a, b) };
}
