// Files made of shell variable assignments, as /etc/sysconfig/SuSEfirewall2,
// /etc/default/ufw and /etc/firewalld/firewalld.conf are: `NAME="value"`,
// `NAME='value'`, `NAME=value`, comments, blank lines; the tools `source` them
// (SuSEfirewall2: `. "$FWCONFIG"`; ufw-init-functions: `. /etc/default/ufw`)
// or read KEY=value lines (firewalld io/firewalld_conf.py).
//
// The reader keeps every line as written so a file edited through the UI
// changes only the assignments that were edited; lines the model cannot read
// (shell commands, functions) are kept and reported as warnings with their
// position, never silently dropped. Double-quoted values may span lines
// (sysconfig files sometimes wrap long FW_SERVICES_* lists that way).

import type { ConfigProblem } from '../layerActions.ts';

export interface SourcePosition {
  line: number;
  column: number;
}

export interface ShellAssignment {
  name: string;
  /** The value after quote removal and `$VAR` expansion. */
  value: string;
  /** Source position of each character of `value` (for errors that point into a list entry). */
  positions: SourcePosition[];
  /** Where the whole assignment starts (the name) and the offsets of the statement in the text. */
  line: number;
  column: number;
  start: number;
  end: number;
  /** The quote style of the first quoted part, used when the value is rewritten. */
  quote: '"' | "'" | '';
}

export interface ShellVariableFile {
  file: string;
  assignments: ShellAssignment[];
  problems: ConfigProblem[];
}

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;

class Scanner {
  pos = 0;
  line = 1;
  column = 1;
  constructor(readonly text: string) {}
  get done(): boolean {
    return this.pos >= this.text.length;
  }
  peek(offset = 0): string {
    return this.text[this.pos + offset] ?? '';
  }
  next(): string {
    const c = this.text[this.pos++] ?? '';
    if (c === '\n') {
      this.line++;
      this.column = 1;
    } else this.column++;
    return c;
  }
  here(): SourcePosition {
    return { line: this.line, column: this.column };
  }
  skipToLineEnd(): void {
    while (!this.done && this.peek() !== '\n') this.next();
  }
}

/** Reads the assignments of a shell variable file. */
export function parseShellVariables(text: string, file: string): ShellVariableFile {
  const s = new Scanner(text);
  const assignments: ShellAssignment[] = [];
  const problems: ConfigProblem[] = [];
  const vars = new Map<string, string>();
  const problem = (severity: ConfigProblem['severity'], message: string, at: SourcePosition): void => {
    problems.push({ severity, message, file, line: at.line, column: at.column });
  };

  while (!s.done) {
    // Start of a line (or after `;`): blanks, comments, assignments.
    while (s.peek() === ' ' || s.peek() === '\t') s.next();
    const c = s.peek();
    if (c === '\n' || c === '\r') {
      s.next();
      continue;
    }
    if (c === '#' || c === '') {
      s.skipToLineEnd();
      continue;
    }
    const statementStart = s.pos;
    const at = s.here();
    if (text.startsWith('export ', s.pos)) for (let i = 0; i < 7; i++) s.next();
    NAME.lastIndex = s.pos;
    const m = NAME.exec(text);
    if (!m || text[s.pos + m[0].length] !== '=') {
      const lineText = text.slice(statementStart, text.indexOf('\n', statementStart) < 0 ? text.length : text.indexOf('\n', statementStart)).trim();
      problem('warning', `not a variable assignment, ignored (the shell would run it): ${lineText}`, at);
      s.skipToLineEnd();
      continue;
    }
    for (let i = 0; i <= m[0].length; i++) s.next();
    const name = m[0];
    let value = '';
    const positions: SourcePosition[] = [];
    let quote: ShellAssignment['quote'] = '';
    let firstPart = true;
    let broken = false;
    const add = (ch: string, p: SourcePosition): void => {
      value += ch;
      positions.push(p);
    };
    const expand = (p: SourcePosition): void => {
      // `$NAME` or `${NAME}` — sysconfig files may refer to earlier variables.
      const braced = s.peek() === '{';
      if (braced) s.next();
      NAME.lastIndex = s.pos;
      const v = NAME.exec(text);
      if (!v) {
        if (s.peek() === '(') problem('warning', `command substitution in ${name} is not evaluated; kept as written`, p);
        add('$', p);
        return;
      }
      for (let i = 0; i < v[0].length; i++) s.next();
      if (braced) {
        if (s.peek() === '}') s.next();
        else problem('warning', `unsupported parameter expansion in ${name}`, p);
      }
      for (const ch of vars.get(v[0]) ?? '') add(ch, p);
    };
    while (!s.done && !broken) {
      const ch = s.peek();
      if (ch === '"' || ch === "'") {
        if (firstPart) quote = ch;
        const open = s.here();
        s.next();
        while (!s.done && s.peek() !== ch) {
          const p = s.here();
          const x = s.next();
          if (ch === '"' && x === '\\' && /["\\$`\n]/.test(s.peek())) {
            const esc = s.next();
            if (esc !== '\n') add(esc, p);
          } else if (ch === '"' && x === '$') expand(p);
          else add(x, p);
        }
        if (s.done) {
          problem('error', `unterminated ${ch === '"' ? 'double' : 'single'} quote in the value of ${name}`, open);
          broken = true;
          break;
        }
        s.next();
      } else if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === ';' || ch === '') {
        break;
      } else if (ch === '`') {
        problem('warning', `command substitution in ${name} is not evaluated; kept as written`, s.here());
        add(s.next(), s.here());
      } else {
        const p = s.here();
        s.next();
        if (ch === '$') expand(p);
        else if (ch === '\\' && s.peek() !== '') add(s.next(), p);
        else add(ch, p);
      }
      firstPart = false;
    }
    const end = s.pos;
    assignments.push({ name, value, positions, line: at.line, column: at.column, start: statementStart, end, quote });
    vars.set(name, value);
    // Rest of the line: blanks and an optional comment are fine; anything else is another statement.
    while (s.peek() === ' ' || s.peek() === '\t') s.next();
    if (s.peek() === ';') s.next();
    else if (s.peek() === '#') s.skipToLineEnd();
    else if (s.peek() !== '\n' && s.peek() !== '\r' && s.peek() !== '') {
      problem('warning', `text after the value of ${name} is ignored`, s.here());
      s.skipToLineEnd();
    }
  }
  return { file, assignments, problems };
}

