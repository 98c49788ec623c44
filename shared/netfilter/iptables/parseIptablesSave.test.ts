import { describe, expect, test } from 'vitest';
import { parseIptablesSave } from './parseIptablesSave.ts';
import { printIptablesSave } from './printIptablesSave.ts';
import { RulesetParseError } from '../parseError.ts';

function save(rules: string[], table = 'filter', chains = ':INPUT ACCEPT\n:FORWARD ACCEPT\n:OUTPUT ACCEPT\n:X -'): string {
  return `*${table}\n${chains}\n${rules.join('\n')}\nCOMMIT\n`;
}

function problemsOf(fn: () => unknown): { line: number; column: number; message: string }[] {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(RulesetParseError);
    return (e as RulesetParseError).problems;
  }
  throw new Error('expected a RulesetParseError');
}

// Each pair: what a script or an old dump wrote → what iptables-save 1.8.9 printed for it
// (captured in a throwaway namespace with `iptables -A X …; iptables-save`).
const CANONICAL: [string, string][] = [
  ['-A X -p 6 --dport ssh -s 10.1.2.3/255.255.0.0 -j ACCEPT', '-A X -s 10.1.0.0/16 -p tcp -m tcp --dport 22 -j ACCEPT'],
  ['-A X -p 17 -m multiport --dports 53,1000:2000 -j DROP', '-A X -p udp -m multiport --dports 53,1000:2000 -j DROP'],
  ['-A X -p 47 -j DROP', '-A X -p gre -j DROP'],
  ['-A X -p icmp --icmp-type echo-request -j ACCEPT', '-A X -p icmp -m icmp --icmp-type 8 -j ACCEPT'],
  ['-A X -p icmp --icmp-type 3/2 -j ACCEPT', '-A X -p icmp -m icmp --icmp-type 3/2 -j ACCEPT'],
  ['-A X -p icmp --icmp-type any -j ACCEPT', '-A X -p icmp -m icmp --icmp-type any -j ACCEPT'],
  ['-A X -p tcp --syn -j ACCEPT', '-A X -p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN -j ACCEPT'],
  ['-A X -p tcp ! --syn --sport 1:1023 --dport 80 -j ACCEPT', '-A X -p tcp -m tcp --sport 1:1023 --dport 80 ! --tcp-flags FIN,SYN,RST,ACK SYN -j ACCEPT'],
  ['-A X -p tcp --tcp-flags ALL NONE -j DROP', '-A X -p tcp -m tcp --tcp-flags FIN,SYN,RST,PSH,ACK,URG NONE -j DROP'],
  ['-A X -m conntrack --ctstate ESTABLISHED,RELATED,NEW --ctstatus SEEN_REPLY -j ACCEPT', '-A X -m conntrack --ctstate NEW,RELATED,ESTABLISHED --ctstatus SEEN_REPLY -j ACCEPT'],
  ['-A X -m state --state INVALID,NEW -j DROP', '-A X -m state --state INVALID,NEW -j DROP'],
  ['-A X -j REJECT', '-A X -j REJECT --reject-with icmp-port-unreachable'],
  ['-A X -j REJECT --reject-with host-unreach', '-A X -j REJECT --reject-with icmp-host-unreachable'],
  ['-A X -m limit --limit 3/min -j LOG --log-prefix "A B " --log-tcp-options --log-ip-options --log-level 4', '-A X -m limit --limit 3/min -j LOG --log-prefix "A B " --log-tcp-options --log-ip-options'],
  ['-A X -m limit --limit 10/second --limit-burst 7 -j LOG', '-A X -m limit --limit 10/sec --limit-burst 7 -j LOG'],
  ['-A X -p tcp --syn -m limit --limit 60/min -j LOG --log-level info', '-A X -p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN -m limit --limit 1/sec -j LOG --log-level 6'],
  ['-A X -m physdev --physdev-is-bridged --physdev-in vnet0 -j ACCEPT', '-A X -m physdev --physdev-in vnet0 --physdev-is-bridged -j ACCEPT'],
  ['-A X -m iprange --src-range 10.0.0.1-10.0.0.9 ! --dst-range 10.1.0.1-10.1.0.2 -j ACCEPT', '-A X -m iprange --src-range 10.0.0.1-10.0.0.9 ! --dst-range 10.1.0.1-10.1.0.2 -j ACCEPT'],
  ['-A X -m addrtype --dst-type LOCAL --src-type UNICAST -j ACCEPT', '-A X -m addrtype --src-type UNICAST --dst-type LOCAL -j ACCEPT'],
  ['-A X -m mac --mac-source 52:54:00:AB:cd:ef -j ACCEPT', '-A X -m mac --mac-source 52:54:00:ab:cd:ef -j ACCEPT'],
  ['-A X -m connmark --mark 5 -j ACCEPT', '-A X -m connmark --mark 0x5 -j ACCEPT'],
  ['-A X -d 1.2.3.4 -j ACCEPT', '-A X -d 1.2.3.4/32 -j ACCEPT'],
  ['-A X -j NFLOG --nflog-group 5 --nflog-prefix foo', '-A X -j NFLOG --nflog-prefix foo --nflog-group 5'],
  ['-A X -j MARK --set-mark 0x5', '-A X -j MARK --set-xmark 0x5/0xffffffff'],
  ['-A X -j CONNMARK --save-mark', '-A X -j CONNMARK --save-mark --nfmask 0xffffffff --ctmask 0xffffffff'],
  ['-A X -j CONNMARK --set-mark 3', '-A X -j CONNMARK --set-xmark 0x3/0xffffffff'],
  ['-A X -p udp -j ACCEPT -m udp --sport 53', '-A X -p udp -m udp --sport 53 -j ACCEPT'],
  // (iptables-nft merges an implicit and an explicit `-m tcp` into one; legacy keeps two blocks, as we do.)
  ['-A X -p tcp --dport 22 --sport 5 -j ACCEPT', '-A X -p tcp -m tcp --sport 5 --dport 22 -j ACCEPT'],
  ['-A X -p all -j ACCEPT', '-A X -j ACCEPT'],
  ['-A X -p icmpv6 -j ACCEPT', '-A X -p ipv6-icmp -j ACCEPT'],
  ['-A X -p TCP -j ACCEPT', '-A X -p tcp -j ACCEPT'],
  ['-A X -p 50 -j ACCEPT', '-A X -p esp -j ACCEPT'],
  ['-A X -p 255 -j ACCEPT', '-A X -p 255 -j ACCEPT'],
  ['-A X -m comment --comment "it\'s" -j LOG --log-prefix "a\\"b"', '-A X -m comment --comment "it\\\'s" -j LOG --log-prefix "a\\"b"'],
  ['-A X -s ! 10.0.0.0/8 -p tcp --dport ! 22 -j DROP', '-A X ! -s 10.0.0.0/8 -p tcp -m tcp ! --dport 22 -j DROP'],
  ['-A X -g X', '-A X -g X'],
  ['-A X', '-A X'],
];

