// One `nft …` shell command line (as in scripts and libvirt's debug log,
// fixtures v11-nftables/*/commands.txt: `nft -ae insert rule ip
// libvirt_network guest_nat … '!=' …`) → NftCommands. nft joins its argv
// with blanks and parses the result as one script line, so that is what we do
// after shell word splitting. Options that change only the output (-a -e -n
// -s -c -y) are skipped; -f and -j are refused.

import { parseNftScriptCommands, type NftScriptCommand } from './parseNftScript.ts';
import { splitShellWords, type Word } from '../iptables/iptTokens.ts';
import { RulesetParseError, TokenProblem } from '../parseError.ts';

const OUTPUT_FLAGS = /^-[aecnsySNT]+$|^--(?:handle|echo|check|numeric|stateless|terse|numeric-priority|numeric-protocol|numeric-time|guid|debug=\S+)$/;

export interface NftCommandLineResult {
  /** Empty for read-only commands (`nft list table ip libvirt_network`). */
  commands: NftScriptCommand[];
}

/** Is this word the nft program (`nft`, `/usr/sbin/nft`)? */
export function isNftProgram(word: string): boolean {
  return /(?:^|\/)nft$/.test(word);
}

/** Parses words after the program name (already shell-split). */
export function parseNftArgs(words: Word[], lineNo: number, file?: string): NftCommandLineResult {
  let i = 0;
  while (i < words.length && words[i].text.startsWith('-') && !words[i].quoted) {
    const w = words[i];
    if (w.text === '-f' || w.text === '--file' || w.text === '-j' || w.text === '--json' || w.text === '-i' || w.text === '--interactive') {
      throw new RulesetParseError([{ line: lineNo, column: w.column, message: `nft ${w.text} is not supported here (paste the file's content, or use the text syntax)` }], file);
    }
    if (!OUTPUT_FLAGS.test(w.text) && w.text !== '-D' && w.text !== '--define') {
      throw new RulesetParseError([{ line: lineNo, column: w.column, message: `unknown nft option "${w.text}"` }], file);
    }
    i += w.text === '-D' || w.text === '--define' ? 2 : 1;
  }
  const rest = words.slice(i);
  if (!rest.length) return { commands: [] };
  const script = rest.map((w) => w.text).join(' ');
  try {
    const parsed = parseNftScriptCommands(script, file ? { file } : {});
    return { commands: parsed.commands.map((c) => ({ ...c, line: lineNo })) };
  } catch (e) {
    if (!(e instanceof RulesetParseError)) throw e;
    // Columns refer to the re-joined argv; map them back to the first argument's column as a best effort.
    const offset = rest[0].column - 1;
    throw new RulesetParseError(e.problems.map((p) => ({ line: lineNo, column: p.column + offset, message: p.message })), file);
  }
}

export function parseNftCommandLine(line: string, options: { file?: string; line?: number } = {}): NftCommandLineResult {
  const lineNo = options.line ?? 1;
  let words: Word[];
  try {
    words = splitShellWords(line).filter((w) => !w.operator);
  } catch (e) {
    if (e instanceof TokenProblem) throw new RulesetParseError([{ line: lineNo, column: e.column, message: e.message }], options.file);
    throw e;
  }
  while (words.length && (words[0].text === 'sudo' || words[0].text === 'command' || words[0].text === 'exec')) words = words.slice(1);
  if (!words.length || !isNftProgram(words[0].text)) {
    throw new RulesetParseError([{ line: lineNo, column: words[0]?.column ?? 1, message: `"${words[0]?.text ?? ''}" is not an nft command line` }], options.file);
  }
  return parseNftArgs(words.slice(1), lineNo, options.file);
}
