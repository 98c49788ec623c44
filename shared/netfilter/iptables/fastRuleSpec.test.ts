import { describe, expect, test } from 'vitest';
import { canonicalWords, fastRuleSpec } from './fastRuleSpec.ts';
import { splitRestoreWords } from './iptTokens.ts';
import { iptablesSaveFixtures, readFixture } from '../../../test/testkit/netfilterFixtures.ts';
import { parseRuleSpec } from './parseIptRuleSpec.ts';
import { generateFirewallSave } from '../../../bench/gen/firewallGenerator.ts';
import { builtinCorpus, fuzzCases, fuzzInput } from '../../../test/fuzz/netfilterFuzz.ts';
import type { Family } from '../model.ts';

/** The full reader's result, or 'error'. */
function full(line: string, family: Family): unknown {
  try {
    return parseRuleSpec(splitRestoreWords(line), 2, family);
  } catch {
    return 'error';
  }
}

function ruleLines(text: string): string[] {
  return text.split('\n').filter((l) => l.startsWith('-A '));
}

/** What parseIptablesSave does with a line: the fast reader when the line splits canonically. */
function fast(line: string, family: Family): unknown {
  const words = canonicalWords(line);
  return words === null ? null : fastRuleSpec(words, family);
}

describe('the fast path for canonical rule lines agrees with the full reader', () => {
  const family = (text: string): Family => (text.includes('ip6tables-save') || /-[sd] [0-9a-f]*:/.test(text) ? 'ipv6' : 'ipv4');

  test('on every fixture and generated line it takes almost all and reads them identically', () => {
    const texts = [...iptablesSaveFixtures().map(readFixture), generateFirewallSave({ rules: 4000, seed: 9 }), generateFirewallSave({ rules: 2000, seed: 9, family: 'ipv6' })];
    let taken = 0;
    let total = 0;
    for (const text of texts) {
      const fam = family(text);
      for (const line of ruleLines(text)) {
        total++;
        const read = fast(line, fam);
        if (read === null) continue;
        taken++;
        expect(read, line).toEqual(full(line, fam));
      }
    }
    expect(taken / total).toBeGreaterThan(0.97);
  });

  test('on fuzzed lines it either declines or agrees (never accepts what the full reader refuses)', () => {
    const corpus = builtinCorpus();
    for (const c of fuzzCases(7, 1500, corpus.length)) {
      for (const line of ruleLines(fuzzInput(corpus, c))) {
        for (const fam of ['ipv4', 'ipv6'] as const) {
          const read = fast(line, fam);
          if (read !== null) expect(read, line).toEqual(full(line, fam));
        }
      }
    }
  });

  test('quoted option values (comments, log prefixes) are read fast and equal the full reader', () => {
    const lines = [
      '-A fwd -s 10.0.0.0/8 -m comment --comment "rule ext 12" -j ACCEPT',
      '-A fwd -m limit --limit 3/min -j LOG --log-prefix "SFW-dev-1 " --log-tcp-options --log-ip-options',
      '-A fwd -m comment --comment "two  spaces" -j DROP',
    ];
    for (const line of lines) {
      expect(fast(line, 'ipv4'), line).not.toBeNull();
      expect(fast(line, 'ipv4'), line).toEqual(full(line, 'ipv4'));
    }
  });

  test('quotes that change meaning or need escapes are left to the full reader', () => {
    for (const line of [
      '-A fwd -m comment --comment "-j" -j ACCEPT', // quoted option-like word is a value there
      '-A fwd -m comment --comment "!" -j ACCEPT',
      '-A fwd -m comment --comment "say \\"hi\\"" -j ACCEPT', // escaped quotes
      '-A fwd -m comment --comment "a"b -j ACCEPT', // quote inside a word
      '-A "my chain" -j ACCEPT', // quoted chain name
      '-A fwd -j "ACCEPT"', // quoted target
      '-A fwd -m comment --comment "open -j ACCEPT',
    ]) {
      expect(canonicalWords(line), line).toBeNull();
    }
  });
});
