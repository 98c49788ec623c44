// The words of one iptables invocation (after the program name) → IptCommand.
// iptables takes its options in any order (`-w --table filter --insert FORWARD
// --jump X` as libvirt writes them, or `-A INPUT -t nat ...`), so the command
// and global options are picked out first and the remaining words, in order,
// are the rule specification. Also used for iptables-restore lines (no -t) and
// `iptables -S` lines.

import type { IptCommand } from './iptCommand.ts';
import { checkChainName, parseRuleSpec } from './parseIptRuleSpec.ts';
import type { Word } from './iptTokens.ts';
import type { Family, IptRule, IptTableName } from '../model.ts';
import { TokenProblem } from '../parseError.ts';

export const IPT_TABLE_NAMES: readonly IptTableName[] = ['raw', 'mangle', 'nat', 'filter', 'security'];

type CommandKind = 'A' | 'C' | 'D' | 'I' | 'R' | 'L' | 'S' | 'F' | 'Z' | 'N' | 'X' | 'P' | 'E';

const COMMANDS = new Map<string, CommandKind>([
  ['-A', 'A'], ['--append', 'A'], ['-C', 'C'], ['--check', 'C'], ['-D', 'D'], ['--delete', 'D'], ['-I', 'I'], ['--insert', 'I'],
  ['-R', 'R'], ['--replace', 'R'], ['-L', 'L'], ['--list', 'L'], ['-S', 'S'], ['--list-rules', 'S'], ['-F', 'F'], ['--flush', 'F'],
  ['-Z', 'Z'], ['--zero', 'Z'], ['-N', 'N'], ['--new-chain', 'N'], ['-X', 'X'], ['--delete-chain', 'X'], ['-P', 'P'],
  ['--policy', 'P'], ['-E', 'E'], ['--rename-chain', 'E'],
]);

/** Options that change nothing in the ruleset (output format, locking, module loading). */
const GLOBAL_FLAGS = new Set(['-v', '--verbose', '-n', '--numeric', '-x', '--exact', '--line-numbers', '-4', '--ipv4', '-6', '--ipv6']);

export interface CommandWordsOptions {
  family: Family;
  defaultTable?: IptTableName;
  /** iptables-restore refuses -t inside a table section. */
  allowTable?: boolean;
  /** Which commands are allowed (iptables-restore: no -L/-S/-C). */
  allowed?: ReadonlySet<CommandKind>;
}

export interface ParsedCommandWords {
  command: IptCommand;
  /** Whether -t was given (else the default table was used). */
  tableGiven: boolean;
  /** -4 / -6 when given. */
  familyFlag?: Family;
}

const isNumber = (w: Word | undefined): boolean => w !== undefined && /^\d+$/.test(w.text);
const isOptionLike = (w: Word | undefined): boolean => w !== undefined && !w.quoted && w.text.length > 1 && w.text.startsWith('-');

