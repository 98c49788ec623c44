// The neutral firewalld plan rendered for one backend:
//  - nftables: one table `inet firewalld`, chain names `filter_<name>` /
//    `nat_<name>`, hooks at the standard priority + 10 (NFT_HOOK_OFFSET), the
//    final reject `reject with icmpx admin-prohibited` (nftables.py
//    _reject_fragment);
//  - iptables: chains of the same names in each table (the plan already names
//    policy chains without "policy_": POLICY_CHAIN_PREFIX is empty there; a chain
//    with a family only in that family's tables), `%%REJECT%%` = `REJECT --reject-with icmp-host-prohibited`
//    (IPv4) / `icmp6-adm-prohibited` (IPv6), zone target rejects written as plain
//    `-j REJECT` (ipXtables.py build_zone_target_rules), iptables' 28-character
//    chain-name limit handled by shortening with a suffix (not checked against a
//    real name that long).

import type { Family } from '../../netfilter/model.ts';
import type { FirewalldPlan, PlanMatch, PlanRule, PlanVerdict } from './firewalldPlan.ts';

const NFT_ICMPV6: Record<string, string> = {
  'neighbour-advertisement': 'nd-neighbor-advert', 'neighbour-solicitation': 'nd-neighbor-solicit',
  'router-advertisement': 'nd-router-advert', 'router-solicitation': 'nd-router-solicit', redirect: 'nd-redirect',
};
const NFT_REJECT: Record<string, string> = {
  'icmp-host-prohibited': 'icmp host-prohibited', 'icmp-net-prohibited': 'icmp net-prohibited', 'icmp-admin-prohibited': 'icmp admin-prohibited',
  'icmp-port-unreachable': 'icmp port-unreachable', 'icmp-host-unreachable': 'icmp host-unreachable', 'icmp-net-unreachable': 'icmp net-unreachable',
  'icmp-proto-unreachable': 'icmp prot-unreachable', 'icmp6-adm-prohibited': 'icmpv6 admin-prohibited', 'icmp6-port-unreachable': 'icmpv6 port-unreachable',
  'icmp6-addr-unreachable': 'icmpv6 addr-unreachable', 'icmp6-no-route': 'icmpv6 no-route', 'tcp-reset': 'tcp reset',
};

const addrFamily = (a: string): Family => (a.includes(':') ? 'ipv6' : 'ipv4');

function nftMatch(m: PlanMatch): string {
  switch (m.k) {
    case 'ct-state':
      return m.states.length === 1 ? `ct state ${m.states[0]}` : `ct state { ${m.states.join(', ')} }`;
    case 'ct-dnat':
      return 'ct status dnat';
    case 'iif':
      return `iifname "${m.name}"`;
    case 'oif':
      return `oifname ${m.negate ? '!= ' : ''}"${m.name}"`;
    case 'iif-set':
    case 'oif-set':
      return `${m.k === 'iif-set' ? 'iifname' : 'oifname'} { ${m.names.map((n) => `"${n}"`).join(', ')} }`;
    case 'proto-set':
      return `meta l4proto { ${m.values.join(', ')} }`;
    case 'icmp-types':
      return `${m.family === 'ipv4' ? 'icmp' : 'icmpv6'} type { ${m.names.map((n) => (m.family === 'ipv6' ? (NFT_ICMPV6[n] ?? n) : n)).join(', ')} }`;
    case 'daddr-set':
      return `${addrFamily(m.addrs[0]) === 'ipv4' ? 'ip' : 'ip6'} daddr { ${m.addrs.join(', ')} }`;
    case 'saddr':
    case 'daddr':
      return `${addrFamily(m.addr) === 'ipv4' ? 'ip' : 'ip6'} ${m.k} ${m.invert ? '!= ' : ''}${m.addr}`;
    case 'dport':
      return `${m.protocol} dport ${m.port}`;
    case 'proto':
      return `meta l4proto ${m.value === 'icmpv6' ? 'ipv6-icmp' : m.value}`;
    case 'icmp-type':
      return m.family === 'ipv4' ? `icmp type ${m.name}` : `icmpv6 type ${NFT_ICMPV6[m.name] ?? m.name}`;
    case 'rpfilter-fails':
      return 'fib saddr . mark . iif oif missing';
    case 'ct-orig-dport':
      return `ct original proto-dst ${m.port}`;
  }
}

