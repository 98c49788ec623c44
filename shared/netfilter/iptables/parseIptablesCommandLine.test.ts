import { describe, expect, test } from 'vitest';
import { applyIptCommand, emptyIptRuleset } from './iptCommand.ts';
import { parseIptablesSave } from './parseIptablesSave.ts';
import { parseIptablesCommandLine } from './parseIptablesCommandLine.ts';
import { printIptablesSave, withIptablesNftTableOrder } from './printIptablesSave.ts';
import { commandsFixtures, fixtureFiles, readFixture } from '../../../test/testkit/netfilterFixtures.ts';
import type { IptRuleset } from '../model.ts';
import { RulesetParseError } from '../parseError.ts';

const IPT_LINE = /^(?:\/usr\/sbin\/)?ip6?tables /;

describe("libvirt's iptables command lines (every commands.txt)", () => {
  const files = commandsFixtures();
  test('every iptables/ip6tables line parses', () => {
    let count = 0;
    for (const file of files) {
      readFixture(file).split('\n').forEach((line, i) => {
        if (!IPT_LINE.test(line)) return;
        count++;
        expect(() => parseIptablesCommandLine(line, { file, line: i + 1 }), `${file}:${i + 1}`).not.toThrow();
      });
    }
    expect(count).toBeGreaterThan(5000);
  });

  const cases = fixtureFiles(/^\/v(?:9|11)-iptables\/[^/]+\/ruleset\.txt$/).map((f) => f.replace(/\/ruleset\.txt$/, ''));
  test.each(cases.map((c) => [c.replace(/^.*fixtures\/libvirt\//, ''), c]))('%s: replaying the commands gives the captured iptables-save text', (_name, dir) => {
    const rulesets: Record<string, IptRuleset> = { ipv4: emptyIptRuleset('ipv4', 'nft'), ipv6: emptyIptRuleset('ipv6', 'nft') };
    for (const [i, line] of readFixture(`${dir}/commands.txt`).split('\n').entries()) {
      if (line.startsWith('# info networkShutdownNetwork')) break;
      if (!IPT_LINE.test(line)) continue;
      const parsed = parseIptablesCommandLine(line, { line: i + 1 });
      for (const c of parsed.commands) if (c.op !== 'list') applyIptCommand(rulesets[parsed.family], c);
    }
    for (const [family, file] of [['ipv4', 'ruleset.txt'], ['ipv6', 'ruleset6.txt']] as const) {
      const expected = readFixture(`${dir}/${file}`);
      const header = parseIptablesSave(expected).header;
      // open mode: no rules, no tables; the capture wrote a lone newline for the empty dump.
      const printed = printIptablesSave(withIptablesNftTableOrder(rulesets[family]), header ? { header } : {});
      expect(printed).toBe(expected.trim() === '' ? '' : expected);
    }
  });
});

describe('parseIptablesCommandLine', () => {
  test('program name gives family and backend; options in any order; long options', () => {
    const a = parseIptablesCommandLine("/usr/sbin/ip6tables -w --table nat --insert LIBVIRT_PRT --source fd00:10::/64 -p udp '!' --destination fd00:10::/64 --jump MASQUERADE --to-ports 1024-65535");
    expect(a.family).toBe('ipv6');
    expect(a.backend).toBeUndefined();
    expect(a.command).toMatchObject({ op: 'insert', table: 'nat', chain: 'LIBVIRT_PRT', position: 1 });
    const b = parseIptablesCommandLine('sudo iptables-legacy -A INPUT -t mangle -p tcp --dport 22 -j ACCEPT');
    expect(b).toMatchObject({ family: 'ipv4', backend: 'legacy', command: { op: 'append', table: 'mangle', chain: 'INPUT' } });
    expect(parseIptablesCommandLine('xtables-nft-multi ip6tables -F').backend).toBe('nft');
  });

  test('every command kind', () => {
    const op = (l: string): unknown => parseIptablesCommandLine(`iptables ${l}`).command;
    expect(op('-I FORWARD 3 -j DROP')).toMatchObject({ op: 'insert', position: 3 });
    expect(op('-D FORWARD 2')).toEqual({ op: 'delete', table: 'filter', chain: 'FORWARD', position: 2 });
    expect(op('--delete FORWARD -j DROP')).toMatchObject({ op: 'delete', rule: { target: { name: 'DROP' } } });
    expect(op('-R FORWARD 1 -j ACCEPT')).toMatchObject({ op: 'replace', position: 1 });
    expect(op('-F')).toEqual({ op: 'flush', table: 'filter' });
    expect(op('-t nat -F POSTROUTING')).toEqual({ op: 'flush', table: 'nat', chain: 'POSTROUTING' });
    expect(op('-X')).toEqual({ op: 'delete-chain', table: 'filter' });
    expect(op('-N fw')).toEqual({ op: 'new-chain', table: 'filter', chain: 'fw' });
    expect(op('-P FORWARD DROP')).toEqual({ op: 'policy', table: 'filter', chain: 'FORWARD', policy: 'DROP' });
    expect(op('-Z')).toEqual({ op: 'zero', table: 'filter' });
    expect(op('-E old new')).toEqual({ op: 'rename-chain', table: 'filter', chain: 'old', newName: 'new' });
    expect(op('-C INPUT -j ACCEPT')).toMatchObject({ op: 'check', chain: 'INPUT' });
    expect(op('-w 5 --list-rules')).toEqual({ op: 'list', table: 'filter', format: 'rules' });
  });

  test('-s a,b -d c expands into one rule per address, as iptables does', () => {
    const r = parseIptablesCommandLine('iptables -A FORWARD -s 10.0.0.1,10.0.0.2 -d 10.1.0.0/16 -j ACCEPT');
    expect(r.commands).toHaveLength(2);
    expect(r.commands.map((c) => (c.op === 'append' ? c.rule.matches[0].options[0].values[0] : ''))).toEqual(['10.0.0.1/32', '10.0.0.2/32']);
  });

  test('errors carry the column of the offending word', () => {
    // [line, the word the error must point at, text the message must contain]
    for (const [line, at, text] of [
      ['iptables -A INPUT -p tcp --dport 70000 -j ACCEPT', '70000', '"70000"'],
      ['iptables -t nat2 -A INPUT', 'nat2', '"nat2"'],
      ['iptables -A INPUT -j ACCEPT -j DROP', '-j DROP', 'second target'],
      ['iptables -P FORWARD REJECT', 'REJECT', 'ACCEPT or DROP'],
      ['iptables -A INPUT -m conntrack --ctstate NEWW -j ACCEPT', 'NEWW', '"NEWW"'],
      ['iptables -A INPUT -p tcp -j REJECT --reject-with icmp6-no-route', 'icmp6-no-route', 'icmp6-no-route'],
      ['iptables -A INPUT -p tcp --dprot 22', '--dprot', '"--dprot"'],
      ['iptables-save > /tmp/x', 'iptables-save', 'not an iptables'],
    ] as const) {
      try {
        parseIptablesCommandLine(line);
        throw new Error(`accepted: ${line}`);
      } catch (e) {
        expect(e, line).toBeInstanceOf(RulesetParseError);
        expect((e as RulesetParseError).problems[0], line).toMatchObject({ line: 1, column: line.indexOf(at) + 1, message: expect.stringContaining(text) });
      }
    }
  });
});
