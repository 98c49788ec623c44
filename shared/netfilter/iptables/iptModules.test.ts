import { describe, expect, test } from 'vitest';
import { parseIptablesCommandLine } from './parseIptablesCommandLine.ts';
import { formatIptRule } from './printIptablesSave.ts';
import type { IptCommand } from './iptCommand.ts';
import { RulesetParseError } from '../parseError.ts';

function saved(args: string, family: 'ipv4' | 'ipv6' = 'ipv4'): string {
  const { command } = parseIptablesCommandLine(`${family === 'ipv6' ? 'ip6tables' : 'iptables'} ${args}`);
  const c = command as Extract<IptCommand, { op: 'append' }>;
  return formatIptRule(c.chain, c.rule);
}

function problem(args: string): { column: number; message: string } {
  try {
    parseIptablesCommandLine(`iptables ${args}`);
  } catch (e) {
    expect(e).toBeInstanceOf(RulesetParseError);
    return (e as RulesetParseError).problems[0];
  }
  throw new Error(`accepted: ${args}`);
}

describe('match modules: read, validated, saved in iptables-save form', () => {
  test.each([
    ['-A X -s 10.0.0.0/255.255.255.0 ! -d 10.1.0.0/16 ! -i eth+ -o virbr3 -p udp -j ACCEPT', '-A X -s 10.0.0.0/24 ! -d 10.1.0.0/16 ! -i eth+ -o virbr3 -p udp -j ACCEPT'],
    ['-A X -s 10.0.0.0/255.0.255.0 -j ACCEPT', '-A X -s 10.0.0.0/255.0.255.0 -j ACCEPT'],
    ['-A X -p tcp --sport :1023 --dport 1024: --tcp-flags SYN,ACK SYN -j ACCEPT', '-A X -p tcp -m tcp --sport 0:1023 --dport 1024:65535 --tcp-flags SYN,ACK SYN -j ACCEPT'],
    ['-A X -p udp -m multiport ! --sports 53,67:68 -j ACCEPT', '-A X -p udp -m multiport ! --sports 53,67:68 -j ACCEPT'],
    ['-A X -p icmp --icmp-type host-prohibited -j ACCEPT', '-A X -p icmp -m icmp --icmp-type 3/10 -j ACCEPT'],
    ['-A X -m conntrack --ctstate DNAT --ctstatus ASSURED,EXPECTED --ctdir reply -j ACCEPT', '-A X -m conntrack --ctstate DNAT --ctstatus EXPECTED,ASSURED --ctdir REPLY -j ACCEPT'],
    // Conntrack tuples as real iptables-save 1.8.9 prints them (legacy and nft alike): addresses unmasked,
    // no full mask, a dotted contiguous mask as its length, options in libxt_conntrack's order, N:N as N.
    ['-A X -m conntrack --ctorigdstport 443 --ctorigdst 192.168.90.10 -j ACCEPT', '-A X -m conntrack --ctorigdst 192.168.90.10 --ctorigdstport 443 -j ACCEPT'],
    ['-A X -m conntrack --ctrepldst 192.168.90.10/32 --ctreplsrc 192.168.90.0/24 -j ACCEPT', '-A X -m conntrack --ctreplsrc 192.168.90.0/24 --ctrepldst 192.168.90.10 -j ACCEPT'],
    ['-A X -m conntrack ! --ctorigsrc 203.0.113.0/255.255.255.0 ! --ctorigdstport 1:1023 --ctreplsrcport 20:23 ! --ctrepldstport 80 -j ACCEPT', '-A X -m conntrack ! --ctorigsrc 203.0.113.0/24 ! --ctorigdstport 1:1023 --ctreplsrcport 20:23 ! --ctrepldstport 80 -j ACCEPT'],
    ['-A X -m conntrack --ctorigsrcport 1000:1000 --ctorigdst 10.1.2.3/8 -j ACCEPT', '-A X -m conntrack --ctorigdst 10.1.2.3/8 --ctorigsrcport 1000 -j ACCEPT'],
    ['-A X -m conntrack --ctorigsrc 10.1.2.3/255.0.255.0 --ctreplsrc 10.1.2.3/0 -j ACCEPT', '-A X -m conntrack --ctorigsrc 10.1.2.3 --ctreplsrc 10.1.2.3/0 -j ACCEPT'],
    ['-A X -m conntrack --ctorigdstport 22:22 --ctrepldstport 1000: -j ACCEPT', '-A X -m conntrack --ctorigdstport 22 --ctrepldstport 1000:65535 -j ACCEPT'],
    ['-A X -m state --state ESTABLISHED,RELATED -j ACCEPT', '-A X -m state --state RELATED,ESTABLISHED -j ACCEPT'],
    ['-A X -m comment --comment "two words" -j ACCEPT', '-A X -m comment --comment "two words" -j ACCEPT'],
    ['-A X -m limit --limit 2/h --limit-burst 5 -j LOG', '-A X -m limit --limit 2/hour -j LOG'],
    ['-A X -m pkttype --pkt-type host -j ACCEPT', '-A X -m pkttype --pkt-type unicast -j ACCEPT'],
    ['-A X -m physdev ! --physdev-is-bridged --physdev-out vnet3 -j ACCEPT', '-A X -m physdev --physdev-out vnet3 ! --physdev-is-bridged -j ACCEPT'],
    ['-A X -m addrtype --dst-type local,broadcast --limit-iface-in -j ACCEPT', '-A X -m addrtype --dst-type LOCAL,BROADCAST --limit-iface-in -j ACCEPT'],
    ['-A X -m mark ! --mark 0x10/0xf0 -j ACCEPT', '-A X -m mark ! --mark 0x10/0xf0 -j ACCEPT'],
    ['-A X -m set --match-set blocked src,dst --return-nomatch -j DROP', '-A X -m set --match-set blocked src,dst --return-nomatch -j DROP'],
    ['-A X -m owner --uid-owner 1000 --socket-exists -j ACCEPT', '-A X -m owner --uid-owner 1000 --socket-exists -j ACCEPT'],
    ['-A X -m length --length 0:100 -j ACCEPT', '-A X -m length --length 0:100 -j ACCEPT'],
    ['-A X -m recent --name ssh --rcheck --seconds 60 -j DROP', '-A X -m recent --rcheck --seconds 60 --name ssh --mask 255.255.255.255 --rsource -j DROP'],
    // as iptables-legacy-save 1.8.9 prints them (ufw's `limit` rules use the defaults)
    ['-A X -m recent ! --update --rdest --reap --seconds 5 --rttl --hitcount 3 --mask 255.255.0.0 -j DROP', '-A X -m recent ! --update --seconds 5 --reap --hitcount 3 --rttl --name DEFAULT --mask 255.255.0.0 --rdest -j DROP'],
    ['-A X -p tcp --dport 22 -m conntrack --ctstate NEW -m recent --set', '-A X -p tcp -m tcp --dport 22 -m conntrack --ctstate NEW -m recent --set --name DEFAULT --mask 255.255.255.255 --rsource'],
  ])('%s', (input, expected) => {
    expect(saved(input)).toBe(expected);
  });

  test('IPv6: icmp6 names, ip6tables reject types', () => {
    expect(saved('-A X -p ipv6-icmp --icmpv6-type neighbour-solicitation -j ACCEPT', 'ipv6')).toBe('-A X -p ipv6-icmp -m icmp6 --icmpv6-type 135 -j ACCEPT');
    expect(saved('-A X -j REJECT --reject-with adm-prohibited', 'ipv6')).toBe('-A X -j REJECT --reject-with icmp6-adm-prohibited');
    expect(saved('-A X -m recent --update -j DROP', 'ipv6')).toBe('-A X -m recent --update --name DEFAULT --mask ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff --rsource -j DROP');
    // Real ip6tables-save 1.8.9: conntrack tuple addresses unmasked, no /128.
    expect(saved('-A X -m conntrack --ctorigdstport 2223 --ctorigdst fd00:90::10/128 --ctreplsrc fd00:10::/64 -j ACCEPT', 'ipv6')).toBe('-A X -m conntrack --ctorigdst fd00:90::10 --ctreplsrc fd00:10::/64 --ctorigdstport 2223 -j ACCEPT');
    expect(saved('-A X -m conntrack --ctorigsrc FD00:0:0::5/128 --ctreplsrc fd00:10::5/64 -j ACCEPT', 'ipv6')).toBe('-A X -m conntrack --ctorigsrc fd00::5 --ctreplsrc fd00:10::5/64 -j ACCEPT');
  });
});

