// Reads an admin's firewall shell script into the simple commands it runs,
// in order, with their line numbers: what `sh fw.sh` would execute if every
// line ran once, top to bottom. Handles comments, `\` continuations, `;`,
// `&&`, `||` (a `|| true` marks the command as allowed to fail), redirections,
// and variables assigned earlier in the script (`IPT=/sbin/iptables`,
// `$IPT -A …`). Shell control flow (if/for/while/case/functions) is not
// evaluated: the control lines are reported as skipped and the commands inside
// are marked `conditional` so the explanation can say they were assumed to run.

export interface ScriptCommand {
  /** 1-based line where the command starts, and where it ends (continuations). */
  line: number;
  endLine: number;
  /** The command after variable expansion, redirections removed. */
  text: string;
  /** First word (the program), unquoted. */
  program: string;
  /** Everything after the program word, quotes kept (the argument text a parser reads). */
  args: string;
  /** Input redirection `< FILE`, if any (iptables-restore < rules.v4). */
  stdin?: string;
  /** Output redirection `> FILE` / `>> FILE`, if any (echo 1 > /proc/sys/net/ipv4/ip_forward). */
  stdout?: string;
  /** Followed by `|| true` / `|| :` (failure tolerated). */
  mayFail: boolean;
  /** Inside if/for/while/case or a function body. */
  conditional: boolean;
}

export interface SkippedLine {
  line: number;
  text: string;
  reason: string;
}

export interface ReadScript {
  commands: ScriptCommand[];
  skipped: SkippedLine[];
  /** Variables assigned at top level, in order of assignment (last value). */
  variables: Record<string, string>;
}

const CONTROL_OPEN = new Set(['if', 'for', 'while', 'until', 'case', 'select']);
const CONTROL_CLOSE = new Set(['fi', 'done', 'esac']);
const CONTROL_OTHER = new Set(['then', 'else', 'elif', 'do', '{', '}']);

/** Logical lines: continuations joined, with the physical line span. */
function logicalLines(text: string): { line: number; endLine: number; text: string }[] {
  const out: { line: number; endLine: number; text: string }[] = [];
  const physical = text.split(/\r?\n/);
  for (let i = 0; i < physical.length; i++) {
    let t = physical[i];
    const start = i;
    while (/(^|[^\\])\\$/.test(t) && i + 1 < physical.length) t = t.slice(0, -1) + ' ' + physical[++i];
    out.push({ line: start + 1, endLine: i + 1, text: t });
  }
  return out;
}

/** Splits at unquoted `;`, `&&`, `||`, `|`; strips an unquoted `#` comment. */
function splitCommands(line: string): { text: string; sep: string }[] {
  const parts: { text: string; sep: string }[] = [];
  let cur = '';
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      cur += c;
      if (c === '\\' && quote === '"' && i + 1 < line.length) cur += line[++i];
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      cur += c;
    } else if (c === '\\' && i + 1 < line.length) {
      cur += c + line[++i];
    } else if (c === '#' && (cur === '' || /\s$/.test(cur))) {
      break;
    } else if (c === ';' || c === '&' || c === '|') {
      let sep = c;
      if ((c === '&' || c === '|') && line[i + 1] === c) sep = c + line[++i];
      else if (c === '&' && /\d?>$/.test(cur)) {
        cur += c; // `2>&1` is a redirection, not a separator
        continue;
      }
      parts.push({ text: cur.trim(), sep });
      cur = '';
    } else cur += c;
  }
  parts.push({ text: cur.trim(), sep: '' });
  return parts.filter((p) => p.text !== '' || p.sep !== '');
}

function expand(text: string, vars: Record<string, string>): { text: string; unknown: string[] } {
  const unknown: string[] = [];
  let out = '';
  let inSingle = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'") inSingle = !inSingle;
    if (c === '$' && !inSingle) {
      const m = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/.exec(text.slice(i));
      if (m) {
        const name = m[1] ?? m[2];
        if (vars[name] === undefined) unknown.push(name);
        out += vars[name] ?? '';
        i += m[0].length - 1;
        continue;
      }
    }
    out += c;
  }
  return { text: out, unknown };
}

const unquote = (w: string): string => w.replace(/^(['"])(.*)\1$/, '$2');

/** Removes redirections; returns the `< FILE` input and the `> FILE` output (not `2>`, not `>&`). */
function stripRedirections(text: string): { text: string; stdin?: string; stdout?: string } {
  let stdin: string | undefined;
  let stdout: string | undefined;
  const cleaned = text
    .replace(/\s*<\s*(\S+)/g, (_m, f: string) => {
      stdin = unquote(f);
      return '';
    })
    .replace(/\s*(\d*)>>?\s*(&?)(\S+)/g, (_m, fd: string, amp: string, f: string) => {
      if ((fd === '' || fd === '1') && !amp) stdout = unquote(f);
      return '';
    })
    .trim();
  return { text: cleaned, stdin, stdout };
}

export function readShellScript(text: string): ReadScript {
  const commands: ScriptCommand[] = [];
  const skipped: SkippedLine[] = [];
  const variables: Record<string, string> = {};
  let depth = 0;
  for (const l of logicalLines(text)) {
    const trimmed = l.text.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const parts = splitCommands(l.text);
    for (let p = 0; p < parts.length; p++) {
      const part = parts[p];
      if (part.text === '') continue;
      if (part.sep === '|' || parts[p - 1]?.sep === '|') {
        skipped.push({ line: l.line, text: part.text, reason: 'part of a pipeline; pipelines are not evaluated' });
        continue;
      }
      const first = part.text.split(/\s+/)[0];
      if (CONTROL_OPEN.has(first) || CONTROL_CLOSE.has(first) || CONTROL_OTHER.has(first) || /^[A-Za-z_][\w-]*\s*\(\)/.test(part.text) || first === 'function') {
        if (CONTROL_OPEN.has(first) || first === 'function' || /\(\)\s*\{?$/.test(part.text) || part.text.endsWith('{')) depth++;
        if (CONTROL_CLOSE.has(first) || first === '}') depth = Math.max(0, depth - 1);
        skipped.push({ line: l.line, text: part.text, reason: `shell control flow (${first}) is not evaluated; the commands inside are assumed to run once` });
        continue;
      }
      const assign = /^(?:export\s+|readonly\s+|local\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(part.text);
      if (assign && !/\s/.test(assign[2].replace(/(["']).*?\1/g, ''))) {
        const value = expand(assign[2], variables).text;
        if (depth === 0 || variables[assign[1]] === undefined) variables[assign[1]] = unquote(value);
        continue;
      }
      const expanded = expand(part.text, variables);
      if (expanded.unknown.length > 0 && expanded.text.trim().split(/\s+/)[0] === '') {
        skipped.push({ line: l.line, text: part.text, reason: `the command is the unset variable $${expanded.unknown[0]}` });
        continue;
      }
      const { text: cmd, stdin, stdout } = stripRedirections(expanded.text);
      const words = cmd.split(/\s+/);
      let i = 0;
      while (i < words.length && /^(sudo|command|exec|nice|time)$/.test(words[i])) i++;
      const program = unquote(words[i] ?? '');
      const args = words.slice(i + 1).join(' ');
      const next = parts[p + 1];
      const mayFail = part.sep === '||' && next !== undefined && /^(true|:)$/.test(next.text);
      if (mayFail) p++;
      commands.push({ line: l.line, endLine: l.endLine, text: cmd, program, args, ...(stdin ? { stdin } : {}), ...(stdout ? { stdout } : {}), mayFail, conditional: depth > 0 });
    }
  }
  return { commands, skipped, variables };
}
