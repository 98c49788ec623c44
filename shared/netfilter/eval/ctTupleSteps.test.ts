import { describe, expect, it } from 'vitest';
import type { Ruleset } from '../model.ts';
import { parseNft } from '../nft/parseNft.ts';
import { printNftRuleset } from '../nft/printNftRuleset.ts';
import { compileHost } from './compileHost.ts';
import { evaluateHook } from './evaluateHook.ts';
import { ipt, pkt } from './evalTestkit.testkit.ts';
import type { Hook, Packet } from './packet.ts';

function verdict(rulesets: Ruleset[], hook: Hook, packet: Packet): string {
  const o = evaluateHook(compileHost(rulesets), hook, packet).outcome;
  return o.kind === 'final' ? o.verdict.kind : o.kind;
}

// A forward-port as firewalld makes it: 203.0.113.9 asked for 192.168.90.10:2222, DNAT'd to the guest's :22.
const forwarded = (over: Partial<Packet> = {}): Packet => pkt({
  iif: 'eth1', oif: 'virbr3', src: '203.0.113.9', dst: '192.168.10.50', sport: 40000, dport: 22, ctStatus: ['DNAT'],
  ctOriginal: { src: '203.0.113.9', dst: '192.168.90.10', sport: 40000, dport: 2222 },
  ctReply: { src: '192.168.10.50', dst: '203.0.113.9', sport: 22, dport: 40000 },
  ...over,
});

const nftFilter = (family: string, rules: string[]) => parseNft(`table ${family} t {\n\tchain forward_t {\n\t\ttype filter hook forward priority filter; policy accept;\n${rules.map((r) => `\t\t${r}\n`).join('')}\t}\n}\n`).ruleset;
const iptFilter = (rules: string[]) => ipt(`*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n${rules.join('\n')}\nCOMMIT\n`);