function nftVerdict(v: PlanVerdict, table: string): string {
  switch (v.kind) {
    case 'accept':
    case 'drop':
    case 'masquerade':
      return v.kind;
    case 'reject-default':
    case 'reject-zone':
      return 'reject with icmpx admin-prohibited';
    case 'reject-typed':
      return `reject with ${NFT_REJECT[v.type] ?? 'icmpx admin-prohibited'}`;
    case 'reject-plain':
      return 'reject';
    case 'jump':
      return `jump ${table}_${v.chain}`;
    case 'goto':
      return `goto ${table}_${v.chain}`;
    case 'return':
      return 'return';
    case 'log':
      return `log prefix "${v.prefix}"`;
    case 'dnat':
      // nft brackets an IPv6 address only when a port follows.
      return `dnat ${v.family === 'ipv4' ? 'ip' : 'ip6'} to ${v.port ? `${v.family === 'ipv6' ? `[${v.addr}]` : v.addr}:${v.port}` : v.addr}`;
    case 'redirect':
      return `redirect to :${v.port}`;
  }
}

export interface RenderedNft {
  command: string;
  rule?: PlanRule;
  reason: string;
}

export function renderNft(plan: FirewalldPlan): RenderedNft[] {
  const out: RenderedNft[] = [];
  const t = 'inet firewalld';
  for (const c of plan.chains) {
    if (c.backend === 'iptables') continue;
    const name = `${c.table}_${c.name}`;
    const spec = c.base ? ` { type ${c.base.type} hook ${c.base.hook} priority ${c.base.priority}; policy accept; }` : '';
    out.push({ command: `add chain ${t} ${name}${spec}`, reason: c.base ? `firewalld base chain ${name} (priority ${c.base.priority}: after iptables' chains)` : `firewalld chain ${name}` });
  }
  for (const r of plan.rules) {
    const table = r.table ?? 'filter';
    // nft lists `meta l4proto icmp` without a preceding `meta nfproto ipv4` (it drops that as a
    // dependency); address and ICMP-type matches imply the family as well.
    if (r.backend === 'iptables') continue;
    const implied = r.match.some((m) => ['saddr', 'daddr', 'daddr-set', 'icmp-type', 'icmp-types'].includes(m.k) || (m.k === 'proto' && ['icmp', 'ipv6-icmp', 'icmpv6'].includes(m.value)));
    // A plain reject: nft lists it with the family's port-unreachable, or as bare
    // `reject` (icmpx port-unreachable, the inet default) when the rule has no family.
    const verdict = r.verdict.kind === 'reject-plain' && r.family ? `reject with ${r.family === 'ipv4' ? 'icmp' : 'icmpv6'} port-unreachable` : nftVerdict(r.verdict, table);
    const parts = [...(r.family && !implied && !r.nftNoFamily ? [`meta nfproto ${r.family}`] : []), ...r.match.map(nftMatch), verdict];
    out.push({ command: `add rule ${t} ${table}_${r.chain} ${parts.join(' ')}`, rule: r, reason: r.reason });
  }
  return out;
}

/** iptables allows 28 characters; firewalld shortens longer names with a unique suffix. */
export function iptChainName(name: string): string {
  if (name.length <= 28) return name;
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) >>> 0;
  return `${name.slice(0, 21)}_${h.toString(36).slice(0, 6)}`;
}

const BUILTIN = new Set(['INPUT', 'FORWARD', 'OUTPUT', 'PREROUTING', 'POSTROUTING']);

function iptMatch(m: PlanMatch): string {
  switch (m.k) {
    case 'ct-state':
      return `-m conntrack --ctstate ${m.states.map((s) => s.toUpperCase()).join(',')}`;
    case 'ct-dnat':
      return '-m conntrack --ctstate DNAT';
    case 'iif':
      return `-i ${m.name}`;
    case 'oif':
      return `${m.negate ? '! ' : ''}-o ${m.name}`;
    case 'saddr':
      return `${m.invert ? '! ' : ''}-s ${m.addr}`;
    case 'daddr':
      return `${m.invert ? '! ' : ''}-d ${m.addr}`;
    case 'dport':
      return `-p ${m.protocol} -m ${m.protocol} --dport ${m.port.replace('-', ':')}`;
    case 'proto':
      return `-p ${m.value === 'icmpv6' ? 'ipv6-icmp' : m.value}`;
    case 'icmp-type':
      return m.family === 'ipv4' ? `-p icmp -m icmp --icmp-type ${m.name}` : `-p ipv6-icmp -m icmp6 --icmpv6-type ${m.name}`;
    case 'rpfilter-fails':
      return '-m rpfilter --validmark --invert';
    case 'ct-orig-dport':
      // iptables-save's order of the conntrack options (libxt_conntrack).
      return `-m conntrack --ctstate DNAT --ctorigdstport ${m.port.replace('-', ':')} --ctdir ORIGINAL`;
    case 'iif-set':
    case 'oif-set':
    case 'proto-set':
    case 'icmp-types':
    case 'daddr-set':
      // Expanded into one rule per element by expandSets before rendering.
      throw new Error(`firewalld plan: set match ${m.k} reached the iptables renderer`);
  }
}

