// `nft list ruleset` (and `nft -a list ruleset`) output → NftRuleset.
// Tables preceded by `# Warning: table ip filter is managed by iptables-nft, do
// not touch!` get managedBy 'iptables-nft' (their rules are the iptables-save
// dump's rules: the evaluator must not run them twice). Every bad line is
// reported; excerpt markers and pasted prompts are refused, or skipped when
// lenient.

import { lexNft, NftLexError } from './nftLexer.ts';
import { NftCursor, problemAt, readFamily, readTableBody, BlockProblem, type BlockContext } from './nftBlockParser.ts';
import type { NftRuleset, NftTable } from '../model.ts';
import {
  EXCERPT_REASON, RulesetParseError, excerptProblem, isExcerptMarker, isPromptLine, splitLines, type ParseProblem, type SkippedLine,
} from '../parseError.ts';

export interface ParseNftOptions {
  file?: string;
  lenient?: boolean;
}

export interface ParsedNft {
  ruleset: NftRuleset;
  skipped: SkippedLine[];
}

const MANAGED_RE = /^\s*Warning: table (\S+) (\S+) is managed by iptables-nft/;

/** Blanks out excerpt markers and prompt lines (keeping line numbers) and reports or lists them. */
export function screenPastedLines(text: string, lenient: boolean | undefined, problems: ParseProblem[], skipped: SkippedLine[]): { text: string; lines: string[] } {
  const lines = splitLines(text);
  const kept = lines.map((line, i) => {
    if (isExcerptMarker(line)) {
      if (lenient) skipped.push({ line: i + 1, text: line, reason: EXCERPT_REASON });
      else problems.push(excerptProblem(i + 1, line));
      return '';
    }
    if (isPromptLine(line)) {
      if (lenient) skipped.push({ line: i + 1, text: line, reason: 'shell prompt pasted with the output' });
      else problems.push({ line: i + 1, column: 1, message: `"${line.trim().slice(0, 60)}" is a shell prompt, not nft output` });
      return '';
    }
    return line;
  });
  return { text: kept.join('\n'), lines: kept };
}

export function parseNft(text: string, options: ParseNftOptions = {}): ParsedNft {
  const problems: ParseProblem[] = [];
  const skipped: SkippedLine[] = [];
  const screened = screenPastedLines(text, options.lenient, problems, skipped);
  const ruleset: NftRuleset = { kind: 'nft', tables: [] };
  let tokens;
  try {
    tokens = lexNft(screened.text);
  } catch (e) {
    if (!(e instanceof NftLexError)) throw e;
    problems.push({ line: e.line, column: e.column, message: e.message });
    throw new RulesetParseError(problems, options.file);
  }
  const ctx: BlockContext = { lines: screened.lines, problems, ...(options.file ? { file: options.file } : {}), ...(options.lenient ? { keywordNames: true } : {}) };
  const cur = new NftCursor(tokens);
  let managed: { family: string; name: string } | null = null;
  while (!cur.atEnd()) {
    const t = cur.peek();
    if (!t) break;
    if (t.type === 'newline' || (t.type === 'punct' && t.text === ';')) {
      cur.p++;
      continue;
    }
    if (t.type === 'comment') {
      const m = MANAGED_RE.exec(t.text);
      if (m) managed = { family: m[1], name: m[2] };
      cur.p++;
      continue;
    }
    try {
      if (t.type !== 'word' || t.text !== 'table') throw new BlockProblem(`"${t.text}" is not nft list output here (expected "table FAMILY NAME {")`, t);
      cur.p++;
      const family = readFamily(cur.expectWord('a family'));
      const name = cur.expectName('a table name', ctx).text;
      const table: NftTable = { family, name, chains: [], sets: [] };
      if (managed && managed.family === family && managed.name === name) table.managedBy = 'iptables-nft';
      managed = null;
      if (ruleset.tables.some((x) => x.family === family && x.name === name)) throw new BlockProblem(`table ${family} ${name} appears twice`, t);
      readTableBody(cur, table, ctx);
      cur.needSeparator(`table ${name}'s "}"`, problems);
      ruleset.tables.push(table);
    } catch (e) {
      problemAt(ctx, e, t);
      cur.skipLine();
    }
  }
  if (problems.length) throw new RulesetParseError(problems, options.file);
  return { ruleset, skipped };
}
