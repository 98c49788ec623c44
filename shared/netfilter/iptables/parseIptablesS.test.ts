import { readFileSync, existsSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parseIptablesS } from './parseIptablesS.ts';
import { printIptablesSave } from './printIptablesSave.ts';
import { RulesetParseError } from '../parseError.ts';
import { STORY_SEED } from '../../../test/fixtures/fixturePaths.ts';

const SEED = STORY_SEED;

/** The seed's three pasted `iptables -S` outputs: from the prompt line to the next blank line. */
function seedDumps(): string[] {
  if (!existsSync(SEED)) throw new Error(`seed missing: ${SEED}`);
  const lines = readFileSync(SEED, 'utf8').split('\n');
  const dumps: string[] = [];
  lines.forEach((line, i) => {
    if (!/ # iptables -S$/.test(line)) return;
    let end = i + 1;
    while (end < lines.length && lines[end].trim() !== '') end++;
    dumps.push(lines.slice(i, end).join('\n'));
  });
  return dumps;
}

describe("the seed's pasted iptables -S excerpts", () => {
  const dumps = seedDumps();
  test('three dumps were found', () => {
    expect(dumps).toHaveLength(3);
  });

  test.each(dumps.map((d, i) => [i + 1, d]))('dump %i is refused with every left-out line named', (_n, dump) => {
    const lines = dump.split('\n');
    const expected = lines.flatMap((l, i) => (/^\s*\.{2,}\s*$/.test(l) || / # iptables -S$/.test(l) ? [i + 1] : []));
    try {
      parseIptablesS(dump);
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(RulesetParseError);
      expect((e as RulesetParseError).problems.map((p) => p.line)).toEqual(expected);
    }
  });

  test('read leniently, the third (SuSEfirewall2 + libvirt) gives its chains and rules and lists what was skipped', () => {
    const { ruleset, skipped, table } = parseIptablesS(dumps[2], { lenient: true });
    expect(table).toBe('filter');
    expect(skipped[0].reason).toContain('prompt');
    expect(skipped.slice(1).every((s) => s.reason.includes('excerpt'))).toBe(true);
    const filter = ruleset.tables[0];
    expect(filter.chains.map((c) => `${c.name}:${c.policy ?? '-'}`)).toEqual(['INPUT:DROP', 'FORWARD:DROP', 'OUTPUT:ACCEPT', 'forward_ext:-', 'forward_int:-', 'input_ext:-', 'input_int:-', 'reject_func:-']);
    const printed = printIptablesSave(ruleset);
    expect(printed).toContain('-A FORWARD -o virbr3 -j REJECT --reject-with icmp-port-unreachable\n');
    expect(printed).toContain('-A forward_ext -m comment --comment "sfw2.insert.pos" -m pkttype ! --pkt-type unicast -j DROP\n');
    expect(printed).toContain('-A INPUT -m limit --limit 3/min -j LOG --log-prefix "SFW2-IN-ILL-TARGET " --log-tcp-options --log-ip-options\n');
    expect(filter.chains.find((c) => c.name === 'FORWARD')?.rules).toHaveLength(11);
  });
});

describe('parseIptablesS', () => {
  test('the table comes from the option, the -P lines or the targets', () => {
    expect(parseIptablesS('-P PREROUTING ACCEPT\n-P INPUT ACCEPT\n-P OUTPUT ACCEPT\n-P POSTROUTING ACCEPT\n').table).toBe('nat');
    expect(parseIptablesS('-A POSTROUTING -s 10.0.0.0/8 -j MASQUERADE\n').tableSource).toBe('targets');
    expect(parseIptablesS('-P PREROUTING ACCEPT\n-P OUTPUT ACCEPT\n').table).toBe('raw');
    expect(parseIptablesS('-A INPUT -j ACCEPT\n', { table: 'security' }).table).toBe('security');
  });

  test('a jump to a chain without its -N line is an error unless lenient', () => {
    expect(() => parseIptablesS('-A INPUT -j fw_in\n')).toThrow(RulesetParseError);
    const { ruleset } = parseIptablesS('-A INPUT -j fw_in\n', { lenient: true });
    expect(ruleset.tables[0].chains.map((c) => c.name)).toContain('fw_in');
  });
});
