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
import { forwardingFamilies, forwardPortNatRules, placedForwardPorts, strictForwardPortAccepts, type PlacedForwardPort } from './firewalldForwardPorts.ts';

export type { PlanRule, PlanMatch, PlanVerdict, PlanTable } from './firewalldPlanRules.ts';

export interface PlanChain {
  /** Name without the table prefix: 'INPUT', 'INPUT_ZONES', 'IN_public_allow', 'POST_external', … */
  name: string;
  table: PlanTable;
  /** Base chains (hook into the kernel); priority as nft lists it. */
  base?: { hook: 'prerouting' | 'input' | 'forward' | 'output' | 'postrouting'; type: 'filter' | 'nat'; priority: string };
  /** Only in this backend's layout. */
  backend?: 'nftables' | 'iptables';
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
  table: 'filter' | 'nat' | 'mangle';
  /** The hook: INPUT, FORWARD, OUTPUT, PREROUTING, POSTROUTING. */
  hook: 'INPUT' | 'FORWARD' | 'OUTPUT' | 'PREROUTING' | 'POSTROUTING';
  /** IN, FWD, OUT, PRE, POST. */
  short: 'IN' | 'FWD' | 'OUT' | 'PRE' | 'POST';
}

const SUBCHAINS = ['pre', 'log', 'deny', 'allow', 'post'] as const;
const RFC3964_PREFIXES = ['::/96', '::ffff:0.0.0.0/96', '2002::/24', '2002:a00::/24', '2002:7f00::/24', '2002:a9fe::/32', '2002:ac10::/28', '2002:c0a8::/32', '2002:e000::/19'];

const place = (table: PlanPlace['table'], hook: PlanPlace['hook']): PlanPlace => ({ table, hook, short: ({ INPUT: 'IN', FORWARD: 'FWD', OUTPUT: 'OUT', PREROUTING: 'PRE', POSTROUTING: 'POST' } as const)[hook] });

/** The tables/hooks a zone acts in, in the order firewalld creates its chains (nft dumps). */
export const zonePlaces = (v2: boolean): PlanPlace[] =>
  v2
    ? [place('filter', 'INPUT'), place('filter', 'OUTPUT'), place('nat', 'OUTPUT'), place('nat', 'POSTROUTING'), place('filter', 'FORWARD'), place('nat', 'PREROUTING'), place('mangle', 'PREROUTING')]
    : [place('filter', 'INPUT'), place('nat', 'POSTROUTING'), place('filter', 'FORWARD'), place('nat', 'PREROUTING'), place('mangle', 'PREROUTING')];

/** The tables/hooks a policy acts in (fw_policy.py _get_table_chains_for_policy_dispatch, nftables backend). */
export function policyPlaces(p: FirewalldPolicy, zoneHasInterfaces: (zone: string) => boolean): PlanPlace[] {
  const anyIn = p.ingress.includes('ANY');
  const anyOut = p.egress.includes('ANY');
  const noEgressInterfaces = p.egress.every((z) => !zoneHasInterfaces(z));
  if (anyIn && p.egress.includes('HOST')) return [place('filter', 'INPUT'), place('nat', 'PREROUTING'), place('mangle', 'PREROUTING')];
  if (p.egress.includes('HOST')) return [place('filter', 'INPUT')];
  if (p.ingress.includes('HOST')) return [place('filter', 'OUTPUT'), place('nat', 'OUTPUT')];
  if (anyIn && anyOut) return [place('filter', 'FORWARD'), place('nat', 'PREROUTING'), place('nat', 'POSTROUTING'), place('mangle', 'PREROUTING')];
  if (anyOut) return [place('filter', 'FORWARD'), place('nat', 'PREROUTING'), place('mangle', 'PREROUTING'), place('nat', 'POSTROUTING')];
  const out = [place('filter', 'FORWARD'), place('nat', 'POSTROUTING')];
  if (noEgressInterfaces) out.push(place('nat', 'PREROUTING'), place('mangle', 'PREROUTING'));
  return out;
}

/** What the dispatch builders need to know about the active configuration. */
export interface PlanContext {
  setup: FirewalldSetup;
  v2: boolean;
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
  const places = new Map(policies.map((p) => [p.name, policyPlaces(p, hasInterfaces)]));
  const ctx: PlanContext = { setup, v2, zones, policies: [...policies].sort((a, b) => a.priority - b.priority), policyPlaces: places, bindingsOf, forwardPorts: [], chain, rule };
  ctx.forwardPorts = placedForwardPorts(ctx);

  baseChains(ctx);
  if (v2) dispatchV2(ctx);
  else dispatchV1(ctx);

