import { describe, expect, test } from 'vitest';
import { COUNTED_RULE, parseIptablesSave } from './parseIptablesSave.ts';
import { RulesetParseError } from '../parseError.ts';
import { generateFirewallSave } from '../../../bench/gen/firewallGenerator.ts';
import type { IptRuleset } from '../model.ts';

const counts = (r: IptRuleset): string[] => r.tables.flatMap((t) => t.chains.map((c) => `${t.name}/${c.name}:${c.policy}:${c.rules.length}`));

describe('parseIptablesSave countOnly (what `virtwall rules check` uses)', () => {
  test('gives the same tables, chains, policies and rule counts as a full parse, with placeholders for rules', () => {
    const text = generateFirewallSave({ rules: 3000, seed: 4, header: true });
    const full = parseIptablesSave(text).ruleset;
    const counted = parseIptablesSave(text, { countOnly: true }).ruleset;
    expect(counts(counted)).toEqual(counts(full));
    expect(counted.tables.flatMap((t) => t.chains.flatMap((c) => c.rules)).every((r) => r === COUNTED_RULE)).toBe(true);
  });

  test('reports the same problems (line:column) as a full parse', () => {
    const text = '*filter\n:INPUT ACCEPT\n:X -\n-A INPUT -p tcp -m tcp --dport 99999 -j ACCEPT\n-A X -m comment --comment "fine" -j NOWHERE\n-A Y -j DROP\nCOMMIT\n';
    const problems = (countOnly: boolean) => {
      try {
        parseIptablesSave(text, { countOnly });
      } catch (e) {
        return (e as RulesetParseError).problems;
      }
      return [];
    };
    expect(problems(true).length).toBe(3);
    expect(problems(true)).toEqual(problems(false));
  });

  test('a dump with commands that need the real rules (-D, -I) is read in full and counted right', () => {
    const text = '*filter\n:INPUT ACCEPT\n-A INPUT -s 10.0.0.1/32 -j DROP\n-A INPUT -s 10.0.0.2/32 -j DROP\n-D INPUT -s 10.0.0.1/32 -j DROP\n-I INPUT 1 -s 10.0.0.3/32 -j ACCEPT\nCOMMIT\n';
    const rules = parseIptablesSave(text, { countOnly: true }).ruleset.tables[0].chains[0].rules;
    expect(rules.map((r) => r.matches[0].options[0].values[0])).toEqual(['10.0.0.3/32', '10.0.0.2/32']);
  });
});
