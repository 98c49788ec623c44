import { describe, expect, test } from 'vitest';
import { fastRuleSpec } from './fastRuleSpec.ts';
import { splitRestoreWords } from './iptTokens.ts';
import { iptablesSaveFixtures, readFixture } from './netfilterFixtures.testkit.ts';
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

function fastLines(text: string): string[] {
  return text.split('\n').filter((l) => l.startsWith('-A ') && !l.includes('"') && !l.includes('\t') && !l.includes('  '));
}

describe('the fast path for canonical rule lines agrees with the full reader', () => {
  const family = (text: string): Family => (text.includes('ip6tables-save') || /-[sd] [0-9a-f]*:/.test(text) ? 'ipv6' : 'ipv4');

  test('on every fixture and generated line it takes almost all and reads them identically', () => {
    const texts = [...iptablesSaveFixtures().map(readFixture), generateFirewallSave({ rules: 4000, seed: 9 }), generateFirewallSave({ rules: 2000, seed: 9, family: 'ipv6' })];
    let taken = 0;
    let total = 0;
    for (const text of texts) {
      const fam = family(text);
      for (const line of fastLines(text)) {
        total++;
        const fast = fastRuleSpec(line.split(' '), fam);
        if (fast === null) continue;
        taken++;
        expect(fast, line).toEqual(full(line, fam));
      }
    }
    expect(taken / total).toBeGreaterThan(0.95);
  });

  test('on fuzzed lines it either declines or agrees (never accepts what the full reader refuses)', () => {
    const corpus = builtinCorpus();
    for (const c of fuzzCases(7, 1500, corpus.length)) {
      for (const line of fastLines(fuzzInput(corpus, c))) {
        for (const fam of ['ipv4', 'ipv6'] as const) {
          const fast = fastRuleSpec(line.split(' '), fam);
          if (fast !== null) expect(fast, line).toEqual(full(line, fam));
        }
      }
    }
  });
});
