// firewalld's rule layout as a backend-neutral plan (chains in the order
// firewalld creates them, rules in their final order), laid out as real
// firewalld lays it out — checked line by line against `nft list ruleset` of
// 1.3.3 (Debian 12) and 2.3.1 (Debian 13), test/unit/firewalld-layout-dumps.test.ts:
//   base chains (build_default_rules): mangle/nat PREROUTING, nat POSTROUTING and
//   OUTPUT, filter PREROUTING (IPv6_rpfilter), INPUT, FORWARD, OUTPUT;
//   every active zone and policy gets a chain per table it acts in, each with
//   _pre/_log/_deny/_allow/_post sub-chains (build_policy_chain_rules);
//   the dispatch to them differs by release (firewalldDispatch1.ts: 1.x
//   *_ZONES goto chains + *_POLICIES_pre/post; firewalldDispatch2.ts: 2.x one
//   *_POLICIES chain per hook listing every ingress × egress binding).
// Before 1.0 the layout is the 1.x one (not checked against a real release).
// The nft and iptables renderers turn the plan into commands.

import type { FirewalldSetup, ZoneBinding } from './firewalldSetup.ts';
import type { FirewalldPolicy, FirewalldZone } from './firewalldXml.ts';
import { zoneRuleSetRules, policyTargetRule, type PlanRule, type PlanTable } from './firewalldPlanRules.ts';
import { dispatchV1 } from './firewalldDispatch1.ts';
import { dispatchV2 } from './firewalldDispatch2.ts';
import { baseChains } from './firewalldBaseChains.ts';
import { forwardingFamilies, forwardPortNatRules, placedForwardPorts, type PlacedForwardPort } from './firewalldForwardPorts.ts';

export type { PlanRule, PlanMatch, PlanVerdict, PlanTable } from './firewalldPlanRules.ts';

export interface PlanChain {
  /** Name without the table prefix: 'INPUT', 'INPUT_ZONES', 'IN_public_allow', 'POST_external', … */
  name: string;
  table: PlanTable;
  /** Base chains (hook into the kernel); priority as nft lists it. */
  base?: { hook: 'prerouting' | 'input' | 'forward' | 'output' | 'postrouting'; type: 'filter' | 'nat'; priority: string };
  /** Only in this backend's layout. */
  backend?: 'nftables' | 'iptables';
  /** iptables backend: only in this family's tables (RFC3964_IPv4: ip6tables). */
  family?: 'ipv4' | 'ipv6';
}

export interface FirewalldPlan {
  chains: PlanChain[];
  rules: PlanRule[];
  /** firewalld ≥ 2.2 owns its table (`flags owner,persist`) when the host's nft can (firewalldTableOwner.ts). */
  tableFlags: string[];
  /** Families whose forwarding firewalld turns on (a forward-port with to-addr: enable_ip_forwarding). */
  ipForward: ('ipv4' | 'ipv6')[];
}

/** Where one zone's or policy's chains hang: table, hook chain and the chain's own prefix. */
export interface PlanPlace {
  table: 'filter' | 'nat' | 'mangle' | 'raw';
  /** The hook: INPUT, FORWARD, OUTPUT, PREROUTING, POSTROUTING. */
  hook: 'INPUT' | 'FORWARD' | 'OUTPUT' | 'PREROUTING' | 'POSTROUTING';
  /** IN, FWD, OUT, PRE, POST. */
  short: 'IN' | 'FWD' | 'OUT' | 'PRE' | 'POST';
}

const SUBCHAINS = ['pre', 'log', 'deny', 'allow', 'post'] as const;

const place = (table: PlanPlace['table'], hook: PlanPlace['hook']): PlanPlace => ({ table, hook, short: ({ INPUT: 'IN', FORWARD: 'FWD', OUTPUT: 'OUT', PREROUTING: 'PRE', POSTROUTING: 'POST' } as const)[hook] });

/**
 * The tables/hooks a zone acts in, in the order firewalld creates its chains (nft dumps); the
 * iptables backend also in raw PREROUTING ("iptables backend needs to put conntrack helper rules in
 * raw prerouting", fw_policy.py _get_table_chains_for_zone_dispatch).
 */
export const zonePlaces = (v2: boolean, ipt = false): PlanPlace[] => [
  ...(v2
    ? [place('filter', 'INPUT'), place('filter', 'OUTPUT'), place('nat', 'OUTPUT'), place('nat', 'POSTROUTING'), place('filter', 'FORWARD'), place('nat', 'PREROUTING'), place('mangle', 'PREROUTING')]
    : [place('filter', 'INPUT'), place('nat', 'POSTROUTING'), place('filter', 'FORWARD'), place('nat', 'PREROUTING'), place('mangle', 'PREROUTING')]),
  ...(ipt ? [place('raw', 'PREROUTING')] : []),
];

/**
 * The tables/hooks a policy acts in (fw_policy.py _get_table_chains_for_policy_dispatch): the
 * iptables backend adds raw PREROUTING (except from HOST) and, for a zone ingress, nat POSTROUTING
 * only when no ingress zone has interfaces.
 */
