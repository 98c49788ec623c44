// Table, chain and set names and jump targets nft refuses because its scanner
// reads them as keywords (nftKeywordNames.ts; checked word by word against nft
// 1.0.6 in test/reality/nft-keyword-names.test.ts): refused with the word's
// position in `nft -f` scripts and in pasted `nft list ruleset` text, accepted
// in a real host's dump (lenient: nft printed it, the object exists).

import { describe, expect, it } from 'vitest';
import { RulesetParseError } from '../parseError.ts';
import { parseNft } from './parseNft.ts';
import { parseNftScriptCommands } from './parseNftScript.ts';

function problems(f: () => unknown): { line: number; column: number; message: string }[] {
  try {
    f();
  } catch (e) {
    if (e instanceof RulesetParseError) return e.problems.map((p) => ({ line: p.line, column: p.column, message: p.message }));
    throw e;
  }
  return [];
}

const script = (text: string) => problems(() => parseNftScriptCommands(text));

describe('nft keywords as names', () => {
  it('chain fwd, table accept, set flow, map ct: refused at the word, naming it', () => {
    expect(script('table ip t {\n\tchain fwd {\n\t}\n}\n')).toEqual([
      { line: 2, column: 8, message: '"fwd" is an nft keyword: nft refuses it as a chain name (syntax error, unexpected fwd; quoting does not help) — choose another name' },
    ]);
    expect(script('table ip accept {\n}\n')[0]).toMatchObject({ line: 1, column: 10, message: expect.stringContaining('"accept" is an nft keyword: nft refuses it as a table name') });
    expect(script('table ip t {\n\tset flow {\n\t\ttype ipv4_addr\n\t}\n}\n')[0]).toMatchObject({ line: 2, column: 6, message: expect.stringContaining('as a set name') });
    expect(script('table ip t {\n\tmap ct {\n\t\ttype ipv4_addr : verdict\n\t}\n}\n')[0]?.message).toContain('"ct" is an nft keyword: nft refuses it as a map name');
  });

  it('commands: add table / add chain / add rule / delete chain with a keyword name', () => {
    expect(script('add table ip ip\n')[0]?.message).toContain('"ip" is an nft keyword');
    expect(script('add table ip t\nadd chain ip t log\n')[0]).toMatchObject({ line: 2, column: 16 });
    expect(script('add table ip t\nadd rule ip t counter accept\n')[0]?.message).toContain('"counter" is an nft keyword: nft refuses it as a chain name');
    expect(script('delete chain ip t jump\n')[0]?.message).toContain('"jump" is an nft keyword');
  });

  it('jump and goto to a keyword chain are refused at the target', () => {
    expect(script('table ip t {\n\tchain c {\n\t\tip saddr 10.0.0.1 jump dnat\n\t}\n}\n')).toEqual([
      { line: 3, column: 26, message: '"dnat" is an nft keyword: nft refuses it as a jump target (syntax error, unexpected dnat; quoting does not help) — choose another name' },
    ]);
    expect(script('table ip t {\n\tchain c {\n\t\tgoto tcp\n\t}\n}\n')[0]?.message).toContain('as a goto target');
  });

  it('what nft accepts stays accepted: hook, type and priority names, scoped keywords (state, saddr, in, last-entry)', () => {
    const ok = 'table ip input {\n\tchain forward {\n\t\tjump nat\n\t}\n\tchain nat {\n\t}\n\tchain state {\n\t\tgoto in\n\t}\n\tchain in {\n\t}\n\tset saddr {\n\t\ttype ipv4_addr\n\t}\n\tchain raw {\n\t}\n\tchain last-entry {\n\t}\n}\n';
    expect(script(ok)).toEqual([]);
    expect(problems(() => parseNft(ok))).toEqual([]);
  });

  it('a quoted name is refused too (nft: unexpected quoted string)', () => {
    expect(script('table ip t {\n\tchain "fwd" {\n\t}\n}\n')[0]).toMatchObject({ line: 2, column: 8, message: 'a chain name in quotes ("fwd"): nft accepts only a bare name here (syntax error, unexpected quoted string)' });
    expect(script('add table ip "t"\n')[0]?.message).toContain('a table name in quotes ("t")');
  });

  it('list output: refused when pasted, kept from a real host\'s dump (lenient), where nft printed it', () => {
    const dump = 'table ip accept {\n\tchain fwd {\n\t\tjump log\n\t}\n\tchain log {\n\t}\n}\n';
    // Every refused name is reported; the block after a refused name is still read and checked.
    expect(problems(() => parseNft(dump)).map((p) => [p.line, p.column])).toEqual([[1, 10], [2, 8], [3, 8], [5, 8]]);
    const lenient = parseNft(dump, { lenient: true }).ruleset;
    expect(lenient.tables[0].name).toBe('accept');
    expect(lenient.tables[0].chains.map((c) => c.name)).toEqual(['fwd', 'log']);
    expect(lenient.tables[0].chains[0].rules[0].statements).toEqual([{ kind: 'verdict', verdict: 'jump', chain: 'log' }]);
  });
});
