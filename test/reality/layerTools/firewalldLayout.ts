// Compares the rule layout real firewalld left in the kernel with the model's
// state line by line: the `inet firewalld` table of `nft list ruleset` (parsed
// and printed by the product's nft printer, so rule handles do not count) and
// every iptables table of iptables-save / ip6tables-save (compareIptables.ts,
// the same normalisation as the ufw comparison: counters and do-nothing tables
// aside). Pure (no files, no processes).

import { formatNftTable } from '../../../shared/netfilter/nft/printNftRuleset.ts';
import { parseNft } from '../../../shared/netfilter/nft/parseNft.ts';
import type { NetfilterState } from '../../../shared/netfilter/netfilterState.ts';
import type { NftTable } from '../../../shared/netfilter/model.ts';
import { iptablesDifferences, lineDiff } from './compareIptables.ts';

export interface LayoutDifference {
  /** 'inet firewalld' or 'ipv4 filter', 'ipv6 nat', … */
  where: string;
  /** `- ` only in the model, `+ ` only in the real dump. */
  diff: string[];
}

const firewalldTable = (tables: NftTable[]): string => {
  const t = tables.find((x) => x.family === 'inet' && x.name === 'firewalld');
  return t ? formatNftTable(t).join('\n') : '';
};

/** Every place where the model's layout differs from the real dumps (empty: identical). */
export function firewalldLayoutDifferences(real: { nft: string; ipv4: string; ipv6: string }, model: NetfilterState): LayoutDifference[] {
  const out: LayoutDifference[] = [];
  const ours = firewalldTable(model.nft.tables);
  const theirs = firewalldTable(parseNft(real.nft).ruleset.tables);
  if (ours !== theirs) out.push({ where: 'inet firewalld', diff: lineDiff(ours, theirs) });
  for (const family of ['ipv4', 'ipv6'] as const) {
    for (const d of iptablesDifferences(family, real[family], model.iptables.nft[family], 'nft')) out.push({ where: `${family} ${d.table}`, diff: d.diff });
  }
  return out;
}