export function policyPlaces(p: FirewalldPolicy, zoneHasInterfaces: (zone: string) => boolean, ipt = false): PlanPlace[] {
  const anyIn = p.ingress.includes('ANY');
  const anyOut = p.egress.includes('ANY');
  const noEgressInterfaces = p.egress.every((z) => !zoneHasInterfaces(z));
  const snat = !ipt || p.ingress.every((z) => !zoneHasInterfaces(z));
  const raw = ipt ? [place('raw', 'PREROUTING')] : [];
  if (anyIn && p.egress.includes('HOST')) return [place('filter', 'INPUT'), place('nat', 'PREROUTING'), place('mangle', 'PREROUTING'), ...raw];
  if (p.egress.includes('HOST')) return [place('filter', 'INPUT'), ...raw];
  if (p.ingress.includes('HOST')) return [place('filter', 'OUTPUT'), place('nat', 'OUTPUT')];
  if (anyIn && anyOut) return [place('filter', 'FORWARD'), place('nat', 'PREROUTING'), place('nat', 'POSTROUTING'), place('mangle', 'PREROUTING'), ...raw];
  if (anyOut) return [place('filter', 'FORWARD'), place('nat', 'PREROUTING'), place('mangle', 'PREROUTING'), ...raw, ...(snat ? [place('nat', 'POSTROUTING')] : [])];
  const out = [place('filter', 'FORWARD'), ...raw, ...(anyIn || snat ? [place('nat', 'POSTROUTING')] : [])];
  if (noEgressInterfaces) out.push(place('nat', 'PREROUTING'), place('mangle', 'PREROUTING'));
  return out;
}

/** What the dispatch builders need to know about the active configuration. */
export interface PlanContext {
  setup: FirewalldSetup;
  v2: boolean;
  /** FirewallBackend=iptables: raw/security tables, *_direct chains, policy chains without "policy_". */
  ipt: boolean;
  /** A policy's chain: `IN_policy_x` (nftables), `IN_x` (iptables: POLICY_CHAIN_PREFIX is empty). */
  policyChain: (short: string, policy: string) => string;
  /** Active zones (bound or default), by name. */
  zones: FirewalldZone[];
  /** Active policies in firewalld's order: by priority, then name. */
  policies: FirewalldPolicy[];
  policyPlaces: Map<string, PlanPlace[]>;
  bindingsOf: (zone: string) => ZoneBinding[];
  /** Every forward-port of the active zones and policies, in the order firewalld applies them. */
  forwardPorts: PlacedForwardPort[];
  chain: (c: PlanChain) => void;
  rule: (r: PlanRule) => void;
}

export function buildFirewalldPlan(setup: FirewalldSetup): FirewalldPlan {
  const v1 = setup.version.localeCompare('1.0', undefined, { numeric: true }) >= 0;
  const v2 = setup.version.localeCompare('2.0', undefined, { numeric: true }) >= 0;
  const chains: PlanChain[] = [];
  const rules: PlanRule[] = [];
  const chain = (c: PlanChain) => {
    if (!chains.some((x) => x.name === c.name && x.table === c.table)) chains.push(c);
  };
  const rule = (r: PlanRule) => rules.push(r);
  const def = setup.conf.defaultZone;

  const bound = (z: FirewalldZone) => z.name === def || setup.bindings.some((b) => b.zone === z.name);
  // 2.x creates the default zone's chains first (real 2.3.1), 1.x goes by name.
  const zones = [...setup.zones.values()].filter(bound).sort((a, b) => (v2 ? (a.name === def ? -1 : b.name === def ? 1 : 0) : 0) || a.name.localeCompare(b.name));
  const activeNames = new Set(zones.map((z) => z.name));
  const policies = [...setup.policies.values()]
    .filter((p) => [...p.ingress, ...p.egress].every((z) => z === 'ANY' || z === 'HOST' || activeNames.has(z)))
    .sort((a, b) => a.name.localeCompare(b.name));
  const bindingsOf = (zone: string) => setup.bindings.filter((b) => b.zone === zone);
  const hasInterfaces = (zone: string) => bindingsOf(zone).some((b) => b.interface);
  const ipt = setup.conf.backend === 'iptables';
  const places = new Map(policies.map((p) => [p.name, policyPlaces(p, hasInterfaces, ipt)]));
  const policyChain = (short: string, policy: string) => `${short}_${ipt ? '' : 'policy_'}${policy}`;
  const ctx: PlanContext = { setup, v2, ipt, policyChain, zones, policies: [...policies].sort((a, b) => a.priority - b.priority), policyPlaces: places, bindingsOf, forwardPorts: [], chain, rule };
  ctx.forwardPorts = placedForwardPorts(ctx);

  baseChains(ctx);
  if (v2) dispatchV2(ctx);
  else dispatchV1(ctx);

  for (const z of zones) {
    for (const pl of zonePlaces(v2, ipt)) zoneChains(ctx, z, pl, v1);
  }
  for (const p of policies) {
    for (const pl of places.get(p.name) ?? []) policyChains(ctx, p, pl, v1);
  }
  return { chains, rules, tableFlags: setup.conf.tableFlags, ipForward: forwardingFamilies(ctx.forwardPorts) };
}

