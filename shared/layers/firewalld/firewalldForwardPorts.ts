// Port forwarding (`<forward-port>` in a zone or policy, rich rule
// `forward-port`) laid out as real firewalld 1.3.3 and 2.3.1 lay it out
// (nftables.py / ipXtables.py build_policy_forward_port_rules):
//  - the DNAT in the nat PREROUTING chain of the zone (a zone's forward-ports
//    belong to its derived policy zone_<zone>_ANY: nat_PRE_<zone>_allow), of the
//    policy (nat_PRE_policy_<name>_allow; nat_OUT_… when the ingress is HOST):
//    nft `meta nfproto ipv4 tcp dport 2222 dnat ip to 192.168.10.50:22`,
//    `dnat ip6 to [fd00:10::50]:22`, without to-addr `redirect to :22`;
//    iptables `-p tcp -m tcp --dport 2222 -j DNAT --to-destination …`, only in
//    the family of to-addr (IPv4 without one). Rich rules go to _pre/_allow/_post
//    by priority, with their source/destination and family;
//  - the DNAT'd connection then passes filter INPUT/FORWARD by firewalld's
//    default `ct status dnat accept` — or, with StrictForwardPorts=yes (≥ 2.3),
//    by `ct original proto-dst 2222 accept` inserted at the top of
//    filter_FORWARD_dnat (to-addr), filter_INPUT_dnat (redirect) or
//    filter_OUTPUT_dnat (policy from HOST): by the original port only;
//  - with to-addr firewalld turns on IP forwarding (enable_ip_forwarding).
// A rich rule's `log` on a forward-port is not modelled.

import type { PlanContext } from './firewalldPlan.ts';
import type { PlanMatch, PlanRule } from './firewalldPlanRules.ts';
import { forwardPortTarget, forwardPortText, type ForwardPort } from './firewalldForwardPortXml.ts';
import type { FirewalldPolicy, FirewalldRuleSet, RichRule } from './firewalldXml.ts';

export interface PlacedForwardPort {
  f: ForwardPort;
  /** The nat chain (without `_allow`): PRE_public, PRE_policy_x, OUT_policy_x. */
  natChain: string;
  /** _allow, or the rich rule's _pre/_post bucket. */
  bucket: 'pre' | 'allow' | 'post';
  match: PlanMatch[];
  /** The rich rule's family (`meta nfproto`); a plain forward-port always names its DNAT family. */
  family?: 'ipv4' | 'ipv6';
  /** The filter chain whose *_dnat sub-chain lets it through with StrictForwardPorts=yes. */
  strictHook: 'INPUT' | 'FORWARD' | 'OUTPUT';
  why: string;
  file: string;
  line: number;
}

/** Which nat chain a policy's forward-ports go to (fw_policy.py policy_base_chain_name), or null when it has none. */
function policyNatChain(ctx: PlanContext, p: FirewalldPolicy): string | null {
  const places = ctx.policyPlaces.get(p.name) ?? [];
  const has = (hook: 'PREROUTING' | 'OUTPUT') => places.some((pl) => pl.table === 'nat' && pl.hook === hook);
  if (p.ingress.includes('HOST')) return has('OUTPUT') ? ctx.policyChain('OUT', p.name) : null;
  return has('PREROUTING') ? ctx.policyChain('PRE', p.name) : null;
}

function richMatch(r: RichRule): PlanMatch[] {
  const m: PlanMatch[] = [];
  if (r.destination?.address) m.push({ k: 'daddr', addr: r.destination.address, invert: r.destination.invert });
  if (r.source?.address) m.push({ k: 'saddr', addr: r.source.address, invert: r.source.invert });
  return m;
}

