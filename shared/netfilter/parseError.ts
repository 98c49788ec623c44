// The one error type every netfilter parser throws: it names the file and every
// bad line (not only the first), each with a 1-based line and column and a
// message that names the offending token. The CLI prints each problem as
// `FILE:line:col: message`; the app shows them beside the pasted text.

export interface ParseProblem {
  /** 1-based line. */
  line: number;
  /** 1-based column of the offending token (1 when the whole line is at fault). */
  column: number;
  message: string;
}

/** A line a lenient parse did not read (an excerpt marker `...`, a shell prompt), with why. */
export interface SkippedLine {
  line: number;
  text: string;
  reason: string;
}

export class RulesetParseError extends Error {
  readonly file: string | undefined;
  readonly problems: ParseProblem[];

  constructor(problems: ParseProblem[], file?: string) {
    const sorted = [...problems].sort((a, b) => a.line - b.line || a.column - b.column);
    const where = file ?? '<input>';
    const head = sorted.slice(0, 5).map((p) => `${where}:${p.line}:${p.column}: ${p.message}`);
    const more = sorted.length > 5 ? [`... and ${sorted.length - 5} more`] : [];
    super([...head, ...more].join('\n'));
    this.name = 'RulesetParseError';
    this.file = file;
    this.problems = sorted;
  }
}

/** A problem found while reading one token; the line-level parser adds the line number. */
export class TokenProblem extends Error {
  constructor(
    message: string,
    readonly column: number,
  ) {
    super(message);
    this.name = 'TokenProblem';
  }
}

/** How pasted excerpts mark omitted lines (the seed's dumps use `.....`, `...`, `..`; editors insert `…`). */
export function isExcerptMarker(line: string): boolean {
  return /^\s*(?:\.{2,}|…+)\s*$/.test(line);
}

export const EXCERPT_REASON = 'excerpt marker: lines were left out of this dump';

export function excerptProblem(lineNo: number, line: string): ParseProblem {
  const column = line.search(/\S/) + 1;
  return {
    line: lineNo,
    column: column > 0 ? column : 1,
    message: `"${line.trim()}" marks left-out lines: this is an excerpt, not a complete dump (paste the full output, or read it leniently to skip such lines)`,
  };
}

const PROMPT_COMMAND = String.raw`(?:sudo\s+)?(?:\/\S*\/)?(?:ip6?tables(?:-legacy|-nft)?(?:-save)?|nft)\b`;
const PROMPT_WITH_HOST_RE = new RegExp(String.raw`^\s*[\w.@-]+(?::[^\s#$]*)?\s*[#$]\s*${PROMPT_COMMAND}`);
const PROMPT_BARE_RE = new RegExp(String.raw`^\s*[#$]\s*${PROMPT_COMMAND}(.*)$`);

/**
 * Shell prompts pasted along with the output (`mytux:/etc/sysconfig # iptables -S`, `$ sudo nft list
 * ruleset`, `# iptables-save`). A bare `#` line counts only when the rest is exactly such a command
 * (options only), so a comment like `# iptables rules for the lab` stays a comment.
 */
export function isPromptLine(line: string): boolean {
  // Every prompt has a # or $; rule lines almost never do (this runs on each line of a 10k-rule dump).
  if (!line.includes('#') && !line.includes('$')) return false;
  if (/^\s*#\s*(?:Generated|Completed|Warning)\b/.test(line)) return false;
  if (PROMPT_WITH_HOST_RE.test(line)) return true;
  const bare = PROMPT_BARE_RE.exec(line);
  if (!bare) return false;
  const rest = bare[1].trim().split(/\s+/).filter(Boolean);
  // Only options and short words (`-t nat -S`, `-a list ruleset`), with an option or `list` among them.
  return rest.every((w) => /^(?:-\S+|[a-z0-9_.-]{1,12})$/.test(w)) && (rest.length === 0 || rest.some((w) => w.startsWith('-') || w === 'list'));
}

/** Splits text into lines without the terminators (\n or \r\n); the last empty piece after a final newline is dropped. */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}
