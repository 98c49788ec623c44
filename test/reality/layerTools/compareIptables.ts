// Compares what a real tool left in the kernel (iptables-save / ip6tables-save
// text) with the model's iptables state, table by table, printed by the same
// printer. Normalised only where it must be: counters (the parser drops them)
// and tables that hold nothing — no rules, no user chains, every policy
// ACCEPT — which iptables-nft creates as a side effect of merely listing a
// chain (`iptables -L` creates `ip filter`) and which filter nothing.

import type { Family, IptRuleset } from '../../../shared/netfilter/model.ts';
import { parseIptablesSave } from '../../../shared/netfilter/iptables/parseIptablesSave.ts';
import { printIptablesSave } from '../../../shared/netfilter/iptables/printIptablesSave.ts';

function tablesOf(rs: IptRuleset): Map<string, string> {
  const out = new Map<string, string>();
  for (const t of rs.tables) {
    const empty = t.chains.every((c) => c.rules.length === 0 && c.policy !== null && c.policy === 'ACCEPT');
    if (!empty) out.set(t.name, printIptablesSave({ ...rs, tables: [t] }));
  }
  return out;
}

export interface TableDifference {
  family: Family;
  table: string;
  /** Line diff: `-` only in the model, `+` only in the real dump. */
  diff: string[];
}

/** Lines only in a (`- `) or only in b (`+ `), by longest common subsequence. */
export function lineDiff(a: string, b: string): string[] {
  const x = a.split('\n');
  const y = b.split('\n');
  const l: number[][] = Array.from({ length: x.length + 1 }, () => new Array<number>(y.length + 1).fill(0));
  for (let i = x.length - 1; i >= 0; i--) for (let j = y.length - 1; j >= 0; j--) l[i][j] = x[i] === y[j] ? l[i + 1][j + 1] + 1 : Math.max(l[i + 1][j], l[i][j + 1]);
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length || j < y.length) {
    if (i < x.length && j < y.length && x[i] === y[j]) {
      i++;
      j++;
    } else if (j >= y.length || (i < x.length && l[i + 1][j] >= l[i][j + 1])) out.push(`- ${x[i++]}`);
    else out.push(`+ ${y[j++]}`);
  }
  return out;
}

/** Every table whose text differs (empty list: same state). */
export function iptablesDifferences(family: Family, realSave: string, model: IptRuleset, backend: 'legacy' | 'nft'): TableDifference[] {
  const real = tablesOf(parseIptablesSave(realSave, { family, backend }).ruleset);
  const ours = tablesOf(model);
  const names = [...new Set([...real.keys(), ...ours.keys()])].sort();
  return names.filter((n) => real.get(n) !== ours.get(n)).map((table) => ({ family, table, diff: lineDiff(ours.get(table) ?? '', real.get(table) ?? '') }));
}
