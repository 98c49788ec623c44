// Random but reproducible router rulesets for the kernel agreement suite: from a
// seed, iptables-save text (iptables-nft, ip6tables-nft, iptables-legacy,
// ip6tables-legacy) and nft tables, using every feature the engine must get
// right: user chains, jump/goto/RETURN, policies, conntrack, every REJECT kind,
// multiport, iprange, LOG (+limit), MARK, NOTRACK, addrtype, physdev, IPv6, nft
// multi-table priorities where an accept in one table meets a drop in another,
// and legacy + nft together. Only matches the probes can decide are used (the
// conditional outcomes are covered by unit tests).

import type { NftChain, NftRuleset, NftStatement, NftTable, NftValue } from '../../shared/netfilter/model.ts';

export interface RouterNames {
  /** Router interface towards the client / the server. */
  rc: string;
  rs: string;
}

export interface GeneratedCase {
  seed: number;
  kind: string;
  legacy4: string | null;
  legacy6: string | null;
  iptNft4: string | null;
  iptNft6: string | null;
  nft: NftRuleset | null;
}

/** mulberry32: small, seedable, good enough for test generation. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const chance = (r: Rand, p: number): boolean => r() < p;

/** Ports with a listener (server 80/443/22 tcp, 53 udp; router 22 tcp, 5353 udp) and closed ones the probes use. */
export const SERVER_TCP = [80, 443, 22];
export const SERVER_UDP = [53];
export const ROUTER_TCP = [22];
export const ROUTER_UDP = [5353];

const NETS4 = ['10.9.1.0/24', '10.9.2.0/24', '10.9.1.2/32', '10.9.2.2/32', '10.9.0.0/16', '192.0.2.0/24', '10.9.2.1/32', '10.9.1.1/32'];
const NETS6 = ['fd09:1::/64', 'fd09:2::/64', 'fd09:1::2/128', 'fd09:2::2/128', 'fd09::/16', '2001:db8::/32', 'fd09:2::1/128'];
const PORTS = [22, 53, 80, 81, 443, 5353, 23, 54];
const REJECT4 = ['icmp-net-unreachable', 'icmp-host-unreachable', 'icmp-port-unreachable', 'icmp-proto-unreachable', 'icmp-net-prohibited', 'icmp-host-prohibited', 'icmp-admin-prohibited'];
const REJECT6 = ['icmp6-no-route', 'icmp6-adm-prohibited', 'icmp6-addr-unreachable', 'icmp6-port-unreachable'];

type Hookish = 'INPUT' | 'FORWARD' | 'OUTPUT' | 'PREROUTING' | 'POSTROUTING' | 'user';

