// firewalld 2.x dispatch (checked with 2.3.1): one *_POLICIES chain per hook
// and table that lists every pair of ingress binding × egress binding — each
// zone's sources (sorted by zone name), then its interfaces, then "anything
// else" for the default zone — and for each pair jumps to the policies that
// apply to the two *dispatched* zones (priority < 0 first), the ingress zone's
// own chain (the egress zone's for POSTROUTING and OUTPUT), policies of
// priority > 0, and ends with the zone's target (filter INPUT/FORWARD) or a
// `return` (nat, mangle, OUTPUT). So a packet from a source bound to a DROP
// zone never reaches a policy of the zone its interface is in. The iptables
// backend (checked with 2.3.1's iptables-save) also dispatches in raw
// PREROUTING, by the ingress binding alone, and leaves the input interface out
// of nat POSTROUTING.

import type { PlanContext, PlanPlace } from './firewalldPlan.ts';
import type { PlanMatch, PlanVerdict } from './firewalldPlanRules.ts';
import type { FirewalldPolicy, FirewalldZone } from './firewalldXml.ts';

interface Binding {
  zone: string;
  /** Empty for "anything else" (the default zone). */
  match: PlanMatch[];
  why: string;
}

const addrFamily = (a: string): 'ipv4' | 'ipv6' => (a.includes(':') ? 'ipv6' : 'ipv4');

function bindings(ctx: PlanContext, dir: 'in' | 'out', withInterfaces = true): Binding[] {
  const def = ctx.setup.conf.defaultZone;
  const out: Binding[] = [];
  // By zone name (real 2.3.1: eth1 of external before virbr3 of internal, virbr3 of internal before eth1 of the default zone public).
  const zones = [...ctx.zones].sort((a, b) => a.name.localeCompare(b.name));
  for (const z of zones) {
    for (const b of ctx.bindingsOf(z.name).filter((x) => x.source)) out.push({ zone: z.name, match: [{ k: dir === 'in' ? 'saddr' : 'daddr', addr: b.source ?? '' }], why: b.reason });
  }
  if (withInterfaces) {
    for (const z of zones) {
      for (const b of ctx.bindingsOf(z.name).filter((x) => x.interface)) out.push({ zone: z.name, match: [dir === 'in' ? { k: 'iif', name: b.interface ?? '' } : { k: 'oif', name: b.interface ?? '' }], why: b.reason });
    }
  }
  out.push({ zone: def, match: [], why: `DefaultZone=${def} (firewalld.conf): interfaces and sources in no zone` });
  return out;
}

/** Interfaces first, then addresses (as 2.3.1 lists the pair); null when the families clash. */
function pair(a: PlanMatch[], b: PlanMatch[]): PlanMatch[] | null {
  const all = [...a, ...b];
  const fams = new Set(all.flatMap((m) => (m.k === 'saddr' || m.k === 'daddr' ? [addrFamily(m.addr)] : [])));
  if (fams.size > 1) return null;
  const rank = (m: PlanMatch) => ({ iif: 0, oif: 1, saddr: 2, daddr: 3 } as Record<string, number>)[m.k] ?? 4;
  return [...all].sort((x, y) => rank(x) - rank(y));
}

const names = (zones: string[], zone: string) => zones.includes(zone) || zones.includes('ANY');

function targetVerdict(z: FirewalldZone | undefined): PlanVerdict {
  if (z?.target === 'ACCEPT') return { kind: 'accept' };
  if (z?.target === 'DROP') return { kind: 'drop' };
  // nft: reject with icmpx admin-prohibited; iptables: plain -j REJECT (port-unreachable, real 2.3.1).
  return { kind: 'reject-zone' };
}

