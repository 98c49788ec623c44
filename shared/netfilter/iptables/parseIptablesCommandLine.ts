// One iptables/ip6tables invocation as written in a shell script or in
// libvirt's debug log (fixtures */commands.txt: `/usr/sbin/iptables -w --table
// filter --insert LIBVIRT_INP --in-interface virbr3 --protocol tcp
// --destination-port 67 --jump ACCEPT`, `'!'` quoted) → IptCommand.
// The program name gives family and backend (`ip6tables`, `iptables-legacy`,
// `iptables-nft`, `xtables-nft-multi iptables`). `-s a,b` / `-d a,b` add one
// rule per address as iptables does, so the result holds every command.

import type { IptCommand } from './iptCommand.ts';
import { parseCommandWords } from './iptCommandWords.ts';
import { splitShellWords, type Word } from './iptTokens.ts';
import type { Family } from '../model.ts';
import { RulesetParseError, TokenProblem } from '../parseError.ts';

export interface IptablesProgram {
  family: Family;
  /** Only when the program name says it (iptables-legacy, iptables-nft, xtables-*-multi). */
  backend?: 'legacy' | 'nft';
}

export interface ParsedIptablesCommandLine extends IptablesProgram {
  command: IptCommand;
  /** All commands (more than one when -s/-d list several addresses). */
  commands: IptCommand[];
}

export interface ParseIptablesCommandLineOptions {
  file?: string;
  /** Line number to report problems at (default 1). */
  line?: number;
  /** Overrides what the program name says. */
  family?: Family;
  backend?: 'legacy' | 'nft';
}

/** Recognises iptables programs; null for anything else (including iptables-save/-restore). */
export function iptablesProgram(word: string): IptablesProgram | null {
  const base = word.slice(word.lastIndexOf('/') + 1);
  const m = /^(ip6?)tables(?:-(legacy|nft))?$/.exec(base);
  if (!m) return null;
  const program: IptablesProgram = { family: m[1] === 'ip6' ? 'ipv6' : 'ipv4' };
  if (m[2]) program.backend = m[2] as 'legacy' | 'nft';
  return program;
}

const ADDRESS_FLAGS = new Set(['-s', '--source', '--src', '-d', '--destination', '--dst']);

/** iptables expands `-s a,b -d c,d` into one rule per (source, destination) pair, sources outermost. */
function expandAddressLists(words: Word[]): Word[][] {
  const lists: { index: number; values: string[] }[] = [];
  words.forEach((w, i) => {
    if (!w.quoted && ADDRESS_FLAGS.has(w.text)) {
      const v = words[i + 1]?.text === '!' ? i + 2 : i + 1;
      const value = words[v];
      if (value && value.text.includes(',')) lists.push({ index: v, values: value.text.split(',') });
    }
  });
  let variants: Word[][] = [words];
  for (const { index, values } of lists) {
    variants = variants.flatMap((variant) => values.map((value) => variant.map((w, i) => (i === index ? { ...w, text: value } : w))));
  }
  return variants;
}

/** Parses the words after the program name. */
export function parseIptablesArgs(words: Word[], program: IptablesProgram, options: ParseIptablesCommandLineOptions = {}): ParsedIptablesCommandLine {
  const lineNo = options.line ?? 1;
  const family = options.family ?? program.family;
  try {
    const commands = expandAddressLists(words).map((variant) => parseCommandWords(variant, 0, { family }).command);
    const result: ParsedIptablesCommandLine = { family, command: commands[0], commands };
    const backend = options.backend ?? program.backend;
    if (backend) result.backend = backend;
    return result;
  } catch (e) {
    if (e instanceof TokenProblem) throw new RulesetParseError([{ line: lineNo, column: e.column, message: e.message }], options.file);
    throw e;
  }
}

export function parseIptablesCommandLine(line: string, options: ParseIptablesCommandLineOptions = {}): ParsedIptablesCommandLine {
  const lineNo = options.line ?? 1;
  let words: Word[];
  try {
    words = splitShellWords(line);
  } catch (e) {
    if (e instanceof TokenProblem) throw new RulesetParseError([{ line: lineNo, column: e.column, message: e.message }], options.file);
    throw e;
  }
  const op = words.find((w) => w.operator);
  if (op) throw new RulesetParseError([{ line: lineNo, column: op.column, message: `"${op.text}" joins several commands: give one iptables command (or read it as a script)` }], options.file);
  while (words.length && ['sudo', 'command', 'exec'].includes(words[0].text)) words = words.slice(1);
  if (words.length && /(?:^|\/)xtables-(?:nft|legacy)-multi$/.test(words[0].text)) {
    const backend = words[0].text.includes('legacy') ? 'legacy' : 'nft';
    const inner = words[1] ? iptablesProgram(words[1].text) : null;
    if (inner) return parseIptablesArgs(words.slice(2), { ...inner, backend }, options);
  }
  const program = words[0] ? iptablesProgram(words[0].text) : null;
  if (!program) {
    throw new RulesetParseError([{ line: lineNo, column: words[0]?.column ?? 1, message: `"${words[0]?.text ?? ''}" is not an iptables or ip6tables command` }], options.file);
  }
  return parseIptablesArgs(words.slice(1), program, options);
}
