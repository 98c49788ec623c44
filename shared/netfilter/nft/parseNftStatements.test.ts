import { describe, expect, test } from 'vitest';
import { parseNft } from './parseNft.ts';
import { formatNftRule } from './printNftRuleset.ts';
import type { NftStatement } from '../model.ts';
import { RulesetParseError } from '../parseError.ts';

/** Statements of a one-rule chain in an inet table (as `nft list ruleset` would show it). */
function statements(rule: string, family = 'inet'): NftStatement[] {
  const { ruleset } = parseNft(`table ${family} t {\n\tchain c {\n\t\t${rule}\n\t}\n}\n`);
  const parsed = ruleset.tables[0].chains[0].rules[0];
  expect(formatNftRule(parsed), 'prints back as written').toBe(rule);
  return parsed.statements;
}

describe('nft statements are structured (and print back verbatim)', () => {
  test('interfaces, addresses with prefixes, ranges, anonymous and named sets', () => {
    expect(statements('iifname "eth*" oifname != "virbr3" iif "lo" oif "eth0" accept')).toEqual([
      { kind: 'match', left: { kind: 'meta', key: 'iifname' }, op: 'implicit', right: { kind: 'literal', text: '"eth*"' } },
      { kind: 'match', left: { kind: 'meta', key: 'oifname' }, op: '!=', right: { kind: 'literal', text: '"virbr3"' } },
      { kind: 'match', left: { kind: 'meta', key: 'iif' }, op: 'implicit', right: { kind: 'literal', text: '"lo"' } },
      { kind: 'match', left: { kind: 'meta', key: 'oif' }, op: 'implicit', right: { kind: 'literal', text: '"eth0"' } },
      { kind: 'verdict', verdict: 'accept' },
    ]);
    expect(statements('ip saddr 192.168.10.0/24 ip daddr 10.0.0.1-10.0.0.9 ip6 saddr { fd00::/64, fd01::1 } ip6 daddr @allowed drop').slice(0, 4).map((s) => (s.kind === 'match' ? s.right : null))).toEqual([
      { kind: 'prefix', address: '192.168.10.0', length: 24 },
      { kind: 'range', from: '10.0.0.1', to: '10.0.0.9' },
      { kind: 'set', elements: [{ kind: 'prefix', address: 'fd00::', length: 64 }, { kind: 'literal', text: 'fd01::1' }] },
      { kind: 'setref', name: 'allowed' },
    ]);
  });

  test('ports, protocols, meta keys, ct, icmp types, fib', () => {
    const s = statements('th dport 53 tcp sport 1024-65535 udp dport { 67, 68 } meta l4proto { tcp, udp } meta nfproto ipv6 meta pkttype broadcast meta mark 0x00000001 ct state established,related ct status dnat icmp type echo-request icmpv6 type { nd-neighbor-solicit, echo-request } fib daddr type local accept');
    const lefts = s.flatMap((x) => (x.kind === 'match' ? [x.left] : []));
    expect(lefts).toEqual([
      { kind: 'payload', protocol: 'th', field: 'dport' },
      { kind: 'payload', protocol: 'tcp', field: 'sport' },
      { kind: 'payload', protocol: 'udp', field: 'dport' },
      { kind: 'meta', key: 'l4proto' },
      { kind: 'meta', key: 'nfproto' },
      { kind: 'meta', key: 'pkttype' },
      { kind: 'meta', key: 'mark' },
      { kind: 'ct', key: 'state' },
      { kind: 'ct', key: 'status' },
      { kind: 'payload', protocol: 'icmp', field: 'type' },
      { kind: 'payload', protocol: 'icmpv6', field: 'type' },
      { kind: 'fib', flags: ['daddr'], result: 'type' },
    ]);
    expect(s[7]).toMatchObject({ right: { kind: 'flags', items: ['established', 'related'] } });
    expect(statements('fib saddr . iif oif missing drop')[0]).toEqual({ kind: 'match', left: { kind: 'fib', flags: ['saddr', 'iif'], result: 'oif' }, op: 'implicit', right: { kind: 'literal', text: 'missing' } });
  });

  test('counter, log, limit, comment, verdicts, reject kinds, nat, queue, notrack, set', () => {
    expect(statements('counter packets 12 bytes 3400 log prefix "DROP: " group 2 level info limit rate over 10/minute burst 5 packets comment "x y" jump other')).toEqual([
      { kind: 'counter', packets: 12, bytes: 3400 },
      { kind: 'log', prefix: 'DROP: ', level: 'info', group: 2 },
      { kind: 'limit', over: true, rate: 10, unit: 'minute', burst: 5, burstUnit: 'packets' },
      { kind: 'comment', text: 'x y' },
      { kind: 'verdict', verdict: 'jump', chain: 'other' },
    ]);
    expect(statements('reject')).toEqual([{ kind: 'reject' }]);
    expect(statements('reject with icmp host-prohibited')).toEqual([{ kind: 'reject', withType: 'icmp', code: 'host-prohibited' }]);
    expect(statements('reject with icmpv6 admin-prohibited')).toEqual([{ kind: 'reject', withType: 'icmpv6', code: 'admin-prohibited' }]);
    expect(statements('reject with icmpx port-unreachable')).toEqual([{ kind: 'reject', withType: 'icmpx', code: 'port-unreachable' }]);
    expect(statements('meta l4proto tcp reject with tcp reset')[1]).toEqual({ kind: 'reject', withType: 'tcp reset' });
    expect(statements('goto x')).toEqual([{ kind: 'verdict', verdict: 'goto', chain: 'x' }]);
    expect(statements('return')).toEqual([{ kind: 'verdict', verdict: 'return' }]);
    expect(statements('queue num 3')).toEqual([{ kind: 'verdict', verdict: 'queue', queueNum: '3' }]);
    expect(statements('masquerade to :1024-65535 random')).toEqual([{ kind: 'nat', type: 'masquerade', to: ':1024-65535', flags: ['random'] }]);
    expect(statements('snat ip to 10.0.0.1-10.0.0.9:1000-2000')).toEqual([{ kind: 'nat', type: 'snat', family: 'ip', to: '10.0.0.1-10.0.0.9:1000-2000' }]);
    expect(statements('tcp dport 80 dnat to 10.0.0.2:8080', 'ip')[1]).toEqual({ kind: 'nat', type: 'dnat', to: '10.0.0.2:8080' });
    expect(statements('redirect to :3128')).toEqual([{ kind: 'nat', type: 'redirect', to: ':3128' }]);
    expect(statements('notrack')).toEqual([{ kind: 'notrack' }]);
    expect(statements('meta mark set 0x00000005 ct mark set meta mark')).toEqual([
      { kind: 'set-key', target: { kind: 'meta', key: 'mark' }, value: '0x00000005' },
      { kind: 'set-key', target: { kind: 'ct', key: 'mark' }, value: 'meta mark' },
    ]);
  });

  test('what cannot be structured is kept verbatim as other, never dropped', () => {
    expect(statements('tcp flags syn / syn,ack counter drop')).toEqual([{ kind: 'other', text: 'tcp flags syn / syn,ack' }, { kind: 'counter' }, { kind: 'verdict', verdict: 'drop' }]);
    expect(statements('meta l4proto tcp counter xt target "CHECKSUM"')[2]).toEqual({ kind: 'other', text: 'xt target "CHECKSUM"' });
    expect(statements('ip saddr . tcp dport { 10.0.0.1 . 22 } accept')[0]).toEqual({ kind: 'other', text: 'ip saddr . tcp dport { 10.0.0.1 . 22 }' });
    expect(statements('ct mark & 0x0000000f == 0x00000001 accept')[0]).toEqual({ kind: 'other', text: 'ct mark & 0x0000000f == 0x00000001' });
  });

  test('a word that starts no nft statement is an error with its position', () => {
    try {
      parseNft('table ip t {\n\tchain c {\n\t\tip saddr 1.2.3.4 acept\n\t\tfrobnicate\n\t}\n}\n');
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(RulesetParseError);
      expect((e as RulesetParseError).problems.map((p) => [p.line, p.column])).toEqual([[3, 20], [4, 3]]);
    }
  });

  test('base chains: named priorities resolved, bridge values differ, nft prints the canonical name', () => {
    const { ruleset } = parseNft('table bridge b {\n\tchain f {\n\t\ttype filter hook forward priority filter + 5; policy drop;\n\t}\n}\ntable ip n {\n\tchain p {\n\t\ttype nat hook postrouting priority srcnat; policy accept;\n\t}\n\n\tchain o {\n\t\ttype nat hook output priority -100; policy accept;\n\t}\n}\n');
    expect(ruleset.tables[0].chains[0].base).toEqual({ type: 'filter', hook: 'forward', priority: -195, priorityText: 'filter + 5', policy: 'drop' });
    expect(ruleset.tables[1].chains[0].base?.priority).toBe(100);
    expect(ruleset.tables[1].chains[1].base?.priorityText).toBe('-100');
  });
});

test('NAT ranges are held and printed as nft 1.1 lists them (checked in a namespace with nft 1.1.3)', () => {
  // libvirt 11.3 writes `snat to A-A:1024-65535` for <address start='A' end='A'/>; nft lists `snat to A:1024-65535`.
  const to = (text: string) => {
    const parsed = parseNft(`table ip t {\n\tchain c {\n\t\tmeta l4proto tcp snat to ${text}\n\t}\n}\n`).ruleset.tables[0].chains[0].rules[0];
    return formatNftRule(parsed).replace('meta l4proto tcp snat to ', '');
  };
  expect(to('198.51.100.40-198.51.100.40:1024-1024')).toBe('198.51.100.40:1024');
  expect(to('198.51.100.40-198.51.100.41:1024-65535')).toBe('198.51.100.40/31:1024-65535');
  expect(to('198.51.100.40-198.51.100.43')).toBe('198.51.100.40/30');
  expect(to('198.51.100.41-198.51.100.42')).toBe('198.51.100.41-198.51.100.42');
  expect(to('198.51.100.40:80-80')).toBe('198.51.100.40:80');
});