/** The chain of one zone or policy in one table, with its five sub-chains. */
function ownChains(ctx: PlanContext, table: PlanTable, name: string, before: string | null, after: string | null): void {
  ctx.chain({ name, table });
  for (const s of SUBCHAINS) ctx.chain({ name: `${name}_${s}`, table });
  if (before) ctx.rule({ chain: name, table, match: [], verdict: { kind: 'jump', chain: before }, reason: `firewalld 1.x: policies of priority < 0 before the zone (${before})` });
  for (const s of SUBCHAINS) ctx.rule({ chain: name, table, match: [], verdict: { kind: 'jump', chain: `${name}_${s}` }, reason: `firewalld chain layout (${s})` });
  if (after) ctx.rule({ chain: name, table, match: [], verdict: { kind: 'jump', chain: after }, reason: `firewalld 1.x: policies of priority > 0 after the zone (${after})` });
}

function zoneChains(ctx: PlanContext, z: FirewalldZone, pl: PlanPlace, v1: boolean): void {
  const { v2, rule } = ctx;
  const name = `${pl.short}_${z.name}`;
  const t = pl.table;
  ownChains(ctx, t, name, v2 ? null : `${pl.hook}_POLICIES_pre`, v2 ? null : `${pl.hook}_POLICIES_post`);
  const why = `zone ${z.name} target ${z.target} (${z.file} line ${z.targetLine})`;
  if (t === 'filter' && pl.hook === 'INPUT') {
    for (const r of zoneRuleSetRules(z, name, 'input', v1, v2)) rule(r);
    if (z.target === 'default' && v1) rule({ chain: name, match: [{ k: 'proto-set', values: ['icmp', 'ipv6-icmp'] }], verdict: { kind: 'accept' }, reason: `zone ${z.name} target default: "similar to REJECT, but it implicitly allows ICMP packets" (firewalld.zone(5))` });
  }
  if (t === 'filter' && pl.hook === 'FORWARD' && z.forward) {
    const bs = ctx.bindingsOf(z.name);
    for (const b of [...bs.filter((x) => x.interface), ...bs.filter((x) => !x.interface)]) {
      rule({ chain: `${name}_allow`, match: b.interface ? [{ k: 'oif', name: b.interface }] : [{ k: 'daddr', addr: b.source ?? '' }], verdict: { kind: 'accept' }, reason: `zone ${z.name} <forward/> (${z.file} line ${z.forward.line}): intra-zone forwarding to ${b.interface ?? b.source}` });
    }
  }
  if (t === 'nat' && pl.hook === 'PREROUTING') for (const r of forwardPortNatRules(ctx.forwardPorts, name)) rule(r);
  if (t === 'nat' && pl.hook === 'POSTROUTING' && z.masquerade) {
    rule({ chain: `${name}_allow`, table: 'nat', family: 'ipv4', match: [{ k: 'oif', name: 'lo', negate: true }], verdict: { kind: 'masquerade' }, reason: `zone ${z.name} <masquerade/> (${z.file} line ${z.masquerade.line})` });
  }
  // 1.x: the zone's target ends its own chain; 2.x puts it in the dispatch chain.
  if (!v2 && t === 'filter' && (pl.hook === 'INPUT' || pl.hook === 'FORWARD')) {
    if (z.target === 'ACCEPT') rule({ chain: name, match: [], verdict: { kind: 'accept' }, reason: why });
    else if (z.target === 'DROP') rule({ chain: name, match: [], verdict: { kind: 'drop' }, reason: why });
    else if (z.target !== 'default' || v1) rule({ chain: name, match: [], verdict: { kind: 'reject-zone' }, reason: why });
  }
}

function policyChains(ctx: PlanContext, p: FirewalldPolicy, pl: PlanPlace, v1: boolean): void {
  const name = ctx.policyChain(pl.short, p.name);
  ownChains(ctx, pl.table, name, null, null);
  if (pl.table === 'filter') {
    for (const r of zoneRuleSetRules(p, name, pl.hook === 'INPUT' ? 'input' : 'forward', v1, ctx.v2)) ctx.rule(r);
    const t = policyTargetRule(p, name);
    if (t) ctx.rule(t);
  }
  if (pl.table === 'nat' && (pl.hook === 'PREROUTING' || pl.hook === 'OUTPUT')) for (const r of forwardPortNatRules(ctx.forwardPorts, name)) ctx.rule(r);
  if (pl.table === 'nat' && pl.hook === 'POSTROUTING' && p.masquerade) {
    ctx.rule({ chain: `${name}_allow`, table: 'nat', family: 'ipv4', match: [{ k: 'oif', name: 'lo', negate: true }], verdict: { kind: 'masquerade' }, reason: `policy ${p.name} <masquerade/> (${p.file} line ${p.masquerade.line})` });
  }
}