export function parseCommandWords(words: Word[], from: number, options: CommandWordsOptions): ParsedCommandWords {
  let table: IptTableName = options.defaultTable ?? 'filter';
  let tableGiven = false;
  let familyFlag: Family | undefined;
  let kind: CommandKind | undefined;
  let kindWord: Word | undefined;
  const args: Word[] = [];
  const rest: Word[] = [];
  let i = from;
  while (i < words.length) {
    const w = words[i];
    const text = w.quoted ? '' : w.text;
    const eq = text.indexOf('=');
    const bare = text.startsWith('--') && eq > 0 ? text.slice(0, eq) : text;
    if (bare === '-t' || bare === '--table') {
      if (options.allowTable === false) throw new TokenProblem('"-t" is not allowed here (the table comes from the *table line)', w.column);
      const value = eq > 0 ? text.slice(eq + 1) : words[i + 1]?.text;
      const valueWord = eq > 0 ? w : words[i + 1];
      if (value === undefined) throw new TokenProblem(`option "${w.text}" needs a table name`, w.column);
      if (!IPT_TABLE_NAMES.includes(value as IptTableName)) throw new TokenProblem(`"${value}" is not a table (raw, mangle, nat, filter, security)`, valueWord.column);
      table = value as IptTableName;
      tableGiven = true;
      i += eq > 0 ? 1 : 2;
      continue;
    }
    if (bare === '-w' || bare === '--wait' || bare === '-W' || bare === '--wait-interval') {
      i += eq < 0 && isNumber(words[i + 1]) ? 2 : 1;
      continue;
    }
    if (bare === '--modprobe') {
      i += eq > 0 ? 1 : 2;
      continue;
    }
    if (GLOBAL_FLAGS.has(bare)) {
      if (bare === '-4' || bare === '--ipv4') familyFlag = 'ipv4';
      if (bare === '-6' || bare === '--ipv6') familyFlag = 'ipv6';
      i++;
      continue;
    }
    const k = COMMANDS.get(bare);
    if (k) {
      if (kind) throw new TokenProblem(`a second command "${w.text}" (already "${kindWord?.text}")`, w.column);
      if (options.allowed && !options.allowed.has(k)) throw new TokenProblem(`command "${w.text}" is not allowed here`, w.column);
      kind = k;
      kindWord = w;
      i++;
      // The command's own arguments: chain, then a number or a second name where the command takes one.
      const wantsChain = k !== 'L' && k !== 'S' && k !== 'F' && k !== 'Z' && k !== 'X';
      const optionalChain = !wantsChain;
      if ((wantsChain || (optionalChain && words[i] && !isOptionLike(words[i]))) && words[i]) {
        if (isOptionLike(words[i])) throw new TokenProblem(`command "${w.text}" needs a chain name`, words[i].column);
        args.push(words[i++]);
        if ((k === 'I' || k === 'D' || k === 'R' || k === 'Z') && isNumber(words[i])) args.push(words[i++]);
        else if ((k === 'P' || k === 'E') && words[i] && !isOptionLike(words[i])) args.push(words[i++]);
      } else if (wantsChain) {
        throw new TokenProblem(`command "${w.text}" needs a chain name`, w.column);
      }
      continue;
    }
    rest.push(w);
    i++;
  }
  if (!kind || !kindWord) {
    const first = words[from];
    throw new TokenProblem('no command (-A, -I, -D, -N, -P, ...) in this iptables invocation', first ? first.column : 1);
  }
  const chainWord = args[0];
  if (chainWord) checkChainName(chainWord);
  const chain = chainWord?.text;
  const rule = (): IptRule => parseRuleSpec(rest, 0, options.family);
  const noRule = (): void => {
    if (rest.length) throw new TokenProblem(`unexpected "${rest[0].text}" after "${kindWord?.text}"`, rest[0].column);
  };
  const position = (w: Word | undefined, what: string): number => {
    if (!w) throw new TokenProblem(`"${kindWord?.text}" needs a rule number`, kindWord?.column ?? 1);
    const n = Number(w.text);
    if (n < 1) throw new TokenProblem(`${what} "${w.text}" must be 1 or more`, w.column);
    return n;
  };
  let command: IptCommand;
  switch (kind) {
    case 'A':
      command = { op: 'append', table, chain: chain as string, rule: rule() };
      break;
    case 'C':
      command = { op: 'check', table, chain: chain as string, rule: rule() };
      break;
    case 'I':
      command = { op: 'insert', table, chain: chain as string, position: args[1] ? position(args[1], 'rule number') : 1, rule: rule() };
      break;
    case 'R':
      command = { op: 'replace', table, chain: chain as string, position: position(args[1], 'rule number'), rule: rule() };
      break;
    case 'D':
      if (args[1]) {
        noRule();
        command = { op: 'delete', table, chain: chain as string, position: position(args[1], 'rule number') };
      } else command = { op: 'delete', table, chain: chain as string, rule: rule() };
      break;
    case 'L':
    case 'S':
      noRule();
      command = { op: 'list', table, format: kind === 'S' ? 'rules' : 'table', ...(chain !== undefined ? { chain } : {}) };
      break;
    case 'F':
      noRule();
      command = { op: 'flush', table, ...(chain !== undefined ? { chain } : {}) };
      break;
    case 'Z':
      noRule();
      command = { op: 'zero', table, ...(chain !== undefined ? { chain } : {}) };
      break;
    case 'X':
      noRule();
      command = { op: 'delete-chain', table, ...(chain !== undefined ? { chain } : {}) };
      break;
    case 'N':
      noRule();
      command = { op: 'new-chain', table, chain: chain as string };
      break;
    case 'P': {
      noRule();
      const p = args[1];
      if (!p || (p.text !== 'ACCEPT' && p.text !== 'DROP')) throw new TokenProblem(`policy "${p?.text ?? ''}" must be ACCEPT or DROP`, p?.column ?? kindWord.column);
      command = { op: 'policy', table, chain: chain as string, policy: p.text };
      break;
    }
    case 'E': {
      noRule();
      const n = args[1];
      if (!n) throw new TokenProblem(`"${kindWord.text}" needs the new chain name`, kindWord.column);
      checkChainName(n);
      command = { op: 'rename-chain', table, chain: chain as string, newName: n.text };
      break;
    }
  }
  const result: ParsedCommandWords = { command, tableGiven };
  if (familyFlag) result.familyFlag = familyFlag;
  return result;
}
