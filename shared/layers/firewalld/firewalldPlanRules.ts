// The rules inside one zone's or policy's chains (services, ports, protocols,
// ICMP blocks, rich rules by priority bucket) and the target rules, in the
// neutral plan form. Rich rules go to _pre (priority < 0), _post (> 0), or by
// action to _allow (accept) / _deny (reject, drop) / _log (log only), as
// nftables.py _rich_rule_chain_suffix does; within a bucket lower priority first.

import type { FirewalldPolicy, FirewalldRuleSet, FirewalldZone, RichRule } from './firewalldXml.ts';
import { FIREWALLD_SERVICES } from './firewalldServices.ts';

export type PlanMatch =
  | { k: 'ct-state'; states: string[] }
  | { k: 'ct-dnat' }
  | { k: 'iif'; name: string }
  | { k: 'oif'; name: string; negate?: boolean }
  /** One of several interfaces (a policy's zones with more than one interface). */
  | { k: 'iif-set'; names: string[] }
  | { k: 'oif-set'; names: string[] }
  /** One of several ICMP/ICMPv6 protocols (`meta l4proto { icmp, ipv6-icmp }`). */
  | { k: 'proto-set'; values: string[] }
  /** One of several ICMP types of one family (`icmpv6 type { nd-router-advert, … }`). */
  | { k: 'icmp-types'; family: 'ipv4' | 'ipv6'; names: string[] }
  /** The destination is in one of several prefixes (`ip6 daddr { ::/96, … }`). */
  | { k: 'daddr-set'; addrs: string[] }
  | { k: 'saddr'; addr: string; invert?: boolean }
  | { k: 'daddr'; addr: string; invert?: boolean }
  | { k: 'dport'; protocol: string; port: string }
  | { k: 'proto'; value: string }
  | { k: 'icmp-type'; family: 'ipv4' | 'ipv6'; name: string }
  /** The source is not reachable back through the input interface (strict reverse path, IPv6). */
  | { k: 'rpfilter-fails' }
  /** The connection's original destination port (a forward-port's accept with StrictForwardPorts=yes). */
  | { k: 'ct-orig-dport'; port: string };

export type PlanVerdict =
  | { kind: 'accept' }
  | { kind: 'drop' }
  /** firewalld's own reject: nft `reject with icmpx admin-prohibited`; iptables `%%REJECT%%` (icmp-host-prohibited). */
  | { kind: 'reject-default' }
  /** A zone target rule; iptables prints it as plain `-j REJECT` (ipXtables.py build_zone_target_rules). */
  | { kind: 'reject-zone' }
  /** A rich rule's `<reject/>` without a type: port-unreachable (nft `reject`, iptables `-j REJECT`). */
  | { kind: 'reject-plain' }
  /** A typed reject (rich rule `reject type="icmp-host-prohibited"`). */
  | { kind: 'reject-typed'; type: string }
  | { kind: 'jump'; chain: string }
  /** nft `goto` / iptables `-g`: the zone dispatch of firewalld 1.x. */
  | { kind: 'goto'; chain: string }
  /** Back to the calling chain (the nat/mangle/OUTPUT dispatch of firewalld 2.x). */
  | { kind: 'return' }
  | { kind: 'masquerade' }
  /** A forward-port with to-addr (to-port kept when given). */
  | { kind: 'dnat'; family: 'ipv4' | 'ipv6'; addr: string; port?: string }
  /** A forward-port without to-addr: to the host's own port. */
  | { kind: 'redirect'; port: string }
  | { kind: 'log'; prefix: string };

export type PlanTable = 'filter' | 'nat' | 'mangle' | 'raw' | 'security';

export interface PlanRule {
  chain: string;
  table?: PlanTable;
  /** Only in this backend's layout (the two differ in a few places). */
  backend?: 'nftables' | 'iptables';
  /** Where the iptables backend puts the rule when not in the same-named table (IPv6_rpfilter: mangle). */
  iptablesTable?: 'mangle';
  /** Only for this family (addresses, ICMP types, rich rule family). */
  family?: 'ipv4' | 'ipv6';
  /** nft lists no `meta nfproto` although `family` picks the iptables backend (a rich forward-port without family). */
  nftNoFamily?: boolean;
  match: PlanMatch[];
  verdict: PlanVerdict;
  reason: string;
  file?: string;
  line?: number;
}