describe('parseIptablesSave stores rules the way iptables-save prints them', () => {
  test.each(CANONICAL)('%s', (input, expected) => {
    const { ruleset } = parseIptablesSave(save([input]));
    expect(printIptablesSave(ruleset)).toContain(`\n${expected}\n`);
  });

  test('nat targets keep their addresses and ports; --to becomes --to-destination', () => {
    const text = save(
      ['-A PREROUTING -p tcp --dport 81 -j DNAT --to 10.0.0.1', '-A POSTROUTING -j MASQUERADE --random', '-A PREROUTING -p tcp -m tcp --dport 82 -j REDIRECT --to-ports 8080'],
      'nat',
      ':PREROUTING ACCEPT\n:INPUT ACCEPT\n:OUTPUT ACCEPT\n:POSTROUTING ACCEPT',
    );
    const printed = printIptablesSave(parseIptablesSave(text).ruleset);
    expect(printed).toContain('-A PREROUTING -p tcp -m tcp --dport 81 -j DNAT --to-destination 10.0.0.1\n');
    expect(printed).toContain('-A POSTROUTING -j MASQUERADE --random\n');
  });

  test('IPv6: family from the header, addresses compressed as inet_ntop does, REJECT default icmp6-port-unreachable', () => {
    const text = '# Generated by ip6tables-save v1.8.9 (nf_tables)\n*filter\n:INPUT ACCEPT\n-A INPUT -s fd00:10:0:0:0:0:0:1/64 -d ::ffff:1.2.3.4 -j REJECT\n-A INPUT -p icmpv6 --icmpv6-type echo-request -j ACCEPT\nCOMMIT\n';
    const { ruleset } = parseIptablesSave(text);
    expect(ruleset.family).toBe('ipv6');
    expect(ruleset.backend).toBe('nft');
    const printed = printIptablesSave(ruleset);
    expect(printed).toContain('-A INPUT -s fd00:10::/64 -d ::ffff:1.2.3.4/128 -j REJECT --reject-with icmp6-port-unreachable\n');
    expect(printed).toContain('-A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type 128 -j ACCEPT\n');
  });

  test('without a header the family comes from IPv6 addresses and the backend defaults to nft; a legacy header says legacy', () => {
    expect(parseIptablesSave(save(['-A INPUT -s fd00::1 -j ACCEPT'])).ruleset.family).toBe('ipv6');
    expect(parseIptablesSave(save(['-A INPUT -s 10.0.0.1 -j ACCEPT'])).ruleset.family).toBe('ipv4');
    expect(parseIptablesSave(`# Generated by iptables-save v1.8.9\n${save([])}`).ruleset.backend).toBe('legacy');
  });

  test('counters and provenance lines are kept', () => {
    const { ruleset } = parseIptablesSave(`*filter\n:INPUT DROP [5:300]\n[7:420] -A INPUT -j ACCEPT\nCOMMIT\n`, { file: 'dump.txt' });
    const chain = ruleset.tables[0].chains[0];
    expect(chain.counters).toEqual({ packets: 5, bytes: 300 });
    expect(chain.rules[0].counters).toEqual({ packets: 7, bytes: 420 });
    expect(chain.rules[0].provenance).toEqual({ file: 'dump.txt', line: 3 });
  });
});

