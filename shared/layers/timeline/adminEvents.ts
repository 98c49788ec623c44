// Events an admin (or a package script) causes directly on the host:
//   iptables-flush  {table?: 'filter'|'nat'|…|'all', chain?, deleteChains?, family?: 'ipv4'|'ipv6'|'both', backend?}
//                   `iptables [-t T] -F [CHAIN]` then `-X` (fixtures flush-restart, flush-all-delete-chains)
//   nft-flush-ruleset {family?}  deletes every table — iptables-nft's tables too (they are nft tables)
//   sysctl-set      {key, value, persist?}  `sysctl -w` (persist: also written to /etc/sysctl.d)
//   sysctl-reload   `sysctl --system`: boot values and persisted writes again

import type { TimelineEvent } from '../../lab/labModel.ts';
import type { Family, IptTableName, NftFamily, Provenance } from '../../netfilter/model.ts';
import type { IptCommand } from '../../netfilter/iptables/iptCommand.ts';
import { IPT_TABLE_NAMES } from '../../netfilter/iptables/iptCommandWords.ts';
import type { HostTimeline } from './hostTimeline.ts';

function adminProvenance(t: HostTimeline, reason: string): Provenance {
  return t.stamp({ layer: 'admin', layerLabel: 'admin', reason });
}

export function iptablesFlush(t: HostTimeline, event: TimelineEvent): void {
  const p = event.params ?? {};
  const families: Family[] = p.family === 'both' ? ['ipv4', 'ipv6'] : [p.family === 'ipv6' ? 'ipv6' : 'ipv4'];
  const backend = p.backend === 'legacy' || p.backend === 'nft' ? p.backend : t.flavour;
  const tableParam = typeof p.table === 'string' ? p.table : 'filter';
  for (const family of families) {
    const present = t.state.iptables[backend][family].tables.map((x) => x.name);
    let tables: IptTableName[];
    if (tableParam === 'all') tables = present;
    else if ((IPT_TABLE_NAMES as readonly string[]).includes(tableParam)) tables = [tableParam as IptTableName];
    else {
      t.fail(`iptables v1.8: can't initialize iptables table \`${tableParam}': Table does not exist (do you need to insmod?)`);
      return;
    }
    const tool = family === 'ipv4' ? 'iptables' : 'ip6tables';
    for (const table of tables) {
      const chain = typeof p.chain === 'string' && p.chain !== '' ? p.chain : undefined;
      const commands: IptCommand[] = [chain ? { op: 'flush', table, chain } : { op: 'flush', table }];
      if (p.deleteChains === true) commands.push(chain ? { op: 'delete-chain', table, chain } : { op: 'delete-chain', table });
      for (const c of commands) {
        const text = `${tool} -t ${table} ${c.op === 'flush' ? '-F' : '-X'}${chain ? ` ${chain}` : ''}`;
        const m = t.ipt(family, c, adminProvenance(t, text), backend);
        if (m) t.fail(`${text}: ${m.replace(/^iptables:/, `${tool}:`)}`);
      }
    }
  }
}

export function nftFlushRuleset(t: HostTimeline, event: TimelineEvent): void {
  const fam = event.params?.family;
  const family = typeof fam === 'string' && fam !== '' ? (fam as NftFamily) : undefined;
  const m = t.nft(family ? { op: 'flush-ruleset', family } : { op: 'flush-ruleset' }, adminProvenance(t, 'nft flush ruleset'));
  if (m) t.fail(`nft flush ruleset: ${m}`);
  // iptables-nft keeps its tables in nf_tables too: `nft flush ruleset` deletes them as well.
  if (!family || family === 'ip') t.state.iptables.nft.ipv4.tables = [];
  if (!family || family === 'ip6') t.state.iptables.nft.ipv6.tables = [];
}

export function sysctlSet(t: HostTimeline, event: TimelineEvent): void {
  const key = event.params?.key;
  const value = event.params?.value;
  if (typeof key !== 'string' || key === '' || value === undefined) {
    t.fail(`sysctl-set needs params key and value (got key=${String(key)}, value=${String(value)})`);
    return;
  }
  t.sysctls.set(key, String(value), adminProvenance(t, `sysctl -w ${key}=${String(value)}`), event.params?.persist === true);
}

export function sysctlReload(t: HostTimeline): void {
  t.sysctls.reload(adminProvenance(t, 'sysctl --system'));
}
