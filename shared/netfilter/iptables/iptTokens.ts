// Splitting one line into words with their columns, the two ways iptables text
// is quoted:
//  - 'restore': iptables-restore's own rules (iptables/xshared.c
//    add_param_to_argv): blanks separate words, "double quotes" group them, a
//    backslash escapes the next character inside quotes; single quotes are
//    ordinary characters. This is how iptables-save output is read back.
//  - 'shell': POSIX sh words as in scripts: '...' literal, "..." with \ escapes,
//    \ outside quotes, `#` starting a word begins a comment, and ; && || | &
//    end a simple command (returned as operator tokens).

import { TokenProblem } from '../parseError.ts';

export interface Word {
  text: string;
  /** 1-based column where the word starts in the line. */
  column: number;
  /** true when any part of the word was quoted (so `"!"` is not negation in the shell sense is still `!`). */
  quoted: boolean;
  /** For shell operators (`;`, `&&`, `||`, `|`, `&`): the operator; text is the same. */
  operator?: string;
  /** Shell: `$NAME`/`${NAME}` references found outside single quotes, for substitution by the caller. */
  variables?: string[];
}

export function splitRestoreWords(line: string): Word[] {
  const words: Word[] = [];
  let i = 0;
  const n = line.length;
  while (i < n) {
    const c = line.charCodeAt(i);
    if (c === 32 || c === 9) {
      i++;
      continue;
    }
    const start = i;
    // Fast path (almost every word of a dump): no quote inside, the word is a slice of the line.
    while (i < n) {
      const ch = line.charCodeAt(i);
      if (ch === 32 || ch === 9 || ch === 34) break;
      i++;
    }
    if (i >= n || line.charCodeAt(i) !== 34) {
      words.push({ text: line.slice(start, i), column: start + 1, quoted: false });
      continue;
    }
    let text = line.slice(start, i);
    let quoted = false;
    while (i < n) {
      const ch = line[i];
      if (ch === ' ' || ch === '\t') break;
      if (ch === '"') {
        quoted = true;
        i++;
        let closed = false;
        while (i < n) {
          const q = line[i];
          if (q === '\\' && i + 1 < n) {
            text += line[i + 1];
            i += 2;
            continue;
          }
          if (q === '"') {
            closed = true;
            i++;
            break;
          }
          text += q;
          i++;
        }
        if (!closed) throw new TokenProblem('unterminated quoted string (missing closing ")', start + 1);
        continue;
      }
      text += ch;
      i++;
    }
    words.push({ text, column: start + 1, quoted });
  }
  return words;
}

const SHELL_OPERATORS = ['&&', '||', ';', '|', '&'];

export function splitShellWords(line: string): Word[] {
  const words: Word[] = [];
  let i = 0;
  const n = line.length;
  while (i < n) {
    const ch = line[i];
    if (ch === ' ' || ch === '\t') {
      i++;
      continue;
    }
    if (ch === '#') break;
    const op = SHELL_OPERATORS.find((o) => line.startsWith(o, i));
    if (op) {
      words.push({ text: op, column: i + 1, quoted: false, operator: op });
      i += op.length;
      continue;
    }
    const start = i;
    let text = '';
    let quoted = false;
    const variables: string[] = [];
    while (i < n) {
      const c = line[i];
      if (c === ' ' || c === '\t' || SHELL_OPERATORS.some((o) => line.startsWith(o, i))) break;
      if (c === '\\') {
        if (i + 1 < n) text += line[i + 1];
        i += 2;
        continue;
      }
      if (c === "'") {
        quoted = true;
        const end = line.indexOf("'", i + 1);
        if (end < 0) throw new TokenProblem("unterminated quoted string (missing closing ')", i + 1);
        text += line.slice(i + 1, end);
        i = end + 1;
        continue;
      }
      if (c === '"') {
        quoted = true;
        i++;
        let closed = false;
        while (i < n) {
          const q = line[i];
          if (q === '\\' && i + 1 < n && '"\\$`'.includes(line[i + 1])) {
            text += line[i + 1];
            i += 2;
            continue;
          }
          if (q === '"') {
            closed = true;
            i++;
            break;
          }
          if (q === '$') {
            const m = /^\$(?:\{(\w+)\}|(\w+))/.exec(line.slice(i));
            if (m) variables.push(m[1] ?? m[2]);
          }
          text += q;
          i++;
        }
        if (!closed) throw new TokenProblem('unterminated quoted string (missing closing ")', start + 1);
        continue;
      }
      if (c === '$') {
        const m = /^\$(?:\{(\w+)\}|(\w+))/.exec(line.slice(i));
        if (m) variables.push(m[1] ?? m[2]);
      }
      text += c;
      i++;
    }
    const word: Word = { text, column: start + 1, quoted };
    if (variables.length) word.variables = variables;
    words.push(word);
  }
  return words;
}

/** iptables-save's quoting of a string argument (libxtables xtables_save_string): bare when only [A-Za-z0-9_-], else "..." with " \ ' escaped. */
export function saveString(value: string): string {
  if (/^[A-Za-z0-9_-]+$/.test(value)) return value;
  return `"${value.replace(/["\\']/g, (c) => `\\${c}`)}"`;
}
