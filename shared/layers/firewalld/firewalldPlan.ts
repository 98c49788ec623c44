// firewalld's rule layout as a backend-neutral plan (chains and rules), built
// the way firewalld ≥ 1.0 structures it in src/firewall/core/nftables.py and
// ipXtables.py (build_default_rules, build_dispatch_stage1/2/3, zone target
// rules, policy chains with _pre/_log/_deny/_allow/_post):
//   INPUT:   ct established,related accept · ct status dnat accept · iif lo accept ·
//            ct invalid drop · jump INPUT_dispatch · reject (admin-prohibited)
//   FORWARD: the same with FORWARD_dispatch (firewall-layers.md §2 fact 4)
//   INPUT_dispatch:  per bound source, then interface → IN_<zone>_to_HOST (default zone last)
//   FORWARD_dispatch → FWD_<zin>_dispatch_stage2 → per egress zone FWD_<zin>_to_<zout>
//   *_to_* chains: jumps to the policies in priority order (negative, the zone's own, positive),
//   then the ingress zone's target (ACCEPT/DROP/reject; `default` rejects from 1.0 on,
//   before 1.0 it adds nothing and the final reject of the base chain decides).
// The nft and iptables renderers turn the plan into commands.

import type { FirewalldSetup } from './firewalldSetup.ts';
import { zoneRuleSetRules, policyTargetRule, zoneTargetRule, type PlanRule } from './firewalldPlanRules.ts';

export type { PlanRule, PlanMatch, PlanVerdict } from './firewalldPlanRules.ts';

export interface PlanChain {
  /** Neutral name: 'INPUT', 'FORWARD_dispatch', 'IN_public_allow', 'POSTROUTING', … */
  name: string;
  table: 'filter' | 'nat';
  /** Base chains (hook into the kernel). */
  base?: { hook: 'prerouting' | 'input' | 'forward' | 'output' | 'postrouting'; type: 'filter' | 'nat'; priority: 'filter + 10' | 'srcnat + 10' };
}

export interface FirewalldPlan {
  chains: PlanChain[];
  rules: PlanRule[];
}

const SUBCHAINS = ['pre', 'log', 'deny', 'allow', 'post'] as const;
const RFC3964_PREFIXES = ['::/96', '::ffff:0.0.0.0/96', '2002::/24', '2002:a00::/24', '2002:7f00::/24', '2002:a9fe::/32', '2002:ac10::/28', '2002:c0a8::/32', '2002:e000::/19'];

