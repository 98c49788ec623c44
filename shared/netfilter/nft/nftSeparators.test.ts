// nft ends every item of a block (rule, type/policy line, chain/set/map block,
// flags) and every top-level block with a newline or ";" (NftCursor.needSeparator;
// every case checked against nft 1.0.6 in test/reality/nft-script-syntax.test.ts).

import { describe, expect, it } from 'vitest';
import { RulesetParseError } from '../parseError.ts';
import { parseNft } from './parseNft.ts';
import { parseNftScriptCommands } from './parseNftScript.ts';

function problems(text: string, parse: (t: string) => unknown = parseNftScriptCommands): string[] {
  try {
    parse(text);
  } catch (e) {
    if (e instanceof RulesetParseError) return e.problems.map((p) => `${p.line}:${p.column} ${p.message}`);
    throw e;
  }
  return [];
}

describe('a newline or ";" after every item', () => {
  it('a rule or a chain block followed by "}" on the same line is refused, at the "}"', () => {
    expect(problems('table ip t {\n\tchain x {\n\t\tip saddr 1.2.3.4 accept }\n}\n')).toEqual(['3:27 nft needs a newline or ";" after "ip saddr 1.2.3.4 accept" before "}" (syntax error, unexpected \'}\')']);
    expect(problems('table ip t { chain x { } }')).toEqual(['1:26 nft needs a newline or ";" after chain x\'s "}" before "}" (syntax error, unexpected \'}\')']);
    expect(problems('table ip t { chain x { type filter hook input priority 0; policy accept } ; }')).toHaveLength(1);
    expect(problems('table ip t { set s { type ipv4_addr; } }')).toHaveLength(1);
    expect(problems('table ip t { flags dormant }')).toHaveLength(1);
  });

  it('two tables on one line need a ";" between them (list output too)', () => {
    expect(problems('table ip t { } table ip u { }')).toEqual(['1:16 nft needs a newline or ";" after table t\'s "}" before "table" (syntax error, unexpected table)']);
    expect(problems('table ip t {\n}table ip u {\n}\n', parseNft)).toHaveLength(1);
  });

  it('what nft accepts: ";" or a newline or a comment after each item, `elements = { … }` right before "}"', () => {
    for (const ok of [
      'table ip t { chain x { }; }',
      'table ip t { chain x { } ; chain y { } ; }',
      'table ip t { chain x { ip saddr 1.2.3.4 accept; }; }',
      'table ip t { chain x { accept # c\n}; }',
      'table ip t { set s { type ipv4_addr; elements = { 1.2.3.4 } }; }',
      'table ip t { }; table ip u { }',
      'add table ip t\nadd chain ip t c { type filter hook input priority 0; policy accept; }\n',
    ]) expect(problems(ok), ok).toEqual([]);
  });
});
