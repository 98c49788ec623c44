import { describe, expect, test } from 'vitest';
import { detectFormat } from './detectFormat.ts';
import { countRules, parseRuleset } from './parseRuleset.ts';
import { RulesetParseError } from './parseError.ts';
import { readFixture } from '../../test/testkit/netfilterFixtures.ts';
import { LIBVIRT_FIXTURES } from '../../test/fixtures/fixturePaths.ts';

const DIR = LIBVIRT_FIXTURES;

describe('detectFormat', () => {
  test.each([
    ['iptables-save', `${DIR}/v9-iptables/nat-single/ruleset.txt`],
    ['nft', `${DIR}/v9-iptables/nat-single/nft.txt`],
    ['nft', `${DIR}/v11-nftables/nat-single/ruleset-handles.txt`],
    ['iptables-commands', `${DIR}/v9-iptables/nat-single/commands.txt`],
    ['iptables-commands', `${DIR}/v11-nftables/nat-single/commands.txt`],
  ])('%s: %s', (format, file) => {
    expect(detectFormat(readFixture(file))).toBe(format);
  });

  test('short texts', () => {
    expect(detectFormat('-P INPUT ACCEPT\n-A INPUT -i lo -j ACCEPT\n')).toBe('iptables-S');
    expect(detectFormat('mytux:/etc # iptables -S\n-P INPUT ACCEPT\n.....\n-A INPUT -j ACCEPT\n')).toBe('iptables-S');
    expect(detectFormat('#!/bin/sh\nIPT=iptables\n$IPT -A INPUT -j ACCEPT\n')).toBe('iptables-commands');
    expect(detectFormat('#!/usr/sbin/nft -f\nflush ruleset\ntable inet f {\n}\n')).toBe('nft-script');
    expect(detectFormat('add table ip t\nadd chain ip t c\n')).toBe('nft-script');
    expect(detectFormat('hello world\n')).toBeNull();
  });
});

describe('parseRuleset', () => {
  test('iptables-save and ip6tables-save pasted together give two rulesets', () => {
    const text = readFixture(`${DIR}/v9-iptables/nat-ipv6-single/ruleset.txt`) + readFixture(`${DIR}/v9-iptables/nat-ipv6-single/ruleset6.txt`);
    const r = parseRuleset(text);
    expect(r).toMatchObject({ format: 'iptables-save', detected: true });
    expect(r.rulesets.map((x) => (x.kind === 'iptables' ? x.family : ''))).toEqual(['ipv4', 'ipv6']);
  });

  test("libvirt's commands.txt (iptables backend) leaves the rules of its last state: teardown removed the network's rules", () => {
    const r = parseRuleset(readFixture(`${DIR}/v9-iptables/nat-single/commands.txt`));
    expect(r.format).toBe('iptables-commands');
    // Left: the jumps into libvirt's chains (INPUT, OUTPUT, 3× FORWARD, nat and mangle POSTROUTING), both families.
    expect(r.rulesets.reduce((n, x) => n + countRules(x), 0)).toBe(14);
  });

  test('nft commands in a commands file are applied too', () => {
    const lines = readFixture(`${DIR}/v11-nftables/nat-single/commands.txt`).split('\n');
    const upToStart = lines.slice(0, lines.findIndex((l) => l.startsWith('# info networkShutdownNetwork'))).join('\n');
    const r = parseRuleset(upToStart);
    expect(r.rulesets).toHaveLength(1);
    expect(r.rulesets[0].kind).toBe('nft');
    // ip libvirt_network: 3 jumps + 5 guest rules + 5 nat rules; ip6 libvirt_network: 3 jumps.
    expect(countRules(r.rulesets[0])).toBe(16);
  });

  test('a command that would fail in the kernel is a problem at its line', () => {
    expect(() => parseRuleset('iptables -A NOPE -j ACCEPT\n')).toThrow(RulesetParseError);
    try {
      parseRuleset('add table ip t\nadd rule ip t c accept\n', { format: 'nft-script', file: 'x.nft' });
    } catch (e) {
      expect((e as RulesetParseError).problems[0]).toMatchObject({ line: 2 });
    }
  });

  test('an unknown format is refused with the list of formats', () => {
    expect(() => parseRuleset('hello\n')).toThrow(/iptables-save, iptables-S, iptables-commands, nft, nft-script/);
  });
});