describe('targets', () => {
  test.each([
    ['-A X -j REJECT --reject-with net-prohib', '-A X -j REJECT --reject-with icmp-net-prohibited'],
    ['-A X -j REJECT --reject-with icmp-proto-unreachable', '-A X -j REJECT --reject-with icmp-proto-unreachable'],
    ['-A X -j LOG --log-level debug --log-prefix X: --log-uid', '-A X -j LOG --log-prefix "X:" --log-level 7 --log-uid'],
    ['-A X -j NFLOG --nflog-group 0 --nflog-threshold 1', '-A X -j NFLOG'],
    ['-A X -p tcp --syn -j TCPMSS --set-mss 1400', '-A X -p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN -j TCPMSS --set-mss 1400'],
    ['-A X -j MARK --and-mark 0xff', '-A X -j MARK --set-xmark 0x0/0xffffff00'],
    ['-A X -j MARK --or-mark 0x4', '-A X -j MARK --set-xmark 0x4/0x4'],
    ['-A X -j CONNMARK --restore-mark --mask 0xff', '-A X -j CONNMARK --restore-mark --nfmask 0xff --ctmask 0xff'],
    ['-A X -j CT --zone 3', '-A X -j CT --zone 3'],
    ['-A X -j NOTRACK', '-A X -j NOTRACK'],
    ['-A X -p tcp -j SNAT --to-source 1.2.3.4:1000-2000 --persistent', '-A X -p tcp -j SNAT --to-source 1.2.3.4:1000-2000 --persistent'],
    ['-A X -p tcp -j MASQUERADE --to-ports 1024-1024 --random-fully', '-A X -p tcp -j MASQUERADE --to-ports 1024 --random-fully'],
    ['-A X -p tcp -j REDIRECT --to-ports 3128', '-A X -p tcp -j REDIRECT --to-ports 3128'],
    ['-A X -j RETURN', '-A X -j RETURN'],
    ['-A X -g other', '-A X -g other'],
    ['-A X -j TRACE', '-A X -j TRACE'],
    ['-A X -j DSCP --set-dscp 10', '-A X -j DSCP --set-dscp 10'],
  ])('%s', (input, expected) => {
    expect(saved(input)).toBe(expected);
  });

  test('IPv6 DNAT with a bracketed address', () => {
    expect(saved('-A X -p tcp -j DNAT --to-destination [fd00::2]:8080', 'ipv6')).toBe('-A X -p tcp -j DNAT --to-destination [fd00::2]:8080');
  });
});

