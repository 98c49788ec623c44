// firewalld's base chains and default rules (build_default_rules,
// build_rpfilter_rules, build_rfc3964_ipv4_rules) for both backends, as real
// 1.3.3 and 2.3.1 lay them out:
//  - nftables: mangle/nat PREROUTING, nat POSTROUTING/OUTPUT, filter
//    PREROUTING (IPv6_rpfilter), INPUT, FORWARD, OUTPUT, with the dispatch chains;
//  - iptables: the built-in chains of every table, each first jumping to its
//    `<CHAIN>_direct` chain (the direct interface; mangle all five, security
//    INPUT/FORWARD/OUTPUT, raw PREROUTING/OUTPUT, nat PREROUTING/OUTPUT/POSTROUTING,
//    filter INPUT/FORWARD/OUTPUT after the conntrack/lo/invalid rules), the
//    dispatch also in raw PREROUTING, `RELATED,ESTABLISHED,DNAT` in one conntrack
//    rule (2.x in OUTPUT too; StrictForwardPorts=yes: `RELATED,ESTABLISHED`, then
//    `DNAT -j <CHAIN>_dnat`), IPv6_rpfilter on top of ip6tables mangle
//    PREROUTING, RFC3964_IPv4 as its own ip6tables chain (prefixes in reverse).

import type { PlanContext } from './firewalldPlan.ts';
import type { PlanRule, PlanTable } from './firewalldPlanRules.ts';
import { strictForwardPortAccepts } from './firewalldForwardPorts.ts';

const RFC3964_PREFIXES = ['::/96', '::ffff:0.0.0.0/96', '2002::/24', '2002:a00::/24', '2002:7f00::/24', '2002:a9fe::/32', '2002:ac10::/28', '2002:c0a8::/32', '2002:e000::/19'];
// The order ip6tables-save lists the RFC3964_IPv4 chain in (real 1.3.3 and 2.3.1: firewalld inserts each rule on top).
const RFC3964_IPTABLES_ORDER = ['2002:e000::/19', '2002:a9fe::/32', '2002:c0a8::/32', '2002:ac10::/28', '2002:7f00::/24', '2002:a00::/24', '2002::/24', '::ffff:0.0.0.0/96', '::/96'];
const RFC3964_WHY = 'RFC3964_IPv4=yes (firewalld.conf): no IPv6 to 6to4 addresses of private IPv4 ranges';