function iptMatches(r: Rand, v6: boolean, where: Hookish, names: RouterNames): { text: string; proto: string | null } {
  const parts: string[] = [];
  const nets = v6 ? NETS6 : NETS4;
  if (chance(r, 0.3)) parts.push(`${chance(r, 0.2) ? '! ' : ''}-s ${pick(r, nets)}`);
  if (chance(r, 0.3)) parts.push(`${chance(r, 0.2) ? '! ' : ''}-d ${pick(r, nets)}`);
  const canIn = where === 'INPUT' || where === 'FORWARD' || where === 'PREROUTING';
  const canOut = where === 'OUTPUT' || where === 'FORWARD' || where === 'POSTROUTING';
  if (canIn && chance(r, 0.35)) parts.push(`${chance(r, 0.2) ? '! ' : ''}-i ${pick(r, [names.rc, names.rs, 'vw+', 'lo'])}`);
  if (canOut && chance(r, 0.3)) parts.push(`${chance(r, 0.2) ? '! ' : ''}-o ${pick(r, [names.rc, names.rs, 'eth+'])}`);
  let proto: string | null = null;
  if (chance(r, 0.55)) {
    proto = pick(r, ['tcp', 'udp', v6 ? 'ipv6-icmp' : 'icmp']);
    parts.push(`-p ${proto}`);
    if (proto === 'tcp' || proto === 'udp') {
      const kind = r();
      if (kind < 0.35) parts.push(`-m ${proto} ${chance(r, 0.15) ? '! ' : ''}--dport ${pick(r, PORTS)}`);
      else if (kind < 0.5) parts.push(`-m ${proto} --dport ${pick(r, ['20:25', '50:90', '1024:65535'])}`);
      else if (kind < 0.7) parts.push(`-m multiport ${chance(r, 0.15) ? '! ' : ''}--dports ${pick(r, ['22,80', '53,443,5353', '80:90,22', '23,54'])}`);
      else if (kind < 0.78) parts.push(`-m ${proto} --sport ${pick(r, ['1024:65535', '0:1023'])}`);
      if (proto === 'tcp' && chance(r, 0.15)) parts.push(pick(r, ['-m tcp --syn', '-m tcp --tcp-flags SYN,ACK SYN,ACK', '-m tcp ! --tcp-flags FIN,SYN,RST,ACK SYN']));
    } else if (chance(r, 0.5)) {
      parts.push(v6 ? `-m icmp6 --icmpv6-type ${pick(r, ['128', 'echo-request', '129', 'destination-unreachable'])}` : `-m icmp --icmp-type ${pick(r, ['8', 'echo-request', '0', '3'])}`);
    }
  }
  if (chance(r, 0.3)) parts.push(`-m conntrack ${chance(r, 0.1) ? '! ' : ''}--ctstate ${pick(r, ['NEW', 'ESTABLISHED', 'RELATED,ESTABLISHED', 'INVALID', 'NEW,ESTABLISHED', 'UNTRACKED'])}`);
  else if (chance(r, 0.08)) parts.push(`-m state --state ${pick(r, ['ESTABLISHED', 'NEW', 'RELATED,ESTABLISHED'])}`);
  if (chance(r, 0.1)) {
    const range = v6 ? pick(r, ['fd09:1::1-fd09:1::ff', 'fd09:2::2-fd09:2::9']) : pick(r, ['10.9.1.1-10.9.1.9', '10.9.2.2-10.9.2.2', '10.9.2.3-10.9.2.200']);
    parts.push(`-m iprange ${chance(r, 0.2) ? '! ' : ''}--${pick(r, ['src-range', 'dst-range'])} ${range}`);
  }
  if (chance(r, 0.06)) parts.push(`-m addrtype --dst-type ${pick(r, ['LOCAL', 'UNICAST'])}`);
  if (chance(r, 0.05)) parts.push(`-m pkttype --pkt-type ${pick(r, ['unicast', 'broadcast'])}`);
  if (chance(r, 0.05) && where !== 'OUTPUT') parts.push(`-m physdev ${chance(r, 0.5) ? '! ' : ''}--physdev-is-bridged`);
  if (chance(r, 0.08)) parts.push(`-m mark --mark ${pick(r, ['0x1', '0x2/0xff'])}`);
  if (chance(r, 0.08)) parts.push(`-m comment --comment "${pick(r, ['allow web', 'libvirt', 'rule'])}"`);
  return { text: parts.join(' '), proto };
}

function iptTarget(r: Rand, v6: boolean, proto: string | null, users: string[], canReject: boolean, isUser: boolean): string {
  const x = r();
  if (x < 0.25) return '-j ACCEPT';
  if (x < 0.37) return '-j DROP';
  if (x < 0.6 && canReject) {
    if (proto === 'tcp' && chance(r, 0.3)) return '-j REJECT --reject-with tcp-reset';
    return chance(r, 0.2) ? '-j REJECT' : `-j REJECT --reject-with ${pick(r, v6 ? REJECT6 : REJECT4)}`;
  }
  if (x < 0.72 && users.length > 0) return `${chance(r, 0.25) ? '-g' : '-j'} ${pick(r, users)}`;
  if (x < 0.8 && isUser) return '-j RETURN';
  if (x < 0.86) return chance(r, 0.5) ? '-j LOG --log-prefix "vw "' : '-m limit --limit 5/min -j LOG';
  if (x < 0.9) return chance(r, 0.3) ? '-j RETURN' : '';
  return '-j ACCEPT';
}

