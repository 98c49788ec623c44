// firewalld 1.x dispatch (checked with 1.3.3): per hook a *_ZONES chain that
// `goto`s the ingress zone's chain (egress zone for POSTROUTING) — every zone's
// sources first, sorted by zone name (nftables.py _run_replace_zone_source),
// then the interfaces, each inserted at the top of the interface block (so the
// zone processed last comes first), then the default zone catching the rest —
// and *_POLICIES_pre / *_POLICIES_post chains that every zone chain jumps to
// first and last, holding one jump per policy and pair of ingress/egress
// bindings (build_policy_ingress_egress_rules): a policy applies by its zones'
// interfaces and sources, not by the zone the packet was dispatched to.

import type { PlanContext, PlanPlace } from './firewalldPlan.ts';
import type { PlanMatch } from './firewalldPlanRules.ts';
import type { FirewalldPolicy } from './firewalldXml.ts';

const ZONE_HOOKS: { table: 'filter' | 'nat' | 'mangle' | 'raw'; hook: PlanPlace['hook']; short: PlanPlace['short'] }[] = [
  { table: 'mangle', hook: 'PREROUTING', short: 'PRE' },
  { table: 'nat', hook: 'PREROUTING', short: 'PRE' },
  { table: 'nat', hook: 'POSTROUTING', short: 'POST' },
  { table: 'filter', hook: 'INPUT', short: 'IN' },
  { table: 'filter', hook: 'FORWARD', short: 'FWD' },
];

const addrFamily = (a: string): 'ipv4' | 'ipv6' => (a.includes(':') ? 'ipv6' : 'ipv4');

export function dispatchV1(ctx: PlanContext): void {
  const { setup, zones, rule } = ctx;
  const def = setup.conf.defaultZone;
  const sources = zones.flatMap((z) => ctx.bindingsOf(z.name).filter((b) => b.source).map((b) => ({ zone: z.name, b })));
  const interfaces = zones.flatMap((z) => ctx.bindingsOf(z.name).filter((b) => b.interface).map((b) => ({ zone: z.name, b }))).reverse();
  // The iptables backend dispatches in raw PREROUTING too (conntrack helpers).
  for (const h of [...ZONE_HOOKS, ...(ctx.ipt ? [{ table: 'raw' as const, hook: 'PREROUTING' as const, short: 'PRE' as const }] : [])]) {
    const out = h.hook === 'POSTROUTING';
    const chain = `${h.hook}_ZONES`;
    for (const { zone, b } of [...sources, ...interfaces]) {
      const m: PlanMatch = b.interface ? (out ? { k: 'oif', name: b.interface } : { k: 'iif', name: b.interface }) : { k: out ? 'daddr' : 'saddr', addr: b.source ?? '' };
      rule({ chain, table: h.table, match: [m], verdict: { kind: 'goto', chain: `${h.short}_${zone}` }, reason: `zone ${zone}: ${b.reason}` });
    }
    rule({ chain, table: h.table, match: [], verdict: { kind: 'goto', chain: `${h.short}_${def}` }, reason: `DefaultZone=${def} (firewalld.conf): interfaces and sources in no zone` });
  }
  for (const p of ctx.policies) {
    for (const pl of ctx.policyPlaces.get(p.name) ?? []) policyJumps(ctx, p, pl);
  }
}

/** A zone list's bindings as match fragments: the interfaces as one set, then each source. */
function fragments(ctx: PlanContext, zones: string[], dir: 'in' | 'out'): PlanMatch[][] {
  if (zones.includes('ANY') || zones.includes('HOST')) return [];
  const bs = zones.flatMap((z) => ctx.bindingsOf(z));
  const names = bs.filter((b) => b.interface).map((b) => b.interface as string);
  const out: PlanMatch[][] = [];
  if (names.length === 1) out.push([dir === 'in' ? { k: 'iif', name: names[0] } : { k: 'oif', name: names[0] }]);
  else if (names.length > 1) out.push([dir === 'in' ? { k: 'iif-set', names } : { k: 'oif-set', names }]);
  for (const b of bs.filter((x) => x.source)) out.push([{ k: dir === 'in' ? 'saddr' : 'daddr', addr: b.source ?? '' }]);
  return out;
}

function policyJumps(ctx: PlanContext, p: FirewalldPolicy, pl: PlanPlace): void {
  const chain = `${pl.hook}_POLICIES_${p.priority < 0 ? 'pre' : 'post'}`;
  const ins = pl.hook === 'OUTPUT' ? [] : fragments(ctx, p.ingress, 'in');
  // PREROUTING knows no output interface yet: an egress zone of sources only is matched by destination (real 1.3.3);
  // raw PREROUTING of the iptables backend lists `-o` all the same (real 1.3.3: `-i virbr3 -o eth1 -j PRE_int-to-ext`).
  const outs =
    pl.hook === 'FORWARD' || pl.hook === 'POSTROUTING' || pl.hook === 'OUTPUT' || pl.table === 'raw' ? fragments(ctx, p.egress, 'out')
    : pl.hook === 'PREROUTING' ? fragments(ctx, p.egress, 'out').filter((m) => m.every((x) => x.k === 'daddr'))
    : [];
  const why = `policy ${p.name} (priority ${p.priority}, ${p.file}): ${p.ingress.join(',')} → ${p.egress.join(',')}`;
  const jump = (m: PlanMatch[]) => ctx.rule({ chain, table: pl.table, match: m, verdict: { kind: 'jump', chain: ctx.policyChain(pl.short, p.name) }, reason: why });
  const fam = (m: PlanMatch[]) => m.flatMap((x) => (x.k === 'saddr' || x.k === 'daddr' ? [addrFamily(x.addr)] : []));
  const pairs = ins.length > 0 ? ins.flatMap((i) => (outs.length > 0 ? outs.map((o) => [...i, ...o]) : [i])) : outs.length > 0 ? outs : [[]];
  for (const m of pairs) {
    // An IPv4 source with an IPv6 destination matches nothing: firewalld leaves the pair out.
    if (new Set(fam(m)).size > 1) continue;
    jump(m);
  }
}