describe('nft ct original|reply tuple matches', () => {
  it('firewalld StrictForwardPorts: ct original proto-dst passes the forwarded port, not the port the packet now carries', () => {
    const rs = [nftFilter('inet', ['ct original proto-dst 2222 accept', 'reject with icmpx admin-prohibited'])];
    expect(verdict(rs, 'forward', forwarded())).toBe('accept');
    // A connection somebody else DNAT'd from port 8080 to the same guest port.
    expect(verdict(rs, 'forward', forwarded({ ctOriginal: { src: '203.0.113.9', dst: '192.168.90.10', sport: 40000, dport: 8080 } }))).toBe('reject');
    // Not told the tuple: conditional, never guessed.
    expect(verdict(rs, 'forward', forwarded({ ctOriginal: undefined }))).toBe('conditional');
    // The tuple says the original port, the packet's own dport 22 does not count.
    expect(verdict([nftFilter('inet', ['ct original proto-dst 22 accept', 'drop'])], 'forward', forwarded())).toBe('drop');
  });

  it('without a conntrack entry the expression breaks the rule, == and != alike (nft_ct.c)', () => {
    const rs = [nftFilter('inet', ['ct original proto-dst != 2222 drop', 'ct original proto-dst 2222 drop'])];
    expect(verdict(rs, 'forward', forwarded({ ctState: 'INVALID' }))).toBe('accept');
    expect(verdict(rs, 'forward', forwarded({ ctState: 'UNTRACKED' }))).toBe('accept');
    expect(verdict(rs, 'forward', forwarded())).toBe('drop');
  });

  it('addresses: ip/ip6 saddr|daddr, bare saddr in an ip table, prefixes, sets, ranges; ports by set, range and comparison', () => {
    const rs = [nftFilter('inet', [
      'ct original ip daddr != 192.168.90.10 drop',
      'ct reply ip saddr { 10.0.0.0/8, 192.168.10.40-192.168.10.60 } ct reply proto-src 20-23 accept',
      'drop',
    ])];
    expect(verdict(rs, 'forward', forwarded())).toBe('accept');
    expect(verdict(rs, 'forward', forwarded({ ctReply: { src: '192.168.10.61', dst: '203.0.113.9', sport: 22, dport: 40000 } }))).toBe('drop');
    expect(verdict(rs, 'forward', forwarded({ ctReply: { src: '192.168.10.50', dst: '203.0.113.9', sport: 80, dport: 40000 } }))).toBe('drop');
    expect(verdict(rs, 'forward', forwarded({ ctOriginal: { src: '203.0.113.9', dst: '192.168.90.11', sport: 40000, dport: 2222 } }))).toBe('drop');
    const bare = [nftFilter('ip', ['ct reply daddr 203.0.113.0/24 ct original proto-src { 1024-65535 } ct original proto-dst >= 2000 accept', 'drop'])];
    expect(verdict(bare, 'forward', forwarded())).toBe('accept');
    expect(verdict(bare, 'forward', forwarded({ ctOriginal: { src: '203.0.113.9', dst: '192.168.90.10', sport: 40000, dport: 1999 } }))).toBe('drop');
  });

  it('ct original ip saddr does not match an IPv6 connection, != neither (NFT_CT_SRC_IP checks the l3 protocol)', () => {
    const rs = [nftFilter('inet', ['ct original ip saddr != 10.0.0.1 drop', 'ct original ip6 saddr fd00:90::1 drop'])];
    const v6: Packet = { family: 'ipv6', iif: 'eth1', oif: 'virbr3', src: 'fd00:90::1', dst: 'fd00:10::50', proto: 'tcp', sport: 40000, dport: 22, ctState: 'NEW', ctOriginal: { src: 'fd00:90::1', dst: 'fd00:90::10', sport: 40000, dport: 2223 } };
    expect(verdict(rs, 'forward', v6)).toBe('drop');
    expect(verdict(rs, 'forward', { ...v6, ctOriginal: { ...v6.ctOriginal!, src: 'fd00:90::2' } })).toBe('accept');
  });

  it('ICMP: the port fields are the echo id and type << 8 | code, as the caller gives them', () => {
    const rs = [nftFilter('inet', ['ct original proto-dst 2048 accept', 'ct original proto-src 7 accept', 'drop'])];
    const ping = pkt({ proto: 'icmp', sport: undefined, dport: undefined, icmpType: 8, ctOriginal: { src: '192.168.10.50', dst: '192.168.90.1', dport: 2048 } });
    expect(verdict(rs, 'forward', ping)).toBe('accept');
    expect(verdict(rs, 'forward', { ...ping, ctOriginal: { src: '192.168.10.50', dst: '192.168.90.1', dport: 0 } })).toBe('conditional');
  });

  it('parses and prints back as nft lists them', () => {
    const text = 'table inet t {\n\tchain c {\n\t\tct original ip saddr 10.0.0.0/8 ct reply ip6 daddr fd00::1 ct original proto-dst { 80, 443 } accept\n\t\tct reply proto-src != 22 drop\n\t}\n}\n';
    const { ruleset } = parseNft(text);
    expect(ruleset.tables[0].chains[0].rules[0].statements.slice(0, 2)).toEqual([
      { kind: 'match', left: { kind: 'ct', key: 'ip saddr', direction: 'original' }, op: 'implicit', right: { kind: 'prefix', address: '10.0.0.0', length: 8 } },
      { kind: 'match', left: { kind: 'ct', key: 'ip6 daddr', direction: 'reply' }, op: 'implicit', right: { kind: 'literal', text: 'fd00::1' } },
    ]);
    expect(printNftRuleset(ruleset)).toBe(text);
  });
});

