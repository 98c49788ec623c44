import { describe, expect, it } from 'vitest';
import { parseNft } from '../nft/parseNft.ts';
import { compileHost } from './compileHost.ts';
import { evaluateHook } from './evaluateHook.ts';
import { pkt } from './evalTestkit.testkit.ts';
import type { HookOutcome } from './hookResult.ts';
import type { EvalContext, Hook, Packet } from './packet.ts';

function verdictOf(text: string, hook: Hook, packet: Packet, context?: EvalContext): string {
  const host = compileHost([parseNft(text).ruleset], context ? { context } : {});
  const o: HookOutcome = evaluateHook(host, hook, packet).outcome;
  if (o.kind !== 'final') return o.kind;
  const v = o.verdict;
  return v.kind === 'reject' ? `reject ${v.with.kind === 'icmp' ? `${v.with.family} ${v.with.code}` : 'tcp-reset'}` : v.kind;
}

const V6 = pkt({ family: 'ipv6', src: 'fd00:10::50', dst: 'fd00:90::1' });

describe('nft rulesets', () => {
  it('anonymous sets, prefixes, ranges and port sets', () => {
    const rs = `table inet f {
\tchain forward {
\t\ttype filter hook forward priority filter; policy drop;
\t\tip saddr { 10.0.0.0/8, 192.168.10.0/24 } tcp dport { 22, 443 } accept
\t\tip daddr 192.168.90.1-192.168.90.9 udp dport 50-60 accept
\t}
}
`;
    expect(verdictOf(rs, 'forward', pkt())).toBe('accept');
    expect(verdictOf(rs, 'forward', pkt({ dport: 80 }))).toBe('drop');
    expect(verdictOf(rs, 'forward', pkt({ src: '172.16.0.1', proto: 'udp', dport: 53 }))).toBe('accept');
    expect(verdictOf(rs, 'forward', pkt({ src: '172.16.0.1', proto: 'udp', dport: 61 }))).toBe('drop');
  });

  it('named sets: listed elements decide, a set without known contents is an unknown, EvalContext.sets fills it', () => {
    const rs = `table ip f {
\tset blocked {
\t\ttype ipv4_addr
\t\tflags interval
\t\telements = { 192.168.90.0/24 }
\t}

\tset dyn {
\t\ttype ipv4_addr
\t}

\tchain forward {
\t\ttype filter hook forward priority 0; policy accept;
\t\tip daddr @blocked drop
\t\tip saddr @dyn reject
\t}
}
`;
    expect(verdictOf(rs, 'forward', pkt())).toBe('drop');
    expect(verdictOf(rs, 'forward', pkt({ dst: '203.0.113.10' }))).toBe('conditional');
    expect(verdictOf(rs, 'forward', pkt({ dst: '203.0.113.10' }), { sets: { 'f/dyn': ['192.168.10.0/24'] } })).toBe('reject ipv4 3');
  });

  it('inet tables: reject kinds per family; `reject with icmp` applies to IPv4 only (its implicit dependency)', () => {
    const rs = `table inet f {
\tchain forward {
\t\ttype filter hook forward priority 0; policy accept;
\t\tiifname "virbr3" reject with icmp host-prohibited
\t\tiifname "virbr3" reject with icmpx admin-prohibited
\t}
}
`;
    expect(verdictOf(rs, 'forward', pkt())).toBe('reject ipv4 10');
    expect(verdictOf(rs, 'forward', V6)).toBe('reject ipv6 1');
  });

  it('`th dport` on a packet without ports is undecidable; `tcp dport` simply does not match it', () => {
    const th = 'table ip f {\n\tchain forward {\n\t\ttype filter hook forward priority 0; policy accept;\n\t\tth dport 22 drop\n\t}\n}\n';
    expect(verdictOf(th, 'forward', pkt({ proto: 'icmp', sport: undefined, dport: undefined }))).toBe('conditional');
    const tcp = th.replace('th dport', 'tcp dport');
    expect(verdictOf(tcp, 'forward', pkt({ proto: 'icmp', sport: undefined, dport: undefined }))).toBe('accept');
    expect(verdictOf(tcp, 'forward', pkt({ dport: 22 }))).toBe('drop');
  });

  it('jump/goto/return in regular chains; the base chain policy after a return', () => {
    const rs = `table ip f {
\tchain forward {
\t\ttype filter hook forward priority 0; policy drop;
\t\tjump a
\t\tiifname "virbr3" accept
\t}

\tchain a {
\t\tip saddr 192.168.10.0/24 goto b
\t\treject
\t}

\tchain b {
\t\ttcp dport 443 return
\t\tdrop
\t}
}
`;
    // 443: b returns to forward (goto does not push a): the accept after the jump decides.
    expect(verdictOf(rs, 'forward', pkt())).toBe('accept');
    expect(verdictOf(rs, 'forward', pkt({ dport: 80 }))).toBe('drop');
    expect(verdictOf(rs, 'forward', pkt({ src: '10.1.1.1' }))).toBe('reject ipv4 3');
  });

  it('meta mark set in one chain is seen by a later chain; ct state before conntrack (raw priority) reads invalid', () => {
    const rs = `table ip f {
\tchain pre {
\t\ttype filter hook prerouting priority raw; policy accept;
\t\tct state established drop
\t\tct state invalid meta mark set 0x7
\t}

\tchain pre2 {
\t\ttype filter hook prerouting priority mangle; policy accept;
\t\tmeta mark 0x7 ct state established reject
\t}
}
`;
    expect(verdictOf(rs, 'prerouting', pkt({ ctState: 'ESTABLISHED' }))).toBe('reject ipv4 3');
  });

  it('nat chains of several tables: run in their priority order at the nat hook, the first binding wins', () => {
    const rs = `table ip a {
\tchain post {
\t\ttype nat hook postrouting priority srcnat + 10; policy accept;
\t\tmasquerade
\t}
}
table ip b {
\tchain post {
\t\ttype nat hook postrouting priority srcnat; policy accept;
\t\toifname "eth1" snat to 198.51.100.1
\t}
}
`;
    const host = compileHost([parseNft(rs).ruleset]);
    const o = evaluateHook(host, 'postrouting', pkt()).outcome;
    expect(o.kind === 'final' && o.nat).toMatchObject({ type: 'snat', address: '198.51.100.1' });
    const other = evaluateHook(host, 'postrouting', pkt({ oif: 'eth0' })).outcome;
    expect(other.kind === 'final' && other.nat?.type).toBe('masquerade');
  });
});

describe('dormant tables', () => {
  it('a table with flags dormant decides nothing: its base chain policy drop does not apply', () => {
    const rs = (flags: string) => `table ip f {\n${flags}\tchain forward {\n\t\ttype filter hook forward priority 0; policy drop;\n\t}\n}\n`;
    expect(verdictOf(rs(''), 'forward', pkt())).toBe('drop');
    expect(verdictOf(rs('\tflags dormant\n\n'), 'forward', pkt())).toBe('accept');
  });
});
