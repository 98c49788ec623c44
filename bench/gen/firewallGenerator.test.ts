import { describe, expect, test } from 'vitest';
import { generateFirewallSave } from './firewallGenerator.ts';
import { parseIptablesSave } from '../../shared/netfilter/iptables/parseIptablesSave.ts';
import { printIptablesSave } from '../../shared/netfilter/iptables/printIptablesSave.ts';
import { countRules } from '../../shared/netfilter/parseRuleset.ts';
import { parseNft } from '../../shared/netfilter/nft/parseNft.ts';
import { printNftRuleset } from '../../shared/netfilter/nft/printNftRuleset.ts';
import { generateNftList } from './nftGenerator.ts';

describe('generateFirewallSave', () => {
  test('is deterministic and shaped like a real firewall (10k rules, zones, libvirt chains, nat)', () => {
    const text = generateFirewallSave({ rules: 10000, seed: 1 });
    expect(generateFirewallSave({ rules: 10000, seed: 1 })).toBe(text);
    expect(generateFirewallSave({ rules: 10000, seed: 2 })).not.toBe(text);
    const { ruleset } = parseIptablesSave(text);
    const n = countRules(ruleset);
    expect(n).toBeGreaterThanOrEqual(10000);
    expect(n).toBeLessThan(10300);
    const filter = ruleset.tables.find((t) => t.name === 'filter');
    expect(filter?.chains.map((c) => c.name)).toEqual(expect.arrayContaining(['LIBVIRT_FWI', 'forward_ext', 'input_dmz', 'reject_func']));
    for (const needle of ['-m multiport', '-m iprange', '-m limit', '--reject-with tcp-reset', '--reject-with icmp-host-prohibited', '-j DNAT', '-j MASQUERADE', '-j TCPMSS', '-j CT --notrack']) expect(text).toContain(needle);
  });

  test.each([
    [1, 'ipv4'],
    [7, 'ipv6'],
    [42, 'ipv4'],
  ] as const)('seed %i (%s) is canonical: parse → print gives the same text', (seed, family) => {
    const text = generateFirewallSave({ rules: 1500, seed, family, header: true });
    const parsed = parseIptablesSave(text);
    expect(printIptablesSave(parsed.ruleset, parsed.header ? { header: parsed.header } : {})).toBe(text);
  });
});

describe('generateNftList', () => {
  test.each([1, 2, 3])('seed %i is canonical nft list output: parse → print gives the same text', (seed) => {
    const text = generateNftList({ rules: 800, seed });
    expect(printNftRuleset(parseNft(text).ruleset)).toBe(text);
  });
});
