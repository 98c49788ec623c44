import { describe, expect, test } from 'vitest';
import { applyNftCommand, newNftHandleState } from './nftCommand.ts';
import { parseNftCommandLine } from './parseNftCommandLine.ts';
import { parseNftScript } from './parseNftScript.ts';
import { printNftRuleset } from './printNftRuleset.ts';
import { fixtureFiles, readFixture } from '../../../test/testkit/netfilterFixtures.ts';
import type { NftRuleset } from '../model.ts';
import { RulesetParseError } from '../parseError.ts';

function run(text: string): NftRuleset {
  const ruleset: NftRuleset = { kind: 'nft', tables: [] };
  const state = newNftHandleState(ruleset);
  for (const c of parseNftScript(text)) applyNftCommand(ruleset, state, c);
  return ruleset;
}

describe("libvirt's nft command lines rebuild the captured ruleset, handles included", () => {
  const cases = fixtureFiles(/^\/v11-nftables\/[^/]+\/ruleset-handles\.txt$/).map((f) => f.replace(/\/ruleset-handles\.txt$/, ''));
  test('there are nftables cases', () => {
    expect(cases.length).toBeGreaterThan(20);
  });
  test.each(cases.map((c) => [c.replace(/^.*fixtures\/libvirt\//, ''), c]))('%s', (_name, dir) => {
    const lines = readFixture(`${dir}/commands.txt`).split('\n');
    const ruleset: NftRuleset = { kind: 'nft', tables: [] };
    const state = newNftHandleState(ruleset);
    for (const [i, line] of lines.entries()) {
      if (line.startsWith('# info networkShutdownNetwork')) break;
      if (!/^nft /.test(line)) continue;
      for (const { command } of parseNftCommandLine(line, { line: i + 1 }).commands) applyNftCommand(ruleset, state, command);
    }
    const expected = readFixture(`${dir}/ruleset-handles.txt`);
    // An empty ruleset lists as nothing; the capture wrote a lone newline for it.
    expect(printNftRuleset(ruleset, { handles: true })).toBe(expected.trim() === '' ? '' : expected);
  });
});

describe('parseNftScript', () => {
  test('table blocks, define/$var, named priorities, sets; chains then sets then rules get handles', () => {
    const ruleset = run(`define LAN = 192.168.1.0/24
define PORTS = { 22, 80 }
table inet fw {
  set allowed { type ipv4_addr; flags interval; elements = { 10.0.0.0/8, 192.168.0.1 }; }
  chain input { type filter hook input priority filter + 10; policy drop;
    ct state related,established accept
    iif lo accept
    ip saddr $LAN tcp dport $PORTS accept
    ip saddr @allowed meta mark 5 log prefix "in: " level warn counter
  }
  chain post { type nat hook postrouting priority 100; masquerade; }
}
`);
    expect(printNftRuleset(ruleset, { handles: true })).toBe(`table inet fw { # handle 1
\tset allowed { # handle 3
\t\ttype ipv4_addr
\t\tflags interval
\t\telements = { 10.0.0.0/8, 192.168.0.1 }
\t}

\tchain input { # handle 1
\t\ttype filter hook input priority filter + 10; policy drop;
\t\tct state established,related accept # handle 4
\t\tiif "lo" accept # handle 5
\t\tip saddr 192.168.1.0/24 tcp dport { 22, 80 } accept # handle 6
\t\tip saddr @allowed meta mark 0x00000005 log prefix "in: " counter # handle 7
\t}

\tchain post { # handle 2
\t\ttype nat hook postrouting priority srcnat; policy accept;
\t\tmasquerade # handle 8
\t}
}
`);
  });

  test('add/insert/replace/delete rule with handles and positions; flush; delete table', () => {
    const ruleset = run(`add table ip t
add chain ip t c
add rule ip t c accept
add rule ip t c drop
insert rule ip t c position 2 return
add rule t c position 2 counter
replace rule ip t c handle 3 jump c2
`.replace('jump c2', 'continue'));
    expect(printNftRuleset(ruleset, { handles: true })).toContain('\t\treturn # handle 4\n\t\taccept # handle 2\n\t\tcounter # handle 5\n\t\tcontinue # handle 3\n');
    expect(run('table ip t { chain c { accept; }; }\nflush table ip t\n').tables[0].chains[0].rules).toEqual([]);
    expect(run('add table ip t\ndelete table ip t\n').tables).toEqual([]);
    expect(run('add table ip t\nadd table ip6 u\nflush ruleset\n').tables).toEqual([]);
  });

  test('include is refused, undefined variables and unknown commands are named with their line', () => {
    const problems = (() => {
      try {
        parseNftScript('include "/etc/nftables.d/*.nft"\nadd rule ip t c ip saddr $NOPE accept\nfrobnicate table ip t\n', { file: 's.nft' });
      } catch (e) {
        return (e as RulesetParseError).problems;
      }
      return [];
    })();
    expect(problems.map((p) => p.line)).toEqual([1, 2, 3]);
    expect(problems[0].message).toContain('include');
    expect(problems[1]).toMatchObject({ column: 26, message: expect.stringContaining('$NOPE') });
    expect(problems[2].message).toContain('frobnicate');
  });

  test('statements it cannot structure stay verbatim as other', () => {
    const ruleset = run('table ip t { chain c {\n tcp flags & (syn|ack) == syn counter drop\n ip saddr vmap { 10.0.0.1 : accept, 10.0.0.2 : drop }\n }\n}\n');
    const rules = ruleset.tables[0].chains[0].rules;
    expect(rules[0].statements[0]).toEqual({ kind: 'other', text: 'tcp flags & (syn|ack) == syn' });
    expect(rules[0].statements.slice(1).map((s) => s.kind)).toEqual(['counter', 'verdict']);
    expect(rules[1].statements).toEqual([{ kind: 'other', text: 'ip saddr vmap { 10.0.0.1 : accept, 10.0.0.2 : drop }' }]);
  });
});
