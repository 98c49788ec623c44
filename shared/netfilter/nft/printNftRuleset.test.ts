import { describe, expect, test } from 'vitest';
import { parseNft } from './parseNft.ts';
import { formatNftRule, printNftRuleset } from './printNftRuleset.ts';
import { nftListFixtures, readFixture } from '../../../test/testkit/netfilterFixtures.ts';
import { generateNftList } from '../../../bench/gen/nftGenerator.ts';

describe('printNftRuleset reproduces the captured nft list ruleset dumps byte for byte', () => {
  const files = nftListFixtures();
  test('there are fixtures to compare with (nft.txt, ruleset.txt, ruleset-handles.txt)', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files.some((f) => f.endsWith('ruleset-handles.txt'))).toBe(true);
  });
  test.each(files.map((f) => [f.replace(/^.*fixtures\/libvirt\//, ''), f]))('%s', (_name, file) => {
    const text = readFixture(file);
    const { ruleset } = parseNft(text, { file });
    const handles = /# handle \d+/.test(text);
    expect(printNftRuleset(ruleset, { handles })).toBe(text);
  });
});

describe('printNftRuleset and formatNftRule', () => {
  test('statements print as nft lists them', () => {
    const rule = {
      statements: [
        { kind: 'match' as const, left: { kind: 'meta' as const, key: 'l4proto' }, op: 'implicit' as const, right: { kind: 'literal' as const, text: 'tcp' } },
        { kind: 'match' as const, left: { kind: 'payload' as const, protocol: 'ip', field: 'daddr' }, op: '!=' as const, right: { kind: 'prefix' as const, address: '192.168.10.0', length: 24 } },
        { kind: 'match' as const, left: { kind: 'meta' as const, key: 'iifname' }, op: 'implicit' as const, right: { kind: 'literal' as const, text: '"virbr3"' } },
        { kind: 'match' as const, left: { kind: 'payload' as const, protocol: 'tcp', field: 'dport' }, op: 'implicit' as const, right: { kind: 'set' as const, elements: [{ kind: 'literal' as const, text: '22' }, { kind: 'range' as const, from: '1000', to: '2000' }] } },
        { kind: 'match' as const, left: { kind: 'ct' as const, key: 'state' }, op: 'implicit' as const, right: { kind: 'flags' as const, items: ['established', 'related'] } },
        { kind: 'counter' as const },
        { kind: 'log' as const, prefix: 'DROP: ', level: 'info' },
        { kind: 'nat' as const, type: 'masquerade' as const, to: ':1024-65535' },
      ],
    };
    expect(formatNftRule(rule)).toBe('meta l4proto tcp ip daddr != 192.168.10.0/24 iifname "virbr3" tcp dport { 22, 1000-2000 } ct state established,related counter log prefix "DROP: " level info masquerade to :1024-65535');
  });

  test('sets before chains, blank lines between blocks, managed-by warning, handles only when asked', () => {
    const text = printNftRuleset({
      kind: 'nft',
      tables: [
        {
          family: 'ip',
          name: 'filter',
          managedBy: 'iptables-nft',
          handle: 3,
          sets: [{ name: 'allowed', isMap: false, type: 'ipv4_addr', flags: ['interval'], elements: ['10.0.0.0/8'], handle: 2 }],
          chains: [{ name: 'INPUT', handle: 1, base: { type: 'filter', hook: 'input', priority: 0, priorityText: 'filter', policy: 'drop' }, rules: [{ statements: [{ kind: 'verdict', verdict: 'accept' }], handle: 4 }] }],
        },
      ],
    });
    expect(text).toBe(
      '# Warning: table ip filter is managed by iptables-nft, do not touch!\ntable ip filter {\n\tset allowed {\n\t\ttype ipv4_addr\n\t\tflags interval\n\t\telements = { 10.0.0.0/8 }\n\t}\n\n\tchain INPUT {\n\t\ttype filter hook input priority filter; policy drop;\n\t\taccept\n\t}\n}\n',
    );
  });

  test('a table comment (nft ≥ 0.9.7) is read and printed where nft lists it: after flags, before the first set or chain', () => {
    const plain = 'table inet fw {\n\tcomment "managed by admin"\n\tchain c {\n\t\taccept\n\t}\n}\n';
    const r = parseNft(plain).ruleset;
    expect(r.tables[0].comment).toBe('"managed by admin"');
    expect(printNftRuleset(r)).toBe(plain);
    const flagged = 'table ip t {\n\tflags dormant\n\tcomment "x"\n\n\tchain c {\n\t}\n}\n';
    expect(printNftRuleset(parseNft(flagged).ruleset)).toBe(flagged);
    // A bare word is a string for nft too; it prints back as written.
    expect(printNftRuleset(parseNft('table ip t {\n\tcomment foreign\n}\n').ruleset)).toBe('table ip t {\n\tcomment foreign\n}\n');
  });

  test('a table comment of more than one string is refused at its position; an unknown table statement names what is allowed', () => {
    expect(() => parseNft('table ip t {\n\tcomment a b\n}\n')).toThrow('<input>:2:12: a table comment is one string (comment "…")');
    expect(() => parseNft('table ip t {\n\tcounter c1 { packets 0 bytes 0 }\n}\n')).toThrow('"counter" is not supported inside a table (chain, set, map, flags, comment are)');
  });
});

function withoutProvenance<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (k, v) => (k === 'provenance' ? undefined : v))) as T;
}

describe('nft: parse → print → parse is stable', () => {
  test('for every fixture dump and generated rulesets, with and without handles', () => {
    const texts = [...nftListFixtures().map(readFixture), generateNftList({ rules: 2000, seed: 4 }), generateNftList({ rules: 500, seed: 5 })];
    for (const text of texts) {
      const first = parseNft(text).ruleset;
      for (const handles of [false, true]) {
        const again = parseNft(printNftRuleset(first, { handles })).ruleset;
        const expected = handles ? first : JSON.parse(JSON.stringify(first, (k, v) => (k === 'handle' ? undefined : v)));
        expect(withoutProvenance(again)).toEqual(withoutProvenance(expected));
      }
    }
  });
});
