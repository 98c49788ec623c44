// `iptables -S` / `iptables -t TABLE -S` output (`-P CHAIN POLICY`, `-N CHAIN`,
// `-A CHAIN …`, one table) → IptRuleset. The text does not say its table: the
// `table` option does, else it is read from the built-in chains' -P lines
// (PREROUTING+INPUT+OUTPUT+POSTROUTING = nat, …) or, in an excerpt without
// them, from the targets (MASQUERADE/SNAT/DNAT/REDIRECT = nat, CT/NOTRACK =
// raw, …); filter otherwise.
// Lenient reading (pasted excerpts, as in the seed's dumps) skips `...` lines
// and creates chains whose -N line was left out.

import { applyIptCommand, ensureTable, IptCommandError, IPT_EXTENSION_TARGETS } from './iptCommand.ts';
import { IPT_TABLE_NAMES, parseCommandWords } from './iptCommandWords.ts';
import { detectIptFamily } from './detectIptFamily.ts';
import { splitRestoreWords } from './iptTokens.ts';
import { IPT_BUILTIN_CHAINS, type Family, type IptRuleset, type IptTableName } from '../model.ts';
import {
  EXCERPT_REASON, RulesetParseError, TokenProblem, excerptProblem, isExcerptMarker, isPromptLine, splitLines,
  type ParseProblem, type SkippedLine,
} from '../parseError.ts';

export interface ParseIptablesSOptions {
  file?: string;
  family?: Family;
  backend?: 'legacy' | 'nft';
  /** The table the output is of (`iptables -t nat -S`); guessed when absent. */
  table?: IptTableName;
  lenient?: boolean;
}

export interface ParsedIptablesS {
  ruleset: IptRuleset;
  skipped: SkippedLine[];
  table: IptTableName;
  /** How the table was decided. */
  tableSource: 'option' | 'policies' | 'targets' | 'default';
}

const ALLOWED = new Set(['A', 'N', 'P'] as const);

export function guessIptablesSTable(text: string): { table: IptTableName; source: ParsedIptablesS['tableSource'] } {
  const policies = new Set([...text.matchAll(/^\s*-P\s+(\S+)/gm)].map((m) => m[1]));
  if (policies.size) {
    for (const t of ['nat', 'mangle', 'raw', 'filter'] as IptTableName[]) {
      const builtin = IPT_BUILTIN_CHAINS[t];
      if (builtin.length === policies.size && builtin.every((c) => policies.has(c))) return { table: t, source: 'policies' };
    }
  }
  if (/-j (?:MASQUERADE|SNAT|DNAT|REDIRECT)\b/.test(text)) return { table: 'nat', source: 'targets' };
  if (/-j (?:CT|NOTRACK)\b/.test(text)) return { table: 'raw', source: 'targets' };
  if (/-j (?:MARK|CONNMARK|TCPMSS|CHECKSUM|TOS|DSCP|TTL|HL|TPROXY)\b/.test(text) && /^\s*-A (?:PREROUTING|POSTROUTING)\b/m.test(text)) return { table: 'mangle', source: 'targets' };
  return { table: 'filter', source: 'default' };
}

export function parseIptablesS(text: string, options: ParseIptablesSOptions = {}): ParsedIptablesS {
  const problems: ParseProblem[] = [];
  const skipped: SkippedLine[] = [];
  const family = options.family ?? detectIptFamily(text);
  const ruleset: IptRuleset = { kind: 'iptables', family, backend: options.backend ?? 'nft', tables: [] };
  const guessed = options.table ? { table: options.table, source: 'option' as const } : guessIptablesSTable(text);
  if (!IPT_TABLE_NAMES.includes(guessed.table)) throw new RulesetParseError([{ line: 1, column: 1, message: `"${guessed.table}" is not a table` }], options.file);
  const table = ensureTable(ruleset, guessed.table);

  splitLines(text).forEach((raw, index) => {
    const lineNo = index + 1;
    const line = raw.replace(/\s+$/, '');
    const trimmed = line.trimStart();
    if (trimmed === '' || (trimmed.startsWith('#') && !isPromptLine(line))) return;
    if (isExcerptMarker(line)) {
      if (options.lenient) skipped.push({ line: lineNo, text: raw, reason: EXCERPT_REASON });
      else problems.push(excerptProblem(lineNo, line));
      return;
    }
    if (isPromptLine(line)) {
      if (options.lenient) skipped.push({ line: lineNo, text: raw, reason: 'shell prompt pasted with the output' });
      else problems.push({ line: lineNo, column: 1, message: `"${trimmed.slice(0, 60)}" is a shell prompt, not iptables -S output` });
      return;
    }
    try {
      const words = splitRestoreWords(line);
      if (!/^-[ANP]$/.test(words[0].text)) throw new TokenProblem(`"${words[0].text}" is not an iptables -S line (-P, -N or -A)`, words[0].column);
      const { command } = parseCommandWords(words, 0, { family, defaultTable: guessed.table, allowTable: false, allowed: ALLOWED });
      if (command.op === 'append' || command.op === 'new-chain' || command.op === 'policy') {
        if (command.op === 'append') {
          command.rule.provenance = options.file ? { file: options.file, line: lineNo } : { line: lineNo };
          if (options.lenient) {
            // An excerpt may have lost the -N lines: create the chains it uses.
            for (const name of [command.chain, command.rule.target && !IPT_EXTENSION_TARGETS.has(command.rule.target.name) ? command.rule.target.name : undefined]) {
              if (name && !table.chains.some((c) => c.name === name)) table.chains.push({ name, policy: null, rules: [] });
            }
          }
        }
        applyIptCommand(ruleset, command);
      }
    } catch (e) {
      if (e instanceof TokenProblem) problems.push({ line: lineNo, column: e.column, message: e.message });
      else if (e instanceof IptCommandError) problems.push({ line: lineNo, column: line.length - trimmed.length + 1, message: e.message.replace(/^iptables: /, '') });
      else throw e;
    }
  });
  if (problems.length) throw new RulesetParseError(problems, options.file);
  return { ruleset, skipped, table: guessed.table, tableSource: guessed.source };
}