describe('iptables -m conntrack --ctorig*/--ctrepl*', () => {
  it('firewalld\'s strict forward-port rule: --ctstate DNAT --ctorigdstport 2222 --ctdir ORIGINAL', () => {
    const rs = [iptFilter(['-A FORWARD -m conntrack --ctstate DNAT --ctorigdstport 2222 --ctdir ORIGINAL -j ACCEPT', '-A FORWARD -j REJECT --reject-with icmp-host-prohibited'])];
    expect(verdict(rs, 'forward', forwarded())).toBe('accept');
    expect(verdict(rs, 'forward', forwarded({ ctOriginal: { src: '203.0.113.9', dst: '192.168.90.10', sport: 40000, dport: 2223 } }))).toBe('reject');
    expect(verdict(rs, 'forward', forwarded({ ctOriginal: undefined }))).toBe('conditional');
  });

  it('addresses (CIDR, !), ports and port ranges (!) of both directions', () => {
    const rs = [iptFilter([
      '-A FORWARD -m conntrack ! --ctorigsrc 203.0.113.0/24 -j DROP',
      '-A FORWARD -m conntrack --ctorigdst 192.168.90.10 --ctreplsrc 192.168.10.0/24 --ctrepldst 203.0.113.9 -m conntrack ! --ctorigdstport 1:1023 --ctreplsrcport 20:23 --ctorigsrcport 40000 ! --ctrepldstport 80 -j ACCEPT',
      '-A FORWARD -j DROP',
    ])];
    expect(verdict(rs, 'forward', forwarded())).toBe('accept');
    expect(verdict(rs, 'forward', forwarded({ ctOriginal: { src: '198.51.100.1', dst: '192.168.90.10', sport: 40000, dport: 2222 } }))).toBe('drop');
    expect(verdict(rs, 'forward', forwarded({ ctOriginal: { src: '203.0.113.9', dst: '192.168.90.10', sport: 40000, dport: 1023 } }))).toBe('drop');
    expect(verdict(rs, 'forward', forwarded({ ctReply: { src: '192.168.10.50', dst: '192.168.90.10', sport: 22, dport: 40000 } }))).toBe('drop');
    expect(verdict(rs, 'forward', forwarded({ ctReply: { src: '192.168.10.50', dst: '203.0.113.9', sport: 24, dport: 40000 } }))).toBe('drop');
    expect(verdict(rs, 'forward', forwarded({ ctReply: { src: '192.168.10.50', dst: '203.0.113.9', sport: 22, dport: 80 } }))).toBe('drop');
  });

  it('without a conntrack entry only --ctstate is tested: the rule matches iff the block has one (xt_conntrack.c)', () => {
    const rs = [iptFilter([
      '-A FORWARD -m conntrack --ctorigdstport 2222 -j DROP',
      '-A FORWARD -m conntrack ! --ctorigdstport 2222 -j DROP',
      '-A FORWARD -m conntrack --ctstate INVALID --ctorigdst 10.9.9.9 -j REJECT',
    ])];
    expect(verdict(rs, 'forward', forwarded({ ctState: 'INVALID' }))).toBe('reject');
    expect(verdict(rs, 'forward', forwarded())).toBe('drop');
  });

  it('IPv6 addresses with ip6tables', () => {
    const rs = [ipt('*filter\n:FORWARD DROP [0:0]\n-A FORWARD -m conntrack --ctorigdst fd00:90::10/128 --ctorigdstport 2223 -j ACCEPT\nCOMMIT\n', { family: 'ipv6' })];
    const v6: Packet = { family: 'ipv6', iif: 'eth1', oif: 'virbr3', src: 'fd00:90::1', dst: 'fd00:10::50', proto: 'tcp', sport: 40000, dport: 22, ctState: 'NEW', ctOriginal: { src: 'fd00:90::1', dst: 'fd00:90::10', sport: 40000, dport: 2223 } };
    expect(verdict(rs, 'forward', v6)).toBe('accept');
    expect(verdict(rs, 'forward', { ...v6, ctOriginal: { ...v6.ctOriginal!, dst: 'fd00:90::11' } })).toBe('drop');
  });
});

describe('the packet\'s tuples', () => {
  it('must be of the packet\'s family', () => {
    expect(() => verdict([iptFilter([])], 'forward', forwarded({ ctReply: { src: 'fd00::1', dst: '203.0.113.9' } }))).toThrow(/does not match family ipv4/);
  });
});