/** Every forward-port of a zone or policy, in the order firewalld applies them (plain ones, then rich rules). */
function ofSet(set: FirewalldRuleSet, what: string, natChain: string, fromHost: boolean, sortRich: boolean): PlacedForwardPort[] {
  const out: PlacedForwardPort[] = [];
  const strictHook = (f: ForwardPort) => (fromHost ? 'OUTPUT' : f.toAddr ? 'FORWARD' : 'INPUT');
  for (const { value: f, line } of set.forwardPorts) {
    out.push({ f, natChain, bucket: 'allow', match: [], family: f.family, strictHook: strictHook(f), why: `${what}: <forward-port ${forwardPortText(f)}/> (${set.file} line ${line}): ${f.protocol} port ${f.port} is forwarded to ${forwardPortTarget(f)}`, file: set.file, line });
  }
  const rich = set.richRules.filter((r) => r.element?.kind === 'forward-port');
  const ordered = sortRich ? [...rich].sort((a, b) => a.priority - b.priority || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0)) : rich;
  for (const r of ordered) {
    if (r.element?.kind !== 'forward-port') continue;
    const { kind: _k, ...f } = r.element;
    const bucket = r.priority < 0 ? 'pre' : r.priority > 0 ? 'post' : 'allow';
    out.push({ f, natChain, bucket, match: richMatch(r), ...(r.family ? { family: r.family } : {}), strictHook: strictHook(f), why: `${what}: ${set.file} line ${r.line}: ${r.text}: ${f.protocol} port ${f.port} is forwarded to ${forwardPortTarget(f)}`, file: set.file, line: r.line });
  }
  return out;
}

/** Every active zone's and placed policy's forward-ports, in application order. */
export function placedForwardPorts(ctx: PlanContext): PlacedForwardPort[] {
  const out: PlacedForwardPort[] = [];
  for (const z of ctx.zones) out.push(...ofSet(z, `zone ${z.name}`, `PRE_${z.name}`, false, ctx.v2));
  for (const p of ctx.policies) {
    const chain = policyNatChain(ctx, p);
    if (chain) out.push(...ofSet(p, `policy ${p.name}`, chain, p.ingress.includes('HOST'), ctx.v2));
  }
  return out;
}

/** The DNAT / redirect rules of one nat chain (PRE_public, …), in order. */
export function forwardPortNatRules(all: PlacedForwardPort[], natChain: string): PlanRule[] {
  return all
    .filter((x) => x.natChain === natChain)
    .map((x) => ({
      chain: `${x.natChain}_${x.bucket}`,
      table: 'nat' as const,
      // iptables: only in the DNAT's family (the rule is built by that family's backend).
      family: x.family ?? x.f.family,
      ...(x.family ? {} : { nftNoFamily: true }),
      match: [...x.match, { k: 'dport' as const, protocol: x.f.protocol, port: x.f.port }],
      verdict: x.f.toAddr ? { kind: 'dnat' as const, family: x.f.family, addr: x.f.toAddr, ...(x.f.toPort ? { port: x.f.toPort } : {}) } : { kind: 'redirect' as const, port: x.f.toPort ?? x.f.port },
      reason: x.why,
      file: x.file,
      line: x.line,
    }));
}

/**
 * StrictForwardPorts=yes: the accepts at the top of filter_<HOOK>_dnat, newest first
 * (firewalld inserts each one). nft without a family, iptables in the forward-port's family.
 */
export function strictForwardPortAccepts(all: PlacedForwardPort[], hook: 'INPUT' | 'FORWARD' | 'OUTPUT'): PlanRule[] {
  return all
    .filter((x) => x.strictHook === hook)
    .reverse()
    .flatMap((x): PlanRule[] => {
      const base = { chain: `${hook}_dnat`, match: [{ k: 'ct-orig-dport' as const, port: x.f.port }], verdict: { kind: 'accept' as const }, reason: `StrictForwardPorts=yes: the forwarded port is let through — ${x.why}`, file: x.file, line: x.line };
      return [{ ...base, backend: 'nftables' }, { ...base, backend: 'iptables', family: x.family ?? x.f.family }];
    });
}

/** The families whose forwarding firewalld turns on (a forward-port with to-addr). */
export function forwardingFamilies(all: PlacedForwardPort[]): ('ipv4' | 'ipv6')[] {
  return [...new Set(all.filter((x) => x.f.toAddr).map((x) => x.f.family))];
}
