// The iptables/ip6tables commands of a sh script, in order, with their line
// numbers. Everything else (sysctl, ip, echo, if/fi, assignments, nft …) is
// listed as skipped, not an error: the own-script layer decides what those
// mean. Simple `NAME=value` assignments are remembered so `$IPT -A …` and
// `-i $WAN` resolve; a command using a variable whose value cannot be known
// here (set by `$(…)`, a loop, the environment) is a problem, or skipped
// when lenient. `a && b`, `a || b`, `a; b` are read as separate commands.

import { iptablesProgram, parseIptablesArgs, type ParsedIptablesCommandLine } from './parseIptablesCommandLine.ts';
import { splitShellWords, type Word } from './iptTokens.ts';
import type { IptCommand } from './iptCommand.ts';
import type { Family } from '../model.ts';
import { RulesetParseError, TokenProblem, type ParseProblem, type SkippedLine } from '../parseError.ts';

export interface IptablesScriptCommand {
  /** 1-based line where the command starts. */
  line: number;
  family: Family;
  backend?: 'legacy' | 'nft';
  command: IptCommand;
  /** The command as written (after joining `\` continuations). */
  text: string;
}

export interface ParsedIptablesScript {
  commands: IptablesScriptCommand[];
  skipped: SkippedLine[];
}

export interface ParseIptablesScriptOptions {
  file?: string;
  lenient?: boolean;
  /** Variables known from outside the script (e.g. the environment a layer runs it in). */
  variables?: Record<string, string>;
}

interface LogicalLine {
  line: number;
  text: string;
}

function logicalLines(text: string): LogicalLine[] {
  const physical = text.split(/\r?\n/);
  const out: LogicalLine[] = [];
  let heredoc: string | null = null;
  for (let i = 0; i < physical.length; i++) {
    let line = physical[i];
    if (heredoc !== null) {
      if (line.trim() === heredoc) heredoc = null;
      continue;
    }
    const start = i + 1;
    while (line.endsWith('\\') && i + 1 < physical.length) line = `${line.slice(0, -1)} ${physical[++i]}`;
    const h = /<<-?\s*['"]?(\w+)['"]?/.exec(line);
    if (h) heredoc = h[1];
    out.push({ line: start, text: line });
  }
  return out;
}

function substitute(word: Word, vars: Map<string, string | null>): { word: Word; unknown?: string } {
  if (!word.variables?.length) return { word };
  let text = word.text;
  for (const name of word.variables) {
    const value = vars.get(name);
    if (value === undefined || value === null) return { word, unknown: name };
    text = text.replace(new RegExp(`\\$(?:\\{${name}\\}|${name}(?!\\w))`, 'g'), value);
  }
  return { word: { ...word, text } };
}

export function parseIptablesScript(text: string, options: ParseIptablesScriptOptions = {}): ParsedIptablesScript {
  const commands: IptablesScriptCommand[] = [];
  const skipped: SkippedLine[] = [];
  const problems: ParseProblem[] = [];
  const vars = new Map<string, string | null>(Object.entries(options.variables ?? {}));

  for (const { line, text: lineText } of logicalLines(text)) {
    const trimmed = lineText.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    let words: Word[];
    try {
      words = splitShellWords(lineText);
    } catch (e) {
      if (!(e instanceof TokenProblem)) throw e;
      problems.push({ line, column: e.column, message: e.message });
      continue;
    }
    // Split into simple commands at ; && || | &.
    const simple: Word[][] = [[]];
    const ends: number[] = [];
    for (const w of words) {
      if (w.operator) {
        ends.push(w.column - 1);
        simple.push([]);
      } else simple[simple.length - 1].push(w);
    }
    ends.push(lineText.length);
    for (const [k, cmd] of simple.entries()) {
      const all = cmd.filter((w) => !/^\d*(?:>>?|<)/.test(w.text) || w.quoted);
      // Walk with an index (slicing per leading word is quadratic on pathological lines).
      let at = 0;
      if (at < all.length && (all[at].text === 'export' || all[at].text === 'readonly' || all[at].text === 'local')) at++;
      if (at >= all.length) continue;
      // Leading assignments: NAME=value (remembered when the whole command is assignments).
      const assignments: [string, string | null][] = [];
      while (at < all.length && /^[A-Za-z_]\w*=/.test(all[at].text)) {
        const w = all[at];
        const eq = w.text.indexOf('=');
        const name = w.text.slice(0, eq);
        const dynamic = /^[A-Za-z_]\w*=(?:"[^"]*)?(?:\$\(|`)/.test(lineText.slice(w.column - 1, w.column + eq + 300));
        const sub = substitute({ ...w, text: w.text.slice(eq + 1), ...(w.variables ? { variables: w.variables } : {}) }, vars);
        assignments.push([name, dynamic || sub.unknown ? null : sub.word.text]);
        at++;
      }
      if (at >= all.length) {
        for (const [name, value] of assignments) vars.set(name, value);
        skipped.push({ line, text: lineText, reason: 'shell variable assignment' });
        continue;
      }
      while (at < all.length && ['sudo', 'command', 'exec', 'then', 'do', 'else', '{'].includes(all[at].text)) at++;
      if (at >= all.length) continue;
      const ws = at === 0 ? all : all.slice(at);
      const first = substitute(ws[0], vars);
      const program = iptablesProgram(first.word.text);
      if (!program) {
        skipped.push({ line, text: lineText, reason: first.unknown ? `command from unknown variable $${first.unknown}` : `not an iptables command ("${first.word.text}")` });
        continue;
      }
      const args: Word[] = [];
      let unknown: { name: string; column: number } | undefined;
      for (const w of ws.slice(1)) {
        const s = substitute(w, vars);
        if (s.unknown && !unknown) unknown = { name: s.unknown, column: w.column };
        args.push(s.word);
      }
      if (unknown) {
        const message = `shell variable $${unknown.name} has no value known here (set outside the script, by $(...) or in a loop)`;
        if (options.lenient) skipped.push({ line, text: lineText, reason: message });
        else problems.push({ line, column: unknown.column, message });
        continue;
      }
      let parsed: ParsedIptablesCommandLine;
      try {
        parsed = parseIptablesArgs(args, program, { line, ...(options.file ? { file: options.file } : {}) });
      } catch (e) {
        if (!(e instanceof RulesetParseError)) throw e;
        problems.push(...e.problems);
        continue;
      }
      const cmdText = lineText.slice(ws[0].column - 1, ends[k]).trim();
      for (const command of parsed.commands) {
        if ('rule' in command && command.rule) command.rule.provenance = options.file ? { file: options.file, line } : { line };
        const entry: IptablesScriptCommand = { line, family: parsed.family, command, text: cmdText };
        if (parsed.backend) entry.backend = parsed.backend;
        commands.push(entry);
      }
    }
  }
  if (problems.length) throw new RulesetParseError(problems, options.file);
  return { commands, skipped };
}