/** One filter table (+ sometimes mangle MARK and raw NOTRACK) as iptables-save text. */
function iptablesText(r: Rand, v6: boolean, names: RouterNames): string {
  const users = Array.from({ length: Math.floor(r() * 4) }, (_, i) => `U${i + 1}`);
  const lines: string[] = [];
  if (chance(r, 0.15)) {
    // ICMP both ways untracked: replies are untracked too, so the state is predictable.
    lines.push('*raw', ':PREROUTING ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', `-A PREROUTING -p ${v6 ? 'ipv6-icmp' : 'icmp'} -j CT --notrack`, 'COMMIT');
  }
  if (chance(r, 0.2)) {
    lines.push('*mangle', ':PREROUTING ACCEPT [0:0]', ':INPUT ACCEPT [0:0]', ':FORWARD ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', ':POSTROUTING ACCEPT [0:0]');
    lines.push(`-A PREROUTING -i ${names.rc} ${pick(r, ['-p tcp', '-p udp', ''])} -j MARK --set-xmark ${pick(r, ['0x1/0xffffffff', '0x2/0xff'])}`.replace(/\s+/g, ' '));
    if (chance(r, 0.4)) lines.push(`-A FORWARD -m mark --mark 0x1 -j ${pick(r, ['ACCEPT', 'DROP'])}`);
    lines.push('COMMIT');
  }
  lines.push('*filter');
  for (const c of ['INPUT', 'FORWARD', 'OUTPUT']) lines.push(`:${c} ${chance(r, c === 'OUTPUT' ? 0.2 : 0.4) ? 'DROP' : 'ACCEPT'} [0:0]`);
  for (const u of users) lines.push(`:${u} - [0:0]`);
  const rule = (chain: string, where: Hookish, later: string[]): void => {
    const m = iptMatches(r, v6, where, names);
    const t = iptTarget(r, v6, m.proto, later, true, where === 'user');
    lines.push(`-A ${chain} ${m.text} ${t}`.replace(/\s+/g, ' ').trim());
  };
  for (const c of ['FORWARD', 'INPUT', 'OUTPUT'] as const) {
    if (chance(r, 0.5)) lines.push(`-A ${c} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`);
    const n = Math.floor(r() * (c === 'OUTPUT' ? 3 : 6));
    for (let i = 0; i < n; i++) rule(c, c, users);
  }
  users.forEach((u, i) => {
    const n = 1 + Math.floor(r() * 4);
    for (let k = 0; k < n; k++) rule(u, 'user', users.slice(i + 1));
  });
  lines.push('COMMIT', '');
  return lines.join('\n');
}

// ------------------------------------------------------------------ nft

const lit = (text: string): NftValue => ({ kind: 'literal', text });
const q = (s: string): NftValue => lit(`"${s}"`);

/** One rule's matches; `fam` is the family its address/ICMP matches use (one per rule: nft refuses ip and ip6 together). */
function nftMatch(r: Rand, fam: 'ip' | 'ip6', names: RouterNames, hook: string): NftStatement[] {
  const out: NftStatement[] = [];
  const nets = fam === 'ip' ? NETS4 : NETS6;
  const prefix = (n: string): NftValue => {
    const [a, l] = n.split('/');
    return (fam === 'ip' && l === '32') || (fam === 'ip6' && l === '128') ? lit(a) : { kind: 'prefix', address: a, length: Number(l) };
  };
  if (chance(r, 0.3)) out.push({ kind: 'match', left: { kind: 'payload', protocol: fam, field: pick(r, ['saddr', 'daddr']) }, op: chance(r, 0.2) ? '!=' : 'implicit', right: chance(r, 0.25) ? { kind: 'set', elements: [prefix(pick(r, nets)), prefix(pick(r, nets))] } : prefix(pick(r, nets)) });
  if (hook !== 'output' && chance(r, 0.3)) out.push({ kind: 'match', left: { kind: 'meta', key: 'iifname' }, op: chance(r, 0.2) ? '!=' : 'implicit', right: chance(r, 0.2) ? q('vw*') : q(pick(r, [names.rc, names.rs])) });
  if (hook !== 'input' && chance(r, 0.25)) out.push({ kind: 'match', left: { kind: 'meta', key: 'oifname' }, op: 'implicit', right: q(pick(r, [names.rc, names.rs])) });
  if (chance(r, 0.5)) {
    const proto = pick(r, ['tcp', 'udp', 'icmp']);
    if (proto === 'icmp') {
      out.push({ kind: 'match', left: { kind: 'payload', protocol: fam === 'ip6' ? 'icmpv6' : 'icmp', field: 'type' }, op: 'implicit', right: lit(pick(r, ['echo-request', 'echo-reply'])) });
    } else if (chance(r, 0.3)) {
      out.push({ kind: 'match', left: { kind: 'meta', key: 'l4proto' }, op: 'implicit', right: chance(r, 0.5) ? lit(proto) : { kind: 'set', elements: [lit('tcp'), lit('udp')] } });
      if (chance(r, 0.5)) out.push({ kind: 'match', left: { kind: 'payload', protocol: 'th', field: 'dport' }, op: 'implicit', right: lit(String(pick(r, PORTS))) });
    } else {
      const ports = chance(r, 0.4) ? { kind: 'set' as const, elements: [lit(String(pick(r, PORTS))), lit(String(pick(r, PORTS)))] } : chance(r, 0.2) ? { kind: 'range' as const, from: '50', to: '90' } : lit(String(pick(r, PORTS)));
      out.push({ kind: 'match', left: { kind: 'payload', protocol: proto, field: 'dport' }, op: chance(r, 0.15) ? '!=' : 'implicit', right: ports });
    }
  }
  if (chance(r, 0.3)) out.push({ kind: 'match', left: { kind: 'ct', key: 'state' }, op: chance(r, 0.1) ? '!=' : 'implicit', right: { kind: 'flags', items: pick(r, [['established', 'related'], ['new'], ['invalid'], ['established']]) } });
  if (chance(r, 0.2)) out.push({ kind: 'counter' });
  return out;
}