/** iptables has no anonymous sets: a rule with a set match becomes one rule per element. */
function expandSets(r: PlanRule): PlanRule[] {
  const i = r.match.findIndex((m) => ['iif-set', 'oif-set', 'proto-set', 'icmp-types', 'daddr-set'].includes(m.k));
  if (i < 0) return [r];
  const m = r.match[i];
  const one = (x: PlanMatch): PlanRule => ({ ...r, match: [...r.match.slice(0, i), x, ...r.match.slice(i + 1)] });
  const parts: PlanMatch[] =
    m.k === 'iif-set' ? m.names.map((name) => ({ k: 'iif', name }))
    : m.k === 'oif-set' ? m.names.map((name) => ({ k: 'oif', name }))
    : m.k === 'proto-set' ? m.values.map((value) => ({ k: 'proto', value }))
    : m.k === 'icmp-types' ? m.names.map((name) => ({ k: 'icmp-type', family: m.family, name }))
    : m.k === 'daddr-set' ? m.addrs.map((addr) => ({ k: 'daddr', addr }))
    : [m];
  return parts.flatMap((x) => expandSets(one(x)));
}

function iptVerdict(v: PlanVerdict, family: Family): string {
  switch (v.kind) {
    case 'accept':
      return '-j ACCEPT';
    case 'drop':
      return '-j DROP';
    case 'masquerade':
      return '-j MASQUERADE';
    case 'reject-default':
      return `-j REJECT --reject-with ${family === 'ipv4' ? 'icmp-host-prohibited' : 'icmp6-adm-prohibited'}`;
    case 'reject-zone':
      return '-j REJECT';
    case 'reject-typed':
      return `-j REJECT --reject-with ${v.type}`;
    case 'reject-plain':
      return '-j REJECT';
    case 'jump':
      return `-j ${iptChainName(v.chain)}`;
    case 'goto':
      return `-g ${iptChainName(v.chain)}`;
    case 'return':
      return '-j RETURN';
    case 'log':
      return `-j LOG --log-prefix "${v.prefix}"`;
    case 'dnat':
      // iptables-save brackets an IPv6 address only when a port follows (libxt_NAT).
      return `-j DNAT --to-destination ${v.port ? `${v.family === 'ipv6' ? `[${v.addr}]` : v.addr}:${v.port}` : v.addr}`;
    case 'redirect':
      return `-j DNAT --to-destination :${v.port}`;
  }
}

/** Which families a rule applies to in the iptables backend. */
function ruleFamilies(r: PlanRule): Family[] {
  const fams = new Set<Family>(r.family ? [r.family] : ['ipv4', 'ipv6']);
  for (const m of r.match) {
    if (m.k === 'saddr' || m.k === 'daddr') for (const f of [...fams]) if (f !== addrFamily(m.addr)) fams.delete(f);
    if (m.k === 'icmp-type') for (const f of [...fams]) if (f !== m.family) fams.delete(f);
    if (m.k === 'daddr-set') for (const f of [...fams]) if (f !== addrFamily(m.addrs[0])) fams.delete(f);
    if (m.k === 'icmp-types') for (const f of [...fams]) if (f !== m.family) fams.delete(f);
    if (m.k === 'proto' && m.value === 'icmp') fams.delete('ipv6');
    if (m.k === 'proto' && (m.value === 'ipv6-icmp' || m.value === 'icmpv6')) fams.delete('ipv4');
  }
  if (r.verdict.kind === 'reject-typed' && r.verdict.type.startsWith('icmp6')) fams.delete('ipv4');
  else if (r.verdict.kind === 'reject-typed' && r.verdict.type.startsWith('icmp-')) fams.delete('ipv6');
  return [...fams];
}

export interface RenderedIpt {
  family: Family;
  args: string;
  rule?: PlanRule;
  reason: string;
}

export function renderIptables(plan: FirewalldPlan): RenderedIpt[] {
  const out: RenderedIpt[] = [];
  for (const family of ['ipv4', 'ipv6'] as const) {
    for (const c of plan.chains) {
      if (BUILTIN.has(c.name) || c.backend === 'nftables' || (c.family && c.family !== family)) continue;
      out.push({ family, args: `${c.table === 'filter' ? '' : `-t ${c.table} `}-N ${iptChainName(c.name)}`, reason: `firewalld chain ${c.name}` });
    }
  }
  for (const r of plan.rules.filter((x) => x.backend !== 'nftables').flatMap(expandSets)) {
    for (const family of ruleFamilies(r)) {
      if ((r.table ?? 'filter') === 'nat' && family === 'ipv6' && r.verdict.kind === 'masquerade') continue;
      const parts = [...r.match.map(iptMatch), iptVerdict(r.verdict, family)];
      const table = r.iptablesTable ?? r.table ?? 'filter';
      out.push({ family, args: `${table === 'filter' ? '' : `-t ${table} `}-A ${iptChainName(r.chain)} ${parts.join(' ')}`, rule: r, reason: r.reason });
    }
  }
  return out;
}
