import { describe, expect, test } from 'vitest';
import { applyNftCommand, newNftHandleState } from './nftCommand.ts';
import { parseNftScript } from './parseNftScript.ts';
import { printNftRuleset } from './printNftRuleset.ts';
import type { NftRuleset } from '../model.ts';

function listed(script: string): string {
  const ruleset: NftRuleset = { kind: 'nft', tables: [] };
  const state = newNftHandleState(ruleset);
  for (const c of parseNftScript(script)) applyNftCommand(ruleset, state, c);
  return printNftRuleset(ruleset);
}

describe('conntrack tuple matches are stored as nft lists them', () => {
  // `nft -f` of this script then `nft list ruleset`, nft 1.0.6 in a namespace.
  test('family named, prefix masked, full-length prefix as the address; proto-dst as written', () => {
    const script = `table inet t {
 chain c {
  type filter hook forward priority 0;
  ct original ip saddr 10.0.0.1/32 ct reply ip6 daddr fd00::1/128 accept
  ct reply ip daddr 10.1.2.3/8 accept
  meta l4proto tcp ct original proto-dst 2222 accept
 }
}
table ip6 u {
 chain c {
  type filter hook forward priority 0;
  ct original daddr fd00::1 accept
 }
}
table ip v {
 chain c {
  type filter hook forward priority 0;
  ct original saddr 10.0.0.1 accept
 }
}
`;
    expect(listed(script)).toBe(`table inet t {
\tchain c {
\t\ttype filter hook forward priority filter; policy accept;
\t\tct original ip saddr 10.0.0.1 ct reply ip6 daddr fd00::1 accept
\t\tct reply ip daddr 10.0.0.0/8 accept
\t\tmeta l4proto tcp ct original proto-dst 2222 accept
\t}
}
table ip6 u {
\tchain c {
\t\ttype filter hook forward priority filter; policy accept;
\t\tct original ip6 daddr fd00::1 accept
\t}
}
table ip v {
\tchain c {
\t\ttype filter hook forward priority filter; policy accept;
\t\tct original ip saddr 10.0.0.1 accept
\t}
}
`);
  });
});