/** The effective (last) assignment of a variable. */
export function lastAssignment(file: ShellVariableFile, name: string): ShellAssignment | undefined {
  for (let i = file.assignments.length - 1; i >= 0; i--) if (file.assignments[i].name === name) return file.assignments[i];
  return undefined;
}

function quoteValue(value: string, preferred: ShellAssignment['quote']): string {
  if (preferred === "'" && !value.includes("'")) return `'${value}'`;
  if (preferred === '' && value !== '' && /^[A-Za-z0-9_./:,+=@%-]+$/.test(value)) return value;
  return `"${value.replace(/(["\\$`])/g, '\\$1')}"`;
}

/**
 * Rewrites variables in the text: each name's last assignment gets the new value (quote style
 * kept), a missing one is appended, `null` removes the assignment. Every other byte is kept.
 */
export function setShellVariables(text: string, file: string, updates: Record<string, string | null>): string {
  const parsed = parseShellVariables(text, file);
  const edits: { start: number; end: number; replacement: string }[] = [];
  let appended = '';
  for (const [name, value] of Object.entries(updates)) {
    const a = lastAssignment(parsed, name);
    if (a) {
      if (value === null) {
        // Remove the statement and its line break when it is alone on its line.
        const lineEnd = text.indexOf('\n', a.end);
        edits.push({ start: a.start, end: lineEnd < 0 ? text.length : lineEnd + 1, replacement: '' });
      } else if (a.value !== value) {
        edits.push({ start: a.start, end: a.end, replacement: `${name}=${quoteValue(value, a.quote || '"')}` });
      }
    } else if (value !== null) {
      appended += `${name}=${quoteValue(value, '"')}\n`;
    }
  }
  let out = text;
  for (const e of edits.sort((x, y) => y.start - x.start)) out = out.slice(0, e.start) + e.replacement + out.slice(e.end);
  if (appended) out += (out === '' || out.endsWith('\n') ? '' : '\n') + appended;
  return out;
}

/** Splits a value into blank-separated words with the source position of each word's first character. */
export function valueWords(a: ShellAssignment): { word: string; offset: number; at: SourcePosition }[] {
  const out: { word: string; offset: number; at: SourcePosition }[] = [];
  const re = /\S+/g;
  for (let m = re.exec(a.value); m; m = re.exec(a.value)) {
    out.push({ word: m[0], offset: m.index, at: a.positions[m.index] ?? { line: a.line, column: a.column } });
  }
  return out;
}