export function baseChains(ctx: PlanContext): void {
  const { setup, v2, ipt, chain } = ctx;
  const rule = (r: PlanRule) => ctx.rule(r);
  const dispatchSuffixes = v2 ? ['POLICIES'] : ['POLICIES_pre', 'ZONES', 'POLICIES_post'];
  const entry = v2 ? 'POLICIES' : 'ZONES';
  const dispatchChains = (table: PlanTable, hook: string): void => {
    for (const s of dispatchSuffixes) chain({ name: `${hook}_${s}`, table });
  };
  /** The direct interface's chain of a built-in chain (iptables backend only). */
  const direct = (table: PlanTable, hook: string): void => {
    if (!ipt) return;
    chain({ name: `${hook}_direct`, table });
    rule({ chain: hook, table, match: [], verdict: { kind: 'jump', chain: `${hook}_direct` }, reason: `firewalld: the direct interface's chain (${table} ${hook}_direct)` });
  };

  // IPv6_rpfilter=yes (the default): IPv6 whose source would not be routed back
  // out of the interface it came in by is dropped before anything else —
  // router advertisements and neighbour solicitations excepted. nftables: filter
  // PREROUTING; iptables (no filter PREROUTING): on top of ip6tables mangle PREROUTING.
  const rpfilter = (table: 'filter' | 'mangle'): void => {
    if (!['yes', 'strict'].includes(setup.conf.ipv6Rpfilter)) return;
    const why = `IPv6_rpfilter=${setup.conf.ipv6Rpfilter} (firewalld.conf)`;
    rule({ chain: 'PREROUTING', table, match: [{ k: 'icmp-types', family: 'ipv6', names: ['router-advertisement', 'neighbour-solicitation'] }], verdict: { kind: 'accept' }, reason: `${why}: router advertisements and neighbour solicitations are exempt from the reverse-path check` });
    rule({ chain: 'PREROUTING', table, family: 'ipv6', match: [{ k: 'rpfilter-fails' }], verdict: { kind: 'drop' }, reason: `${why}: IPv6 failing the strict reverse-path check is dropped` });
  };

  chain({ name: 'PREROUTING', table: 'mangle', base: { hook: 'prerouting', type: 'filter', priority: 'mangle + 10' } });
  dispatchChains('mangle', 'PREROUTING');
  if (ipt) rpfilter('mangle');
  direct('mangle', 'PREROUTING');
  rule({ chain: 'PREROUTING', table: 'mangle', match: [], verdict: { kind: 'jump', chain: `PREROUTING_${entry}` }, reason: 'firewalld: zone and policy dispatch (mangle)' });
  if (ipt) {
    for (const hook of ['INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING']) direct('mangle', hook);
    for (const hook of ['INPUT', 'FORWARD', 'OUTPUT']) direct('security', hook);
    dispatchChains('raw', 'PREROUTING');
    direct('raw', 'PREROUTING');
    rule({ chain: 'PREROUTING', table: 'raw', match: [], verdict: { kind: 'jump', chain: `PREROUTING_${entry}` }, reason: 'firewalld: zone and policy dispatch (raw: conntrack helpers)' });
    direct('raw', 'OUTPUT');
  }
  // nat OUTPUT hooks at -90 (NF_IP_PRI_NAT_DST + 10, a number in firewalld's JSON): nft ≥ 1.1 lists it as
  // `dstnat + 10`, but nft 1.0.6 accepts `dstnat` only at prerouting and refuses that text — the number works in both.
  for (const [hook, nftHook, prio] of [['PREROUTING', 'prerouting', 'dstnat + 10'], ['POSTROUTING', 'postrouting', 'srcnat + 10'], ['OUTPUT', 'output', '-90']] as const) {
    chain({ name: hook, table: 'nat', base: { hook: nftHook, type: 'nat', priority: prio } });
    direct('nat', hook);
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

  chain({ name: 'PREROUTING', table: 'filter', base: { hook: 'prerouting', type: 'filter', priority: 'filter + 10' }, backend: 'nftables' });
  for (const [name, hook] of [['INPUT', 'input'], ['FORWARD', 'forward'], ['OUTPUT', 'output']] as const) {
    chain({ name, table: 'filter', base: { hook, type: 'filter', priority: 'filter + 10' } });
  }
  if (!ipt) rpfilter('filter');
  // RFC3964_IPv4=yes: forwarded and outgoing IPv6 to 6to4 (2002::/16) addresses
  // that embed private or special IPv4 ranges, and to IPv4-compatible/-mapped
  // addresses, is rejected with addr-unreachable (nft: an inline set; iptables:
  // a chain of its own, filled by inserting).
  if (ipt && setup.conf.rfc3964Ipv4) {
    chain({ name: 'RFC3964_IPv4', table: 'filter', family: 'ipv6' });
    for (const addr of RFC3964_IPTABLES_ORDER) rule({ chain: 'RFC3964_IPv4', family: 'ipv6', match: [{ k: 'daddr', addr }], verdict: { kind: 'reject-typed', type: 'icmp6-addr-unreachable' }, reason: RFC3964_WHY });
  }
  const rfc3964 = (base: 'FORWARD' | 'OUTPUT'): void => {
    if (!setup.conf.rfc3964Ipv4) return;
    if (ipt) rule({ chain: base, family: 'ipv6', match: [], verdict: { kind: 'jump', chain: 'RFC3964_IPv4' }, reason: RFC3964_WHY });
    else rule({ chain: base, match: [{ k: 'daddr-set', addrs: RFC3964_PREFIXES }], verdict: { kind: 'reject-typed', type: 'icmp6-addr-unreachable' }, reason: RFC3964_WHY });
  };
  // Known connections; DNAT'd packets accepted (StrictForwardPorts=no) or sent to
  // *_dnat, which rejects what no forward-port allowed (StrictForwardPorts=yes, ≥ 2.3).
  // iptables puts DNAT into the conntrack rule (1.x not in OUTPUT).
  const established = (base: 'INPUT' | 'FORWARD' | 'OUTPUT', dnat: boolean): void => {
    const strict = setup.conf.strictForwardPorts;
    if (ipt && dnat && !strict) {
      rule({ chain: base, match: [{ k: 'ct-state', states: ['related', 'established', 'dnat'] }], verdict: { kind: 'accept' }, reason: "firewalld default rule: packets of known connections and every DNAT'd packet (StrictForwardPorts=no)" });
      return;
    }
    rule({ chain: base, match: [{ k: 'ct-state', states: ipt ? ['related', 'established'] : ['established', 'related'] }], verdict: { kind: 'accept' }, reason: 'firewalld default rule: packets of known connections' });
    if (!dnat) return;
    if (strict) {
      for (const r of strictForwardPortAccepts(ctx.forwardPorts, base)) rule(r);
      rule({ chain: `${base}_dnat`, match: [], verdict: { kind: 'reject-default' }, reason: 'StrictForwardPorts=yes: DNAT only to forwarded ports' });
      rule({ chain: base, match: [{ k: 'ct-dnat' }], verdict: { kind: 'jump', chain: `${base}_dnat` }, reason: 'StrictForwardPorts=yes' });
    } else rule({ chain: base, match: [{ k: 'ct-dnat' }], verdict: { kind: 'accept' }, reason: "firewalld default rule: every DNAT'd packet (StrictForwardPorts=no)" });
  };
  for (const base of ['INPUT', 'FORWARD'] as const) {
    established(base, true);
    rule({ chain: base, match: [{ k: 'iif', name: 'lo' }], verdict: { kind: 'accept' }, reason: 'firewalld default rule: loopback' });
    if (setup.conf.logDenied !== 'off') rule({ chain: base, match: [{ k: 'ct-state', states: ['invalid'] }], verdict: { kind: 'log', prefix: 'STATE_INVALID_DROP: ' }, reason: `LogDenied=${setup.conf.logDenied}` });
    rule({ chain: base, match: [{ k: 'ct-state', states: ['invalid'] }], verdict: { kind: 'drop' }, reason: 'firewalld default rule: invalid packets' });
    direct('filter', base);
    if (base === 'FORWARD') rfc3964(base);
    rule({ chain: base, match: [], verdict: { kind: 'jump', chain: `${base}_${entry}` }, reason: 'firewalld: zone and policy dispatch' });
    if (setup.conf.logDenied !== 'off') rule({ chain: base, match: [], verdict: { kind: 'log', prefix: 'FINAL_REJECT: ' }, reason: `LogDenied=${setup.conf.logDenied}` });
    rule({ chain: base, match: [], verdict: { kind: 'reject-default' }, reason: `firewalld final rule of ${base}: nothing in a zone or policy accepted the packet` });
  }
  established('OUTPUT', v2);
  rule({ chain: 'OUTPUT', match: [{ k: 'oif', name: 'lo' }], verdict: { kind: 'accept' }, reason: 'firewalld default rule: loopback' });
  direct('filter', 'OUTPUT');
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