function nftVerdict(r: Rand, families: ('ip' | 'ip6')[], fam: 'ip' | 'ip6', regular: string[], canReject: boolean, statements: NftStatement[]): NftStatement[] {
  const x = r();
  if (x < 0.28) return [{ kind: 'verdict', verdict: 'accept' }];
  if (x < 0.42) return [{ kind: 'verdict', verdict: 'drop' }];
  if (x < 0.62 && canReject) {
    const inet = families.length === 2;
    const y = r();
    if (y < 0.2) return [{ kind: 'reject' }];
    // icmpx ("abstracted ICMP unreachable") exists only in inet/bridge tables; nft refuses it elsewhere.
    if (y < 0.45 && inet) return [{ kind: 'reject', withType: 'icmpx', code: pick(r, ['no-route', 'port-unreachable', 'host-unreachable', 'admin-prohibited']) }];
    if (y < 0.6) {
      const tcp = statements.some((s) => s.kind === 'match' && ((s.left.kind === 'payload' && s.left.protocol === 'tcp') || (s.left.kind === 'meta' && s.left.key === 'l4proto' && s.right.kind === 'literal' && s.right.text === 'tcp')));
      if (tcp || inet) return [...(inet && !tcp ? [{ kind: 'match', left: { kind: 'meta', key: 'l4proto' }, op: 'implicit', right: lit('tcp') } as NftStatement] : []), { kind: 'reject', withType: 'tcp reset' }];
    }
    const v6 = fam === 'ip6';
    return [{ kind: 'reject', withType: v6 ? 'icmpv6' : 'icmp', code: v6 ? pick(r, ['no-route', 'admin-prohibited', 'addr-unreachable', 'port-unreachable']) : pick(r, ['net-unreachable', 'host-unreachable', 'prot-unreachable', 'port-unreachable', 'net-prohibited', 'host-prohibited', 'admin-prohibited']) }];
  }
  if (x < 0.75 && regular.length > 0) return [{ kind: 'verdict', verdict: chance(r, 0.25) ? 'goto' : 'jump', chain: pick(r, regular) }];
  if (x < 0.82) return [{ kind: 'verdict', verdict: 'return' }];
  if (x < 0.88) return [{ kind: 'log', prefix: 'vw ' }];
  return [{ kind: 'verdict', verdict: 'accept' }];
}