const familyOf = (addr: string): 'ipv4' | 'ipv6' => (addr.includes(':') ? 'ipv6' : 'ipv4');

// firewalld's icmptypes: which exist for IPv4, IPv6 or both (an icmp-block
// rejects the type in each family it exists in: real 1.3.3 and 2.3.1 list
// `icmp type echo-request …` and `icmpv6 type echo-request …`).
const ICMP_BOTH = new Set(['echo-request', 'echo-reply', 'destination-unreachable', 'time-exceeded', 'parameter-problem', 'redirect', 'router-advertisement', 'router-solicitation']);
const ICMP_V6_ONLY = /^(packet-too-big|neighbour-|mld-|beyond-scope|failed-policy|reject-route|communication-prohibited|address-unreachable|port-unreachable|no-route|bad-header|unknown-)/;
export function icmpFamilies(name: string): ('ipv4' | 'ipv6')[] {
  if (ICMP_BOTH.has(name)) return ['ipv4', 'ipv6'];
  return ICMP_V6_ONLY.test(name) ? ['ipv6'] : ['ipv4'];
}

function serviceRules(set: FirewalldRuleSet, chain: string, extra: PlanMatch[], family: 'ipv4' | 'ipv6' | undefined, name: string, why: string, line: number): PlanRule[] {
  const def = FIREWALLD_SERVICES[name];
  if (!def) return [];
  const out: PlanRule[] = [];
  for (const port of def.ports) {
    const fams: ('ipv4' | 'ipv6' | undefined)[] = def.destination ? (['ipv4', 'ipv6'] as const).filter((f) => def.destination?.[f] && (!family || family === f)) : [family];
    for (const f of fams) {
      const dest: PlanMatch[] = f && def.destination?.[f] ? [{ k: 'daddr', addr: def.destination[f] as string }] : [];
      out.push({ chain, ...(f ? { family: f } : {}), match: [...extra, ...dest, { k: 'dport', protocol: port.protocol, port: port.port }], verdict: { kind: 'accept' }, reason: why, file: set.file, line });
    }
  }
  for (const p of def.protocols ?? []) out.push({ chain, ...(family ? { family } : {}), match: [...extra, { k: 'proto', value: p }], verdict: { kind: 'accept' }, reason: why, file: set.file, line });
  return out;
}

function richRules(set: FirewalldRuleSet, prefix: string, r: RichRule): PlanRule[] {
  const match: PlanMatch[] = [];
  let family = r.family;
  if (r.source?.address) {
    match.push({ k: 'saddr', addr: r.source.address, invert: r.source.invert });
    family = family ?? familyOf(r.source.address);
  }
  if (r.destination?.address) {
    match.push({ k: 'daddr', addr: r.destination.address, invert: r.destination.invert });
    family = family ?? familyOf(r.destination.address);
  }
  const why = `${set.file} line ${r.line}: ${r.text}`;
  const bucket = r.priority < 0 ? 'pre' : r.priority > 0 ? 'post' : r.action?.kind === 'accept' ? 'allow' : r.action ? 'deny' : 'log';
  const chain = `${prefix}_${bucket}`;
  const verdict = (): PlanVerdict | null => {
    if (!r.action) return null;
    if (r.action.kind === 'accept') return { kind: 'accept' };
    if (r.action.kind === 'drop') return { kind: 'drop' };
    // `<reject/>` without a type is the kernel's default port-unreachable
    // (real firewalld 1.3.3: nft `reject with icmp port-unreachable`, iptables
    // `-j REJECT`), not firewalld's own admin-prohibited.
    return r.action.type ? { kind: 'reject-typed', type: r.action.type } : { kind: 'reject-plain' };
  };
  const base = (m: PlanMatch[], v: PlanVerdict): PlanRule => ({ chain, ...(family ? { family } : {}), match: m, verdict: v, reason: why, file: set.file, line: r.line });
  const out: PlanRule[] = [];
  if (r.log) out.push({ ...base(match, { kind: 'log', prefix: r.log.prefix ?? '' }), chain: `${prefix}_${r.priority < 0 ? 'pre' : r.priority > 0 ? 'post' : 'log'}` });
  const e = r.element;
  // Forward-ports are nat rules (firewalldForwardPorts.ts), masquerade is not modelled as a rich rule.
  if (e?.kind === 'forward-port' || e?.kind === 'masquerade') return [];
  const v = verdict();
  if (!e) {
    if (v) out.push(base(match, v));
  } else if (e.kind === 'service') {
    if (v) for (const s of serviceRules(set, chain, match, family, e.name, why, r.line)) out.push({ ...s, verdict: v });
  } else if (e.kind === 'port') {
    if (v) out.push(base([...match, { k: 'dport', protocol: e.protocol, port: e.port }], v));
  } else if (e.kind === 'protocol') {
    if (v) out.push(base([...match, { k: 'proto', value: e.value }], v));
  } else if (e.kind === 'icmp-type' || e.kind === 'icmp-block') {
    const f = family ?? 'ipv4';
    out.push(base([...match, { k: 'icmp-type', family: f, name: e.name }], e.kind === 'icmp-block' ? { kind: 'reject-default' } : (v ?? { kind: 'accept' })));
  }
  return out;
}