  for (const z of zones) {
    for (const pl of zonePlaces(v2)) zoneChains(ctx, z, pl, v1);
  }
  for (const p of policies) {
    for (const pl of places.get(p.name) ?? []) policyChains(ctx, p, pl, v1);
  }
  return { chains, rules, tableFlags: setup.conf.tableFlags, ipForward: forwardingFamilies(ctx.forwardPorts) };
}

/** build_default_rules (+ build_rpfilter_rules, build_rfc3964_ipv4_rules). */
function baseChains(ctx: PlanContext): void {
  const { setup, v2, chain, rule } = ctx;
  const dispatchSuffixes = v2 ? ['POLICIES'] : ['POLICIES_pre', 'ZONES', 'POLICIES_post'];
  const entry = v2 ? 'POLICIES' : 'ZONES';
  const dispatchChains = (table: PlanTable, hook: string): void => {
    for (const s of dispatchSuffixes) chain({ name: `${hook}_${s}`, table });
  };
  chain({ name: 'PREROUTING', table: 'mangle', base: { hook: 'prerouting', type: 'filter', priority: 'mangle + 10' } });
  dispatchChains('mangle', 'PREROUTING');
  rule({ chain: 'PREROUTING', table: 'mangle', match: [], verdict: { kind: 'jump', chain: `PREROUTING_${entry}` }, reason: 'firewalld: zone and policy dispatch (mangle)' });
  // nat OUTPUT hooks at -90 (NF_IP_PRI_NAT_DST + 10, a number in firewalld's JSON): nft ≥ 1.1 lists it as
  // `dstnat + 10`, but nft 1.0.6 accepts `dstnat` only at prerouting and refuses that text — the number works in both.
  for (const [hook, nftHook, prio] of [['PREROUTING', 'prerouting', 'dstnat + 10'], ['POSTROUTING', 'postrouting', 'srcnat + 10'], ['OUTPUT', 'output', '-90']] as const) {
    chain({ name: hook, table: 'nat', base: { hook: nftHook, type: 'nat', priority: prio } });
    if (hook === 'OUTPUT' && !v2) {
      // nat OUTPUT has no zone dispatch before 2.0: only the policy chains.
      for (const s of ['POLICIES_pre', 'POLICIES_post']) {
        chain({ name: `OUTPUT_${s}`, table: 'nat' });
        rule({ chain: 'OUTPUT', table: 'nat', match: [], verdict: { kind: 'jump', chain: `OUTPUT_${s}` }, reason: 'firewalld: policy dispatch (nat OUTPUT)' });
      }
      continue;
    }
    dispatchChains('nat', hook);
    rule({ chain: hook, table: 'nat', match: [], verdict: { kind: 'jump', chain: `${hook}_${entry}` }, reason: `firewalld: zone and policy dispatch (nat ${hook})` });
  }

  chain({ name: 'PREROUTING', table: 'filter', base: { hook: 'prerouting', type: 'filter', priority: 'filter + 10' } });
  for (const [name, hook] of [['INPUT', 'input'], ['FORWARD', 'forward'], ['OUTPUT', 'output']] as const) {
    chain({ name, table: 'filter', base: { hook, type: 'filter', priority: 'filter + 10' } });
  }
  // IPv6_rpfilter=yes (the default): IPv6 whose source would not be routed back
  // out of the interface it came in by is dropped before anything else —
  // router advertisements and neighbour solicitations excepted.
  if (['yes', 'strict'].includes(setup.conf.ipv6Rpfilter)) {
    const why = `IPv6_rpfilter=${setup.conf.ipv6Rpfilter} (firewalld.conf)`;
    // The iptables backend has no filter PREROUTING: ip6tables mangle PREROUTING (real 1.3.3).
    rule({ chain: 'PREROUTING', iptablesTable: 'mangle', match: [{ k: 'icmp-types', family: 'ipv6', names: ['router-advertisement', 'neighbour-solicitation'] }], verdict: { kind: 'accept' }, reason: `${why}: router advertisements and neighbour solicitations are exempt from the reverse-path check` });
    rule({ chain: 'PREROUTING', iptablesTable: 'mangle', family: 'ipv6', match: [{ k: 'rpfilter-fails' }], verdict: { kind: 'drop' }, reason: `${why}: IPv6 failing the strict reverse-path check is dropped` });
  }
  // RFC3964_IPv4=yes: forwarded and outgoing IPv6 to 6to4 (2002::/16) addresses
  // that embed private or special IPv4 ranges, and to IPv4-compatible/-mapped
  // addresses, is rejected with addr-unreachable.
  const rfc3964 = (base: 'FORWARD' | 'OUTPUT'): void => {
    if (!setup.conf.rfc3964Ipv4) return;
    rule({ chain: base, match: [{ k: 'daddr-set', addrs: RFC3964_PREFIXES }], verdict: { kind: 'reject-typed', type: 'icmp6-addr-unreachable' }, reason: 'RFC3964_IPv4=yes (firewalld.conf): no IPv6 to 6to4 addresses of private IPv4 ranges' });
  };
  // DNAT'd packets: accepted (StrictForwardPorts=no), or sent to *_dnat, which
  // rejects what no forward-port allowed (StrictForwardPorts=yes, ≥ 2.3).
  const dnat = (base: 'INPUT' | 'FORWARD' | 'OUTPUT'): void => {
    if (setup.conf.strictForwardPorts) {
      for (const r of strictForwardPortAccepts(ctx.forwardPorts, base)) rule(r);
      rule({ chain: `${base}_dnat`, match: [], verdict: { kind: 'reject-default' }, reason: 'StrictForwardPorts=yes: DNAT only to forwarded ports' });
      rule({ chain: base, match: [{ k: 'ct-dnat' }], verdict: { kind: 'jump', chain: `${base}_dnat` }, reason: 'StrictForwardPorts=yes' });
    } else rule({ chain: base, match: [{ k: 'ct-dnat' }], verdict: { kind: 'accept' }, reason: "firewalld default rule: every DNAT'd packet (StrictForwardPorts=no)" });
  };
  for (const base of ['INPUT', 'FORWARD'] as const) {
    rule({ chain: base, match: [{ k: 'ct-state', states: ['established', 'related'] }], verdict: { kind: 'accept' }, reason: 'firewalld default rule: packets of known connections' });
    dnat(base);
    rule({ chain: base, match: [{ k: 'iif', name: 'lo' }], verdict: { kind: 'accept' }, reason: 'firewalld default rule: loopback' });
    if (setup.conf.logDenied !== 'off') rule({ chain: base, match: [{ k: 'ct-state', states: ['invalid'] }], verdict: { kind: 'log', prefix: 'STATE_INVALID_DROP: ' }, reason: `LogDenied=${setup.conf.logDenied}` });
    rule({ chain: base, match: [{ k: 'ct-state', states: ['invalid'] }], verdict: { kind: 'drop' }, reason: 'firewalld default rule: invalid packets' });
    if (base === 'FORWARD') rfc3964(base);
    rule({ chain: base, match: [], verdict: { kind: 'jump', chain: `${base}_${entry}` }, reason: 'firewalld: zone and policy dispatch' });
    if (setup.conf.logDenied !== 'off') rule({ chain: base, match: [], verdict: { kind: 'log', prefix: 'FINAL_REJECT: ' }, reason: `LogDenied=${setup.conf.logDenied}` });
    rule({ chain: base, match: [], verdict: { kind: 'reject-default' }, reason: `firewalld final rule of ${base}: nothing in a zone or policy accepted the packet` });
  }
  rule({ chain: 'OUTPUT', match: [{ k: 'ct-state', states: ['established', 'related'] }], verdict: { kind: 'accept' }, reason: 'firewalld default rule: packets of known connections' });
  if (v2) dnat('OUTPUT');
  rule({ chain: 'OUTPUT', match: [{ k: 'oif', name: 'lo' }], verdict: { kind: 'accept' }, reason: 'firewalld default rule: loopback' });
  rfc3964('OUTPUT');
  // Each hook's *_dnat chain (StrictForwardPorts=yes) comes right before its dispatch chains (real 2.3.1).
  const dnatChain = (hook: string) => {
    if (setup.conf.strictForwardPorts && (v2 || hook !== 'OUTPUT')) chain({ name: `${hook}_dnat`, table: 'filter' });
  };
  for (const hook of ['INPUT', 'FORWARD'] as const) {
    dnatChain(hook);
    dispatchChains('filter', hook);
  }
  // Traffic from the host has no zone dispatch before 2.0: only the policy chains.
  const outputEntries = v2 ? ['POLICIES'] : ['POLICIES_pre', 'POLICIES_post'];
  dnatChain('OUTPUT');
  for (const s of outputEntries) chain({ name: `OUTPUT_${s}`, table: 'filter' });
  for (const s of outputEntries) rule({ chain: 'OUTPUT', match: [], verdict: { kind: 'jump', chain: `OUTPUT_${s}` }, reason: 'firewalld: policy dispatch (traffic from the host)' });
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
  const name = `${pl.short}_policy_${p.name}`;
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