function nftTable(r: Rand, index: number, names: RouterNames, priorities: number[]): NftTable {
  const family = pick(r, ['ip', 'ip6', 'inet', 'inet'] as const);
  const families: ('ip' | 'ip6')[] = family === 'inet' ? ['ip', 'ip6'] : [family];
  const regular = Array.from({ length: Math.floor(r() * 3) }, (_, i) => `r${i + 1}`);
  const chains: NftChain[] = [];
  const hooks: ('forward' | 'input' | 'output')[] = ['forward', ...(chance(r, 0.5) ? ['input' as const] : []), ...(chance(r, 0.3) ? ['output' as const] : [])];
  for (const hook of hooks) {
    const priority = pick(r, priorities);
    const rules: NftStatement[][] = [];
    if (chance(r, 0.4)) rules.push([{ kind: 'match', left: { kind: 'ct', key: 'state' }, op: 'implicit', right: { kind: 'flags', items: ['established', 'related'] } }, { kind: 'verdict', verdict: 'accept' }]);
    const n = Math.floor(r() * 5);
    for (let i = 0; i < n; i++) {
      const fam = pick(r, families);
      const m = nftMatch(r, fam, names, hook);
      rules.push([...m, ...nftVerdict(r, families, fam, regular, true, m)]);
    }
    chains.push({ name: `${hook}_${index}`, base: { type: 'filter', hook, priority, priorityText: String(priority), policy: chance(r, hook === 'output' ? 0.15 : 0.35) ? 'drop' : 'accept' }, rules: rules.map((statements) => ({ statements })) });
  }
  if (chance(r, 0.2)) {
    // Before conntrack (priority raw < -200) every packet reads as ct state invalid: this drop must never
    // hit a reply, and `invalid` marks are set on every packet (nft_ct.c: no conntrack entry yet).
    chains.push({
      name: `raw_${index}`,
      base: { type: 'filter', hook: 'prerouting', priority: -300, priorityText: 'raw', policy: 'accept' },
      rules: [
        { statements: [{ kind: 'match', left: { kind: 'ct', key: 'state' }, op: 'implicit', right: { kind: 'flags', items: ['established', 'related'] } }, { kind: 'verdict', verdict: 'drop' }] },
        { statements: [{ kind: 'match', left: { kind: 'ct', key: 'state' }, op: 'implicit', right: { kind: 'flags', items: ['invalid'] } }, { kind: 'set-key', target: { kind: 'meta', key: 'mark' }, value: '0x00000001' }] },
      ],
    });
  }
  regular.forEach((name, i) => {
    const rules: NftStatement[][] = [];
    const n = 1 + Math.floor(r() * 3);
    for (let k = 0; k < n; k++) {
      // Regular chains may be reached from input/output too: no interface matches here.
      const fam = pick(r, families);
      const m = nftMatch(r, fam, names, 'output').filter((s) => !(s.kind === 'match' && s.left.kind === 'meta' && s.left.key.endsWith('ifname')));
      rules.push([...m, ...nftVerdict(r, families, fam, regular.slice(i + 1), true, m)]);
    }
    chains.push({ name, rules: rules.map((statements) => ({ statements })) });
  });
  return { family, name: `t${index}`, chains, sets: [] };
}

function nftRuleset(r: Rand, names: RouterNames, tables: number): NftRuleset {
  const priorities = [-10, 0, 0, 5, 10, -5];
  return { kind: 'nft', tables: Array.from({ length: tables }, (_, i) => nftTable(r, i, names, priorities)) };
}

const KINDS = ['iptables-nft', 'iptables-nft+ip6tables-nft', 'nft multi-table', 'iptables-nft+nft', 'legacy+iptables-nft', 'legacy+nft', 'ip6tables-nft+nft', 'legacy4+legacy6+nft'] as const;

export function generateCase(seed: number, names: RouterNames): GeneratedCase {
  const r = rng(seed * 7919 + 17);
  const kind = KINDS[seed % KINDS.length];
  const c: GeneratedCase = { seed, kind, legacy4: null, legacy6: null, iptNft4: null, iptNft6: null, nft: null };
  switch (kind) {
    case 'iptables-nft': c.iptNft4 = iptablesText(r, false, names); break;
    case 'iptables-nft+ip6tables-nft': c.iptNft4 = iptablesText(r, false, names); c.iptNft6 = iptablesText(r, true, names); break;
    case 'nft multi-table': c.nft = nftRuleset(r, names, 2 + Math.floor(r() * 2)); break;
    case 'iptables-nft+nft': c.iptNft4 = iptablesText(r, false, names); c.nft = nftRuleset(r, names, 1); break;
    case 'legacy+iptables-nft': c.legacy4 = iptablesText(r, false, names); c.iptNft4 = iptablesText(r, false, names); break;
    case 'legacy+nft': c.legacy4 = iptablesText(r, false, names); c.nft = nftRuleset(r, names, 1 + Math.floor(r() * 2)); break;
    case 'ip6tables-nft+nft': c.iptNft6 = iptablesText(r, true, names); c.nft = nftRuleset(r, names, 1); break;
    case 'legacy4+legacy6+nft': c.legacy4 = iptablesText(r, false, names); c.legacy6 = iptablesText(r, true, names); c.nft = nftRuleset(r, names, 1); break;
  }
  return c;
}