/** Services, ports, protocols, ICMP blocks and rich rules of a zone or policy. */
export function zoneRuleSetRules(set: FirewalldRuleSet, prefix: string, direction: 'input' | 'forward', v1: boolean, sortRich = false): PlanRule[] {
  const out: PlanRule[] = [];
  const allow = `${prefix}_allow`;
  const what = 'target' in set && 'interfaces' in set ? `zone ${set.name}` : `policy ${set.name}`;
  for (const s of set.services) out.push(...serviceRules(set, allow, [], undefined, s.value, `${what}: service ${s.value} (${set.file} line ${s.line})`, s.line));
  for (const p of set.ports) out.push({ chain: allow, match: [{ k: 'dport', protocol: p.value.protocol, port: p.value.port }], verdict: { kind: 'accept' }, reason: `${what}: port ${p.value.port}/${p.value.protocol} (${set.file} line ${p.line})`, file: set.file, line: p.line });
  for (const p of set.protocols) out.push({ chain: allow, match: [{ k: 'proto', value: p.value }], verdict: { kind: 'accept' }, reason: `${what}: protocol ${p.value} (${set.file} line ${p.line})`, file: set.file, line: p.line });
  // ICMP blocks apply to input only from firewalld 1.0 on (release notes 1.0.0).
  if (direction === 'input' || !v1) {
    for (const b of set.icmpBlocks) {
      for (const family of icmpFamilies(b.value)) out.push({ chain: `${prefix}_deny`, family, match: [{ k: 'icmp-type', family, name: b.value }], verdict: { kind: 'reject-default' }, reason: `${what}: icmp-block ${b.value} (${set.file} line ${b.line})`, file: set.file, line: b.line });
    }
  }
  // firewalld 2.x keeps rich rules as a set and lists them sorted (allow-host-ipv6's
  // redirect before router-advertisement, real 2.3.1); 1.x in file order.
  const rich = sortRich ? [...set.richRules].sort((a, b) => a.priority - b.priority || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0)) : [...set.richRules].sort((a, b) => a.priority - b.priority);
  for (const r of rich) out.push(...richRules(set, prefix, r));
  return out;
}

/** The ingress zone's target at the end of a dispatch chain. */
export function zoneTargetRule(z: FirewalldZone, chain: string, v1: boolean): PlanRule | null {
  const why = `zone ${z.name} target ${z.target === 'default' ? 'default' : z.target} (${z.file} line ${z.targetLine})`;
  if (z.target === 'ACCEPT') return { chain, match: [], verdict: { kind: 'accept' }, reason: why };
  if (z.target === 'DROP') return { chain, match: [], verdict: { kind: 'drop' }, reason: why };
  if (z.target === 'default' && !v1) return null;
  return { chain, match: [], verdict: { kind: 'reject-zone' }, reason: why };
}

export function policyTargetRule(p: FirewalldPolicy, chain: string): PlanRule | null {
  const why = `policy ${p.name} target ${p.target} (${p.file} line ${p.targetLine})`;
  if (p.target === 'ACCEPT') return { chain, match: [], verdict: { kind: 'accept' }, reason: why };
  if (p.target === 'DROP') return { chain, match: [], verdict: { kind: 'drop' }, reason: why };
  if (p.target === 'REJECT') return { chain, match: [], verdict: { kind: 'reject-default' }, reason: why };
  return null;
}