export function buildFirewalldPlan(setup: FirewalldSetup): FirewalldPlan {
  const modern = (v: string) => v.localeCompare('1.0', undefined, { numeric: true }) >= 0;
  const v1 = modern(setup.version);
  const v2 = setup.version.localeCompare('2.0', undefined, { numeric: true }) >= 0;
  const chains: PlanChain[] = [];
  const rules: PlanRule[] = [];
  const chain = (c: PlanChain) => {
    if (!chains.some((x) => x.name === c.name && x.table === c.table)) chains.push(c);
  };
  const rule = (r: PlanRule) => rules.push(r);
  const def = setup.conf.defaultZone;
  const defLabel = `DefaultZone=${def} (firewalld.conf)`;

  // RFC3964_IPv4=yes: forwarded and outgoing IPv6 to 6to4 (2002::/16) addresses
  // that embed private or special IPv4 ranges, and to IPv4-compatible/-mapped
  // addresses, is rejected with addr-unreachable (real firewalld 1.3.3: inline
  // set in nft, chain RFC3964_IPv4 in ip6tables; both before the zone dispatch).
  const rfc3964 = (base: 'FORWARD' | 'OUTPUT'): void => {
    if (!setup.conf.rfc3964Ipv4) return;
    chain({ name: 'RFC3964_IPv4', table: 'filter' });
    if (!rules.some((r) => r.chain === 'RFC3964_IPv4')) {
      for (const addr of RFC3964_PREFIXES) rule({ chain: 'RFC3964_IPv4', match: [{ k: 'daddr', addr }], verdict: { kind: 'reject-typed', type: 'icmp6-addr-unreachable' }, reason: `RFC3964_IPv4=yes (firewalld.conf): no IPv6 to ${addr}` });
    }
    rule({ chain: base, family: 'ipv6', match: [], verdict: { kind: 'jump', chain: 'RFC3964_IPv4' }, reason: 'RFC3964_IPv4=yes (firewalld.conf): 6to4 addresses of private IPv4 ranges rejected' });
  };

  // IPv6_rpfilter=yes (the default): IPv6 whose source would not be routed back
  // out of the interface it came in by is dropped before anything else —
  // router advertisements and neighbour solicitations excepted (real firewalld
  // 1.3.3: nft filter_PREROUTING at filter + 10; ip6tables mangle PREROUTING).
  if (['yes', 'strict'].includes(setup.conf.ipv6Rpfilter)) {
    chain({ name: 'PREROUTING', table: 'filter', base: { hook: 'prerouting', type: 'filter', priority: 'filter + 10' } });
    for (const name of ['router-advertisement', 'neighbour-solicitation']) {
      rule({ chain: 'PREROUTING', iptablesTable: 'mangle', match: [{ k: 'icmp-type', family: 'ipv6', name }], verdict: { kind: 'accept' }, reason: `IPv6_rpfilter=${setup.conf.ipv6Rpfilter} (firewalld.conf): ${name} is exempt from the reverse-path check` });
    }
    rule({ chain: 'PREROUTING', iptablesTable: 'mangle', family: 'ipv6', match: [{ k: 'rpfilter-fails' }], verdict: { kind: 'drop' }, reason: `IPv6_rpfilter=${setup.conf.ipv6Rpfilter} (firewalld.conf): IPv6 failing the strict reverse-path check is dropped` });
  }

  for (const [name, hook] of [['INPUT', 'input'], ['FORWARD', 'forward'], ['OUTPUT', 'output']] as const) {
    chain({ name, table: 'filter', base: { hook, type: 'filter', priority: 'filter + 10' } });
  }
  for (const base of ['INPUT', 'FORWARD'] as const) {
    chain({ name: `${base}_dispatch`, table: 'filter' });
    rule({ chain: base, match: [{ k: 'ct-state', states: ['established', 'related'] }], verdict: { kind: 'accept' }, reason: 'firewalld default rule: packets of known connections' });
    if (setup.conf.strictForwardPorts) {
      chain({ name: `${base}_dnat`, table: 'filter' });
      rule({ chain: `${base}_dnat`, match: [], verdict: { kind: 'reject-default' }, reason: 'StrictForwardPorts=yes: DNAT only to forwarded ports' });
      rule({ chain: base, match: [{ k: 'ct-dnat' }], verdict: { kind: 'jump', chain: `${base}_dnat` }, reason: 'StrictForwardPorts=yes' });
    } else rule({ chain: base, match: [{ k: 'ct-dnat' }], verdict: { kind: 'accept' }, reason: 'firewalld default rule: every DNAT\'d packet (StrictForwardPorts=no)' });
    rule({ chain: base, match: [{ k: 'iif', name: 'lo' }], verdict: { kind: 'accept' }, reason: 'firewalld default rule: loopback' });
    rule({ chain: base, match: [{ k: 'ct-state', states: ['invalid'] }], verdict: { kind: 'drop' }, reason: 'firewalld default rule: invalid packets' });
    if (base === 'FORWARD') rfc3964(base);
    rule({ chain: base, match: [], verdict: { kind: 'jump', chain: `${base}_dispatch` }, reason: 'firewalld: zone and policy dispatch' });
    if (setup.conf.logDenied !== 'off') rule({ chain: base, match: [], verdict: { kind: 'log', prefix: 'FINAL_REJECT: ' }, reason: `LogDenied=${setup.conf.logDenied}` });
    rule({ chain: base, match: [], verdict: { kind: 'reject-default' }, reason: `firewalld final rule of ${base}: nothing in a zone or policy accepted the packet` });
  }
  rule({ chain: 'OUTPUT', match: [{ k: 'ct-state', states: ['established', 'related'] }], verdict: { kind: 'accept' }, reason: 'firewalld default rule' });
  rule({ chain: 'OUTPUT', match: [{ k: 'oif', name: 'lo' }], verdict: { kind: 'accept' }, reason: 'firewalld default rule: loopback' });
  rfc3964('OUTPUT');

  const active = [...setup.zones.values()].filter((z) => z.name === def || setup.bindings.some((b) => b.zone === z.name));
  const activeNames = new Set(active.map((z) => z.name));
  const policies = [...setup.policies.values()].filter((p) => [...p.ingress, ...p.egress].every((z) => z === 'ANY' || z === 'HOST' || activeNames.has(z)));
  const bindingsOf = (zone: string) => setup.bindings.filter((b) => b.zone === zone).sort((a, b) => (a.source ? 0 : 1) - (b.source ? 0 : 1));
  const ordered = [...active].sort((a, b) => a.name.localeCompare(b.name));

  const subchains = (prefix: string): void => {
    chain({ name: prefix, table: 'filter' });
    for (const s of SUBCHAINS) {
      chain({ name: `${prefix}_${s}`, table: 'filter' });
      rule({ chain: prefix, match: [], verdict: { kind: 'jump', chain: `${prefix}_${s}` }, reason: `firewalld policy chain layout (${s})` });
    }
  };

  // Bindings in firewalld's dispatch order: every zone's sources before any
  // interface — a source binding wins over the interface the packet came in by
  // (real firewalld 1.3.3: `ip saddr … goto filter_IN_<zone>` above the
  // `iifname …` rules, test/reality/firewalld-real.test.ts).
  const dispatchOrder = (): { zone: string; binding: ReturnType<typeof bindingsOf>[number] }[] => [
    ...ordered.flatMap((z) => bindingsOf(z.name).filter((b) => !b.interface).map((binding) => ({ zone: z.name, binding }))),
    ...ordered.flatMap((z) => bindingsOf(z.name).filter((b) => b.interface).map((binding) => ({ zone: z.name, binding }))),
  ];

  // Before 2.0 a policy applies to a packet by its zones' bindings, not by the
  // zone the packet was dispatched to: real firewalld 1.3.3 jumps to a policy from
  // *_POLICIES_pre/post with `iifname <ingress zone's interface> oifname
  // <egress zone's interface>` (saddr/daddr for sources) — so a packet from a
  // source bound to zone dmz that arrives on external's interface still gets
  // an external → internal policy. A zone without bindings (the default zone
  // catching unbound interfaces) matches where it is the dispatched zone.
  // Real firewalld 2.3.1 dispatches policies by the dispatched zones instead;
  // which release between them changed it is not checked (2.0 assumed, the
  // release that reworked the dispatch).
  type PolicyCondition = { match: PlanRule['match']; onlyWhen?: string };
  const sideConditions = (zones: string[], dir: 'in' | 'out'): PolicyCondition[] => {
    if (zones.includes('ANY') || zones.includes('HOST')) return [{ match: [] }];
    return zones.flatMap((zone) => {
      const bs = bindingsOf(zone);
      if (bs.length === 0) return zone === def ? [{ match: [], onlyWhen: zone }] : [];
      return bs.map((b) => ({ match: b.interface ? [dir === 'in' ? { k: 'iif' as const, name: b.interface } : { k: 'oif' as const, name: b.interface }] : [{ k: dir === 'in' ? ('saddr' as const) : ('daddr' as const), addr: b.source ?? '' }] }));
    });
  };
  const policyJumps = (c: string, p: (typeof policies)[number], target: string, zin: string, zout: string): void => {
    if (v2) {
      // firewalld 2.x (checked with 2.3.1): by the dispatched zones — the packet
      // from dmz's source above gets dmz's target instead.
      const named = (zones: string[], zone: string) => zones.includes(zone) || zones.includes('ANY') || zones.includes('HOST');
      if (named(p.ingress, zin) && named(p.egress, zout)) rule({ chain: c, match: [], verdict: { kind: 'jump', chain: target }, reason: `policy ${p.name} (priority ${p.priority}): ${p.ingress.join(',')} → ${p.egress.join(',')}` });
      return;
    }
    for (const i of sideConditions(p.ingress, 'in')) {
      if (i.onlyWhen !== undefined && i.onlyWhen !== zin) continue;
      for (const o of sideConditions(p.egress, 'out')) {
        if (o.onlyWhen !== undefined && o.onlyWhen !== zout) continue;
        rule({ chain: c, match: [...i.match, ...o.match], verdict: { kind: 'jump', chain: target }, reason: `policy ${p.name} (priority ${p.priority}): ${p.ingress.join(',')} → ${p.egress.join(',')}` });
      }
    }
  };

  // Stage 1: ingress zone by source or interface; the default zone catches the rest.
  const dispatch = (base: 'INPUT' | 'FORWARD', target: (zone: string) => string): void => {
    for (const { zone, binding: b } of dispatchOrder()) {
      rule({ chain: `${base}_dispatch`, match: b.interface ? [{ k: 'iif', name: b.interface }] : [{ k: 'saddr', addr: b.source ?? '' }], verdict: { kind: 'jump', chain: target(zone) }, reason: b.reason });
    }
    rule({ chain: `${base}_dispatch`, match: [], verdict: { kind: 'jump', chain: target(def) }, reason: `${defLabel}: interfaces in no zone` });
  };

  // INPUT: zone → HOST.
  for (const z of ordered) {
    subchains(`IN_${z.name}`);
    for (const r of zoneRuleSetRules(z, `IN_${z.name}`, 'input', v1, z.target === 'default')) rule(r);
  }
  dispatch('INPUT', (zone) => `IN_${zone}_to_HOST`);
  for (const z of ordered) {
    const c = `IN_${z.name}_to_HOST`;
    chain({ name: c, table: 'filter' });
    const applicable = policies.filter((p) => p.egress.includes('HOST') && !p.ingress.includes('HOST')).sort((a, b) => a.priority - b.priority);
    applicable.filter((p) => p.priority < 0).forEach((p) => policyJumps(c, p, `IN_policy_${p.name}`, z.name, 'HOST'));
    rule({ chain: c, match: [], verdict: { kind: 'jump', chain: `IN_${z.name}` }, reason: `zone ${z.name}: traffic to the host` });
    applicable.filter((p) => p.priority > 0).forEach((p) => policyJumps(c, p, `IN_policy_${p.name}`, z.name, 'HOST'));
    const t = zoneTargetRule(z, c, v1);
    if (t) rule(t);
  }

  // FORWARD: zone → zone.
  for (const z of ordered) {
    subchains(`FWD_${z.name}`);
    if (z.forward) {
      for (const b of bindingsOf(z.name)) {
        rule({ chain: `FWD_${z.name}_allow`, match: b.interface ? [{ k: 'oif', name: b.interface }] : [{ k: 'daddr', addr: b.source ?? '' }], verdict: { kind: 'accept' }, reason: `zone ${z.name} <forward/> (${z.file} line ${z.forward.line}): intra-zone forwarding to ${b.interface ?? b.source}` });
      }
    }
  }
  dispatch('FORWARD', (zone) => `FWD_${zone}_dispatch_stage2`);
  for (const zin of ordered) {
    const stage2 = `FWD_${zin.name}_dispatch_stage2`;
    chain({ name: stage2, table: 'filter' });
    for (const { zone: zout, binding: b } of dispatchOrder()) {
      rule({ chain: stage2, match: b.interface ? [{ k: 'oif', name: b.interface }] : [{ k: 'daddr', addr: b.source ?? '' }], verdict: { kind: 'jump', chain: `FWD_${zin.name}_to_${zout}` }, reason: `egress zone ${zout}: ${b.reason}` });
    }
    rule({ chain: stage2, match: [], verdict: { kind: 'jump', chain: `FWD_${zin.name}_to_${def}` }, reason: `${defLabel}: egress interfaces in no zone` });
    for (const zout of ordered) {
      const c = `FWD_${zin.name}_to_${zout.name}`;
      chain({ name: c, table: 'filter' });
      const order = policies.filter((p) => !p.egress.includes('HOST') && !p.ingress.includes('HOST')).sort((a, b) => a.priority - b.priority);
      for (const p of order.filter((p) => p.priority < 0)) policyJumps(c, p, `FWD_policy_${p.name}`, zin.name, zout.name);
      rule({ chain: c, match: [], verdict: { kind: 'jump', chain: `FWD_${zin.name}` }, reason: `zone ${zin.name}: forwarded traffic from it` });
      for (const p of order.filter((p) => p.priority > 0)) policyJumps(c, p, `FWD_policy_${p.name}`, zin.name, zout.name);
      const t = zoneTargetRule(zin, c, v1);
      if (t) rule(t);
    }
  }

  // Real policies.
  for (const p of policies) {
    const prefix = p.egress.includes('HOST') ? `IN_policy_${p.name}` : `FWD_policy_${p.name}`;
    subchains(prefix);
    for (const r of zoneRuleSetRules(p, prefix, p.egress.includes('HOST') ? 'input' : 'forward', v1, false)) rule(r);
    const t = policyTargetRule(p, prefix);
    if (t) rule(t);
  }

  // Masquerading: zones with <masquerade/> (external) masquerade what leaves through their interfaces.
  const masq = ordered.filter((z) => z.masquerade);
  if (masq.length > 0) {
    chain({ name: 'POSTROUTING', table: 'nat', base: { hook: 'postrouting', type: 'nat', priority: 'srcnat + 10' } });
    for (const z of masq) {
      chain({ name: `POST_${z.name}`, table: 'nat' });
      for (const b of bindingsOf(z.name)) {
        if (b.interface) rule({ chain: 'POSTROUTING', table: 'nat', match: [{ k: 'oif', name: b.interface }], verdict: { kind: 'jump', chain: `POST_${z.name}` }, reason: `zone ${z.name}: ${b.reason}` });
      }
      rule({ chain: `POST_${z.name}`, table: 'nat', family: 'ipv4', match: [{ k: 'oif', name: 'lo', negate: true }], verdict: { kind: 'masquerade' }, reason: `zone ${z.name} <masquerade/> (${z.file} line ${z.masquerade?.line})` });
    }
  }
  return { chains, rules };
}
