// The short fuzz run of `npm test` (~2k mutated inputs through every parser);
// `npm run fuzz` runs the long one (≥ 100k). Engine: test/fuzz/netfilterFuzz.ts.

import { describe, expect, test } from 'vitest';
import { builtinCorpus, fuzzNetfilterParsers, hugeInputs, runParsers } from '../../test/fuzz/netfilterFuzz.ts';
import { fixtureFiles, readFixture } from '../../test/testkit/netfilterFixtures.ts';

function corpus(): string[] {
  const files = [
    ...fixtureFiles(/^\/v9-iptables\/(?:nat-single|preexisting-host-rules)\/(?:ruleset|nft|commands)[^/]*\.txt$/),
    ...fixtureFiles(/^\/v11-nftables\/(?:nat-ipv6-single)\/(?:ruleset-handles|commands)\.txt$/),
  ];
  return [...builtinCorpus(), ...files.map(readFixture)];
}

describe('fuzzing every netfilter parser', () => {
  test('2000 mutated inputs: only RulesetParseError with positions, no crash, no slow parse', () => {
    const result = fuzzNetfilterParsers({ runs: 2000, seed: 20260601, corpus: corpus() });
    expect(result.failure, result.failure ? `${result.failure.message}\n--- input ---\n${result.failure.input.slice(0, 2000)}` : '').toBeUndefined();
    expect(result.inputs).toBe(2000);
  });

  test('huge and pathological inputs finish in linear-ish time', () => {
    for (const text of hugeInputs()) {
      const start = Date.now();
      runParsers(text);
      expect(Date.now() - start, `input starting ${JSON.stringify(text.slice(0, 40))}`).toBeLessThan(20_000);
    }
  });
});