export function dispatchV2(ctx: PlanContext): void {
  const zoneOf = (name: string) => ctx.zones.find((z) => z.name === name);
  const placed = (p: FirewalldPolicy, table: string, hook: PlanPlace['hook']) => (ctx.policyPlaces.get(p.name) ?? []).some((pl) => pl.table === table && pl.hook === hook);
  const ins = bindings(ctx, 'in');
  const outs = bindings(ctx, 'out');

  /** Policies (by priority sign), the zone's chain, the rest, then the end rule. */
  const block = (table: PlanPlace['table'], hook: PlanPlace['hook'], short: PlanPlace['short'], m: PlanMatch[], zone: string, applies: (p: FirewalldPolicy) => boolean, end: PlanVerdict, why: string): void => {
    const chain = `${hook}_POLICIES`;
    const pol = ctx.policies.filter((p) => placed(p, table, hook) && applies(p));
    const jump = (p: FirewalldPolicy) => ctx.rule({ chain, table, match: m, verdict: { kind: 'jump', chain: ctx.policyChain(short, p.name) }, reason: `policy ${p.name} (priority ${p.priority}, ${p.file}): ${p.ingress.join(',')} → ${p.egress.join(',')}; ${why}` });
    pol.filter((p) => p.priority < 0).forEach(jump);
    ctx.rule({ chain, table, match: m, verdict: { kind: 'jump', chain: `${short}_${zone}` }, reason: `zone ${zone}: ${why}` });
    pol.filter((p) => p.priority >= 0).forEach(jump);
    const z = zoneOf(zone);
    ctx.rule({ chain, table, match: m, verdict: end, reason: end.kind === 'return' ? `zone ${zone}: back to the hook chain` : `zone ${zone} target ${z?.target ?? 'default'} (${z?.file ?? ''} line ${z?.targetLine ?? 1})` });
  };

  // PREROUTING (mangle, nat): the ingress zone; the egress is known only by a destination source.
  for (const table of ['mangle', 'nat'] as const) {
    for (const i of ins) {
      for (const p of ctx.policies.filter((x) => placed(x, table, 'PREROUTING') && x.egress.includes('HOST') && names(x.ingress, i.zone))) {
        ctx.rule({ chain: 'PREROUTING_POLICIES', table, match: i.match, verdict: { kind: 'jump', chain: ctx.policyChain('PRE', p.name) }, reason: `policy ${p.name} (priority ${p.priority}, ${p.file}): ${p.ingress.join(',')} → HOST; ${i.why}` });
      }
      for (const o of bindings(ctx, 'out', false)) {
        const m = pair(i.match, o.match);
        if (m) block(table, 'PREROUTING', 'PRE', m, i.zone, (p) => !p.egress.includes('HOST') && names(p.ingress, i.zone) && names(p.egress, o.zone), { kind: 'return' }, i.why);
      }
    }
  }
  // raw PREROUTING (iptables backend: conntrack helpers): by the ingress binding alone.
  // A policy whose egress zones are bound by sources only is jumped to per destination source
  // (real 2.3.1: `-d 192.168.10.60/32 -i eth1 -j PRE_pub-to-dmz`; none in the other family).
  if (ctx.ipt) {
    for (const i of ins) {
      const chain = 'PREROUTING_POLICIES';
      const pol = ctx.policies.filter((p) => placed(p, 'raw', 'PREROUTING') && names(p.ingress, i.zone));
      const jump = (p: FirewalldPolicy) => {
        const egress = p.egress.filter((z) => z !== 'ANY' && z !== 'HOST');
        const bs = egress.flatMap((z) => ctx.bindingsOf(z));
        const bySource = bs.length > 0 && bs.every((b) => b.source);
        const ms = bySource ? bs.map((b) => pair(i.match, [{ k: 'daddr', addr: b.source ?? '' }])).filter((m): m is PlanMatch[] => m !== null) : [i.match];
        for (const m of ms) ctx.rule({ chain, table: 'raw', match: m, verdict: { kind: 'jump', chain: ctx.policyChain('PRE', p.name) }, reason: `policy ${p.name} (priority ${p.priority}, ${p.file}): ${p.ingress.join(',')} → ${p.egress.join(',')}; ${i.why}` });
      };
      pol.filter((p) => p.priority < 0).forEach(jump);
      ctx.rule({ chain, table: 'raw', match: i.match, verdict: { kind: 'jump', chain: `PRE_${i.zone}` }, reason: `zone ${i.zone}: ${i.why}` });
      pol.filter((p) => p.priority >= 0).forEach(jump);
      ctx.rule({ chain, table: 'raw', match: i.match, verdict: { kind: 'return' }, reason: `zone ${i.zone}: back to the hook chain` });
    }
  }
  // POSTROUTING (nat): by egress, then ingress — iptables cannot match the input
  // interface there (`-i` is refused in POSTROUTING): only source and "anything else".
  const postIns = ctx.ipt ? ins.filter((i) => !i.match.some((m) => m.k === 'iif')) : ins;
  for (const o of outs) {
    for (const i of postIns) {
      const m = pair(i.match, o.match);
      if (m) block('nat', 'POSTROUTING', 'POST', m, o.zone, (p) => names(p.ingress, i.zone) && names(p.egress, o.zone), { kind: 'return' }, o.why);
    }
  }
  // OUTPUT (nat, filter): from the host to the egress zone.
  for (const table of ['nat', 'filter'] as const) {
    for (const o of outs) block(table, 'OUTPUT', 'OUT', o.match, o.zone, (p) => p.ingress.includes('HOST') && names(p.egress, o.zone), { kind: 'return' }, o.why);
  }
  // INPUT: the ingress zone to the host.
  for (const i of ins) block('filter', 'INPUT', 'IN', i.match, i.zone, (p) => names(p.ingress, i.zone), targetVerdict(zoneOf(i.zone)), i.why);
  // FORWARD: every ingress × egress pair.
  for (const i of ins) {
    for (const o of outs) {
      const m = pair(i.match, o.match);
      if (m) block('filter', 'FORWARD', 'FWD', m, i.zone, (p) => names(p.ingress, i.zone) && names(p.egress, o.zone), targetVerdict(zoneOf(i.zone)), i.why);
    }
  }
}
