// `nft list ruleset` text (and `nft -a list ruleset` with handles), byte-identical
// to the v11-nftables fixtures' ruleset.txt / ruleset-handles.txt and the
// iptables backends' nft.txt: one tab per level, sets before chains, a blank
// line between blocks, `# handle N` comments only with handles, and the
// iptables-nft warning line above tables iptables-nft manages.

import { formatNftStatement, nftQuoted } from './formatNftStatement.ts';
import type { NftChain, NftRule, NftRuleset, NftSet, NftTable } from '../model.ts';

export interface PrintNftOptions {
  /** Print `# handle N` (as `nft -a list ruleset`). */
  handles?: boolean;
}

/** One rule's statements as nft prints them (no handle). */
export function formatNftRule(rule: NftRule): string {
  return rule.statements.map(formatNftStatement).join(' ');
}

function handleSuffix(handle: number | undefined, options: PrintNftOptions): string {
  return options.handles && handle !== undefined ? ` # handle ${handle}` : '';
}

function setLines(set: NftSet, options: PrintNftOptions): string[] {
  const lines = [`\t${set.isMap ? 'map' : 'set'} ${set.name} {${handleSuffix(set.handle, options)}`, `\t\ttype ${set.type}`];
  if (set.flags?.length) lines.push(`\t\tflags ${set.flags.join(',')}`);
  for (const extra of set.extraLines ?? []) lines.push(`\t\t${extra}`);
  if (set.elements && set.elements.length) lines.push(`\t\telements = { ${set.elements.join(', ')} }`);
  lines.push('\t}');
  return lines;
}

function chainLines(chain: NftChain, options: PrintNftOptions): string[] {
  const lines = [`\tchain ${chain.name} {${handleSuffix(chain.handle, options)}`];
  const base = chain.base;
  if (base) {
    const device = base.device !== undefined ? ` device ${nftQuoted(base.device)}` : '';
    lines.push(`\t\ttype ${base.type} hook ${base.hook}${device} priority ${base.priorityText}; policy ${base.policy ?? 'accept'};`);
  }
  for (const extra of chain.extraLines ?? []) lines.push(`\t\t${extra}`);
  for (const rule of chain.rules) {
    lines.push(`\t\t${formatNftRule(rule)}${handleSuffix(rule.handle, options)}`);
    // nft built without an xtables extension prints `XT target MASQUERADE not found` plus its own
    // newline for iptables-nft rules it cannot decode (fixture v9-iptables/nat-ipv6-masq-single/nft.txt).
    const last = rule.statements[rule.statements.length - 1];
    if (last?.kind === 'other' && /^XT (?:target|match) \S+ not found$/.test(last.text)) lines.push('');
  }
  lines.push('\t}');
  return lines;
}

export function formatNftTable(table: NftTable, options: PrintNftOptions = {}): string[] {
  const lines: string[] = [];
  if (table.managedBy === 'iptables-nft') lines.push(`# Warning: table ${table.family} ${table.name} is managed by iptables-nft, do not touch!`);
  lines.push(`table ${table.family} ${table.name} {${handleSuffix(table.handle, options)}`);
  // As nft's table_print: `flags` then `comment` right after the header; a blank line before each
  // set/chain, except that nothing but a comment before the first one leaves no blank line.
  if (table.flags?.length) lines.push(`\tflags ${table.flags.join(',')}`);
  if (table.comment !== undefined) lines.push(`\tcomment ${table.comment}`);
  const blocks: string[][] = [];
  for (const set of table.sets) blocks.push(setLines(set, options));
  for (const chain of table.chains) blocks.push(chainLines(chain, options));
  blocks.forEach((block, i) => {
    if (i > 0 || table.flags?.length) lines.push('');
    lines.push(...block);
  });
  lines.push('}');
  return lines;
}

export function printNftRuleset(ruleset: NftRuleset, options: PrintNftOptions = {}): string {
  const lines = ruleset.tables.flatMap((t) => formatNftTable(t, options));
  return lines.length ? `${lines.join('\n')}\n` : '';
}
