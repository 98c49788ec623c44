// virtwall rules check FILE [--format FORMAT] [--table TABLE] [--lenient] [--json]
//
// Reads a firewall text (iptables-save, iptables -S, iptables/nft command lines
// or scripts, nft list ruleset output, nft -f scripts), detects its format when
// not given, and reports its tables, chains and the total rule count. Exit 0
// when it parses; 1 with `FILE:line:col: message` for every bad line; 2 for bad
// usage.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { RULESET_FORMATS, type RulesetFormat } from '../../shared/netfilter/detectFormat.ts';
import type { IptTableName, Ruleset } from '../../shared/netfilter/model.ts';
import { RulesetParseError } from '../../shared/netfilter/parseError.ts';
import { parseRuleset } from '../../shared/netfilter/parseRuleset.ts';
import { UsageError, type CliCommand } from '../io.ts';
import { parseFlags } from '../parseFlags.ts';

const TABLES: readonly IptTableName[] = ['raw', 'mangle', 'nat', 'filter', 'security'];

interface TableSummary {
  name: string;
  chains: { name: string; rules: number }[];
  rules: number;
}

interface RulesetSummary {
  kind: 'iptables' | 'nft';
  family?: string;
  backend?: string;
  tables: TableSummary[];
  chains: number;
  rules: number;
}

function summarize(ruleset: Ruleset): RulesetSummary {
  const tables: TableSummary[] =
    ruleset.kind === 'iptables'
      ? ruleset.tables.map((t) => ({ name: t.name, chains: t.chains.map((c) => ({ name: c.name, rules: c.rules.length })), rules: 0 }))
      : ruleset.tables.map((t) => ({ name: `${t.family} ${t.name}${t.managedBy ? ' (managed by iptables-nft)' : ''}`, chains: t.chains.map((c) => ({ name: c.name, rules: c.rules.length })), rules: 0 }));
  for (const t of tables) t.rules = t.chains.reduce((n, c) => n + c.rules, 0);
  const summary: RulesetSummary = {
    kind: ruleset.kind,
    tables,
    chains: tables.reduce((n, t) => n + t.chains.length, 0),
    rules: tables.reduce((n, t) => n + t.rules, 0),
  };
  if (ruleset.kind === 'iptables') {
    summary.family = ruleset.family;
    summary.backend = ruleset.backend;
  }
  return summary;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export const rulesCheck: CliCommand = async (args, io) => {
  const flags = parseFlags(args, { values: ['format', 'table'], booleans: ['lenient', 'json'] });
  if (flags.positional.length !== 1) throw new UsageError('exactly one FILE expected');
  const file = flags.positional[0];
  const format = flags.values.format as RulesetFormat | undefined;
  if (format !== undefined && !RULESET_FORMATS.includes(format)) throw new UsageError(`--format must be one of ${RULESET_FORMATS.join(', ')} (got '${format}')`);
  const table = flags.values.table as IptTableName | undefined;
  if (table !== undefined && !TABLES.includes(table)) throw new UsageError(`--table must be one of ${TABLES.join(', ')}`);
  const json = flags.booleans.has('json');

  let text: string;
  try {
    text = readFileSync(resolve(io.cwd, file), 'utf8');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    if (json) io.stdout(`${JSON.stringify({ file, ok: false, problems: [{ line: 0, column: 0, message: `cannot read: ${reason}` }] })}\n`);
    else io.stdout(`${file}: cannot read: ${reason}\n`);
    return 1;
  }

  try {
    const parsed = parseRuleset(text, { file, countOnly: true, lenient: flags.booleans.has('lenient'), ...(format ? { format } : {}), ...(table ? { table } : {}) });
    const rulesets = parsed.rulesets.map(summarize);
    const total = rulesets.reduce((n, r) => n + r.rules, 0);
    if (json) {
      io.stdout(`${JSON.stringify({ file, ok: true, format: parsed.format, detected: parsed.detected, rulesets, totalRules: total, skipped: parsed.skipped })}\n`);
      return 0;
    }
    const out: string[] = [`${file}: ${parsed.format}${parsed.detected ? ' (detected)' : ''}`];
    for (const r of rulesets) {
      const title = r.kind === 'iptables' ? `iptables ${r.family} (${r.backend === 'nft' ? 'nf_tables' : 'legacy'})` : 'nftables';
      out.push(`${title}: ${plural(r.tables.length, 'table')}, ${plural(r.chains, 'chain')}, ${plural(r.rules, 'rule')}`);
      for (const t of r.tables) {
        out.push(`  ${t.name}: ${plural(t.rules, 'rule')}`);
        for (const c of t.chains) out.push(`    ${c.name}: ${c.rules}`);
      }
    }
    for (const s of parsed.skipped) out.push(`${file}:${s.line}: skipped: ${s.reason}: ${s.text.trim()}`);
    out.push(`total: ${plural(total, 'rule')}`);
    io.stdout(`${out.join('\n')}\n`);
    return 0;
  } catch (e) {
    if (!(e instanceof RulesetParseError)) throw e;
    if (json) io.stdout(`${JSON.stringify({ file, ok: false, problems: e.problems })}\n`);
    else {
      io.stdout(`${e.problems.map((p) => `${file}:${p.line}:${p.column}: ${p.message}`).join('\n')}\n`);
      io.stderr(`${file}: ${plural(e.problems.length, 'problem')}\n`);
    }
    return 1;
  }
};

export default rulesCheck;