describe('parseIptablesSave errors name every bad line, its column and the offending word', () => {
  test('several bad lines are all reported', () => {
    const text = save(['-A X -p tcp --dport 99999 -j ACCEPT', '-A X -m conntrack --ctstate NEW --bogus 1 -j ACCEPT', '-A X -j NOSUCHCHAIN', '-A X -s 300.1.1.1 -j DROP']);
    const problems = problemsOf(() => parseIptablesSave(text, { file: 'f.txt' }));
    expect(problems.map((p) => p.line)).toEqual([6, 7, 8, 9]);
    expect(problems[0]).toMatchObject({ column: 21, message: expect.stringContaining('"99999"') });
    expect(problems[1]).toMatchObject({ column: 33, message: expect.stringContaining('"--bogus"') });
    expect(problems[2].message).toContain('"NOSUCHCHAIN"');
    expect(problems[3].message).toContain('"300.1.1.1"');
  });

  test('structure errors: unknown table, missing COMMIT, rule outside a table, policy on a user chain', () => {
    expect(problemsOf(() => parseIptablesSave('*filtre\nCOMMIT\n'))[0].message).toContain('"filtre"');
    expect(problemsOf(() => parseIptablesSave('*filter\n:INPUT ACCEPT\n'))[0]).toMatchObject({ line: 1, message: expect.stringContaining('no COMMIT') });
    expect(problemsOf(() => parseIptablesSave('-A INPUT -j ACCEPT\n'))[0].message).toContain('outside a table');
    expect(problemsOf(() => parseIptablesSave('*filter\n:X ACCEPT\nCOMMIT\n'))[0].message).toContain('policy must be "-"');
  });

  test('a module needs its protocol; tcp-reset needs -p tcp', () => {
    expect(problemsOf(() => parseIptablesSave(save(['-A X -m tcp --dport 22 -j ACCEPT'])))[0].message).toContain('-m tcp needs "-p tcp"');
    expect(problemsOf(() => parseIptablesSave(save(['-A X -j REJECT --reject-with tcp-reset'])))[0].message).toContain('tcp-reset');
  });

  test('the RulesetParseError message uses FILE:line:col', () => {
    try {
      parseIptablesSave(save(['-A X -j ACCEPT --what']), { file: 'x.rules' });
    } catch (e) {
      expect((e as Error).message).toMatch(/^x\.rules:6:16: /);
      return;
    }
    throw new Error('no error');
  });
});

describe('pasted excerpts', () => {
  const excerpt = save(['-A INPUT -i virbr3 -j ACCEPT', '.....', '-A FORWARD -o virbr3 -j REJECT', '...', '..', '…']);
  test('are refused with every marker line named', () => {
    const problems = problemsOf(() => parseIptablesSave(excerpt));
    expect(problems.map((p) => p.line)).toEqual([7, 9, 10, 11]);
    expect(problems[0].message).toContain('excerpt');
  });
  test('are read leniently with the skipped lines listed', () => {
    const { ruleset, skipped } = parseIptablesSave(excerpt, { lenient: true });
    expect(skipped.map((s) => s.line)).toEqual([7, 9, 10, 11]);
    expect(ruleset.tables[0].chains.find((c) => c.name === 'FORWARD')?.rules).toHaveLength(1);
  });
});

describe('pasted shell prompts', () => {
  test('a prompt line is refused (or skipped when lenient); a comment that merely mentions iptables is a comment', () => {
    const text = 'root@host:~# iptables-save\n# iptables rules for the lab\n*filter\n:INPUT ACCEPT\nCOMMIT\n';
    expect(problemsOf(() => parseIptablesSave(text)).map((p) => p.line)).toEqual([1]);
    const { skipped } = parseIptablesSave(text, { lenient: true });
    expect(skipped).toEqual([{ line: 1, text: 'root@host:~# iptables-save', reason: 'shell prompt pasted with the output' }]);
  });
});
