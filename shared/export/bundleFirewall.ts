// firewall/*.rules and firewall/nftables.nft: the host's packet filter as the
// simulator evaluated it at the end of the timeline (every layer's rules,
// libvirt's included, in their effective order), as files the kernel tools
// load: iptables-restore / ip6tables-restore input per kernel API (legacy
// x_tables or iptables-nft) and an `nft -f` script for the native nftables
// tables. Each rule is preceded by a comment naming the layer, event and
// config entry that put it there (its provenance), so the admin can read the
// file as well as load it.
//
// iptables-restore (without --noflush) replaces exactly the tables present in
// its input (iptables-restore(8)); the nft script replaces exactly its tables
// with the `add table` + `delete table` idiom (nft(8): a table must exist to
// be deleted; adding it first makes that true), so tables of other tools
// stay as they are on the host — apply.sh's check step lists them.

import type { Family, IptRule, IptRuleset, IptTableName, NftTable, Provenance } from '../netfilter/model.ts';
import type { NetfilterState } from '../netfilter/netfilterState.ts';
import { chainsInSaveOrder, formatIptRule } from '../netfilter/iptables/printIptablesSave.ts';
import { formatNftTable } from '../netfilter/nft/printNftRuleset.ts';
import type { BundleFile } from './bundleTypes.ts';
import { commentText } from './shellQuote.ts';

export interface IptablesRulesFile {
  kind: 'iptables';
  path: string;
  backend: 'legacy' | 'nft';
  family: Family;
  tables: IptTableName[];
}

export interface NftRulesFile {
  kind: 'nft';
  path: string;
  tables: { family: string; name: string }[];
}

export type FirewallRulesFile = IptablesRulesFile | NftRulesFile;

/** "libvirt 9.0 · network deb (route): forward mode route: allow … [boot: libvirtd.service]" */
export function provenanceLine(p: Provenance | undefined): string | null {
  if (!p) return null;
  const who = p.layerLabel ?? p.layer;
  const parts = [who, p.reason].filter((x): x is string => !!x);
  let text = parts.join(': ');
  if (p.event) text += ` [${p.event}]`;
  if (p.file) text += ` (${p.file}${p.line !== undefined ? `:${p.line}` : ''})`;
  return text === '' ? null : commentText(text);
}

function toolName(family: Family): string {
  return family === 'ipv6' ? 'ip6tables' : 'iptables';
}

function rulesText(ruleset: IptRuleset, variantName: string): string {
  const tool = toolName(ruleset.family);
  const lines = [
    `# ${tool}-restore input (${ruleset.backend === 'legacy' ? 'legacy x_tables' : 'iptables-nft'}) written by virtwall for variant ${commentText(variantName)}.`,
    `# The effective ${ruleset.family === 'ipv6' ? 'IPv6' : 'IPv4'} rules at the end of the simulated timeline, every layer included.`,
    `# Load: ${tool}-restore < this file (replaces the tables below: ${ruleset.tables.map((t) => t.name).join(', ')}; others stay).`,
  ];
  for (const table of ruleset.tables) {
    lines.push(`*${table.name}`);
    const chains = chainsInSaveOrder(table);
    for (const chain of chains) lines.push(`:${chain.name} ${chain.policy ?? '-'} [0:0]`);
    for (const chain of chains) {
      let last: string | null = null;
      for (const rule of chain.rules as IptRule[]) {
        // One comment per run of rules with the same origin keeps the file readable.
        const origin = provenanceLine(rule.provenance);
        if (origin && origin !== last) lines.push(`# ${origin}`);
        last = origin;
        lines.push(formatIptRule(chain.name, rule));
      }
    }
    lines.push('COMMIT');
  }
  return `${lines.join('\n')}\n`;
}

function nftScript(tables: NftTable[], variantName: string): string {
  const lines = [
    '#!/usr/sbin/nft -f',
    `# nft -f script written by virtwall for variant ${commentText(variantName)}: the effective native nftables`,
    '# tables at the end of the simulated timeline. Each table is replaced as a whole in one transaction;',
    '# tables not named here stay as they are.',
  ];
  for (const t of tables) {
    lines.push('', `add table ${t.family} ${t.name}`, `delete table ${t.family} ${t.name}`);
    lines.push(...formatNftTable({ ...t, handle: undefined }, { handles: false }));
  }
  return `${lines.join('\n')}\n`;
}

/** The rules files of a host state (only rulesets that hold tables). */
export function firewallFiles(state: NetfilterState, variantName: string): { files: BundleFile[]; rules: FirewallRulesFile[] } {
  const files: BundleFile[] = [];
  const rules: FirewallRulesFile[] = [];
  for (const backend of ['legacy', 'nft'] as const) {
    for (const family of ['ipv4', 'ipv6'] as const) {
      const rs = state.iptables[backend][family];
      if (rs.tables.length === 0) continue;
      const path = `firewall/${toolName(family)}-${backend}.rules`;
      files.push({
        path,
        text: rulesText(rs, variantName),
        description: `${toolName(family)}-restore input for the ${backend === 'legacy' ? 'legacy' : 'nf_tables'} kernel API: the effective ${family === 'ipv6' ? 'IPv6' : 'IPv4'} rules`,
      });
      rules.push({ kind: 'iptables', path, backend, family, tables: rs.tables.map((t) => t.name) });
    }
  }
  const native = state.nft.tables.filter((t) => t.managedBy !== 'iptables-nft');
  if (native.length) {
    const path = 'firewall/nftables.nft';
    files.push({ path, text: nftScript(native, variantName), description: 'nft -f script: the effective native nftables tables (each replaced as a whole)' });
    rules.push({ kind: 'nft', path, tables: native.map((t) => ({ family: t.family, name: t.name })) });
  }
  return { files, rules };
}