describe('an unknown option of a known module is an error at its column; bad values name the value', () => {
  test.each([
    ['-A X -m conntrack --cstate NEW -j ACCEPT', '--cstate', 'unknown option "--cstate"'],
    ['-A X -p tcp -m tcp --dport 22 --flags SYN -j ACCEPT', '--flags', 'unknown option "--flags"'],
    ['-A X -m limit --limit 3/fortnight -j LOG', '3/fortnight', 'unknown unit'],
    ['-A X -m multiport --dports 22 -j ACCEPT', 'multiport', 'needs "-p tcp"'],
    ['-A X -p udp -m multiport --dports 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16 -j ACCEPT', '1,2,3', 'more than 15 ports'],
    ['-A X -m mac --mac-source 52:54:00 -j ACCEPT', '52:54:00', 'not a MAC address'],
    ['-A X -i averyveryverylongname0 -j ACCEPT', 'averyveryverylongname0', 'interface name'],
    ['-A X -p tcp -j MASQUERADE --to-ports 2000-1000', '2000-1000', 'start is above its end'],
    ['-A X -j LOG --log-prefix 012345678901234567890123456789', '012345678901234567890123456789', 'longer than 29'],
    ['-A X -j MARK --set-mark 0x1 --or-mark 0x2', '--or-mark', 'cannot be combined'],
    ['-A X -m icmp6 --icmpv6-type 128 -j ACCEPT', 'icmp6', 'only in ip6tables'],
    ['-A X -s ! 10.0.0.1 ! -j ACCEPT', '! -j', 'cannot negate'],
  ])('%s', (args, at, message) => {
    const p = problem(args);
    expect(p.message).toContain(message);
    expect(p.column).toBe(`iptables ${args}`.indexOf(at) + 1);
  });
});
