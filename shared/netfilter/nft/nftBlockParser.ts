// The block structure of nft's language over lexed tokens: `table FAMILY NAME
// { … }` with its `chain`, `set`/`map` and `flags` lines; a chain's `type …
// hook … priority …; policy …;` line and its rules; `# handle N` comments.
// Shared by the `nft list ruleset` reader and the `nft -f` script reader.
// Problems are collected (every bad line), with recovery to the next line.

import { parseNftStatements, unquote } from './parseNftStatements.ts';
import type { NftToken } from './nftLexer.ts';
import { NFT_KEYWORD_NAMES, keywordNameProblem } from './nftKeywordNames.ts';
import { parsePriority, priorityText } from './nftPriority.ts';
import type { NftBaseChainSpec, NftChain, NftFamily, NftHook, NftRule, NftSet, NftTable } from '../model.ts';
import { TokenProblem, type ParseProblem } from '../parseError.ts';

export const NFT_FAMILIES: readonly NftFamily[] = ['ip', 'ip6', 'inet', 'bridge', 'arp', 'netdev'];
const HOOKS: readonly NftHook[] = ['prerouting', 'input', 'forward', 'output', 'postrouting', 'ingress', 'egress'];
const CHAIN_TYPES = ['filter', 'nat', 'route'] as const;

export class BlockProblem extends Error {
  constructor(
    message: string,
    readonly token: NftToken | undefined,
  ) {
    super(message);
  }
}

export interface BlockContext {
  lines: readonly string[];
  file?: string;
  problems: ParseProblem[];
  /** Script mode: `nft -f` canonicalises what it stores (quoted interface names, /32 prefixes ...). */
  onRule?: (rule: NftRule) => void;
  /** Script mode: `chain c { policy drop; }` without a type is an update of an existing base chain's policy (kept here, keyed by the parsed chain). */
  policyWithoutType?: WeakMap<NftChain, 'accept' | 'drop'>;
  /** A real host's `nft list ruleset` (lenient): a name nft refuses to read (nftKeywordNames.ts) was printed, so the object exists — accept it. */
  keywordNames?: boolean;
}

export class NftCursor {
  p = 0;
  constructor(readonly tokens: NftToken[]) {}

  peek(offset = 0): NftToken | undefined {
    return this.tokens[this.p + offset];
  }

  next(): NftToken | undefined {
    return this.tokens[this.p++];
  }

  atEnd(): boolean {
    return this.p >= this.tokens.length;
  }

  isWord(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t !== undefined && t.type === 'word' && t.text === text;
  }

  isPunct(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t !== undefined && t.type === 'punct' && t.text === text;
  }

  expectWord(what: string): NftToken {
    const t = this.next();
    if (!t || t.type !== 'word') throw new BlockProblem(`expected ${what}${t ? `, found "${t.text.trim() || 'end of line'}"` : ' before the end of the text'}`, t ?? this.tokens[this.tokens.length - 1]);
    return t;
  }

  /**
   * A table, chain or set name: a bare word that nft does not read as a keyword (nftKeywordNames.ts).
   * A keyword or quoted name is reported in `ctx.problems` and read on (unquoted), so the block
   * after it is parsed and checked as usual.
   */
  expectName(what: string, ctx: Pick<BlockContext, 'problems' | 'keywordNames'>): NftToken {
    const t = this.peek();
    if (t?.type === 'string') {
      this.p++;
      ctx.problems.push({ line: t.line, column: t.column, message: `${what} in quotes (${t.text}): nft accepts only a bare name here (syntax error, unexpected quoted string)` });
      return { ...t, type: 'word', text: unquote(t.text) };
    }
    const w = this.expectWord(what);
    // Line 0: the name the script reader put into a command's synthesized block, already checked.
    if (!ctx.keywordNames && w.line !== 0 && NFT_KEYWORD_NAMES.has(w.text)) ctx.problems.push({ line: w.line, column: w.column, message: keywordNameProblem(w.text, what) });
    return w;
  }

  /**
   * nft ends every item of a block (a rule, a chain's type or policy line, a chain/set/map block,
   * flags) and every top-level block with a newline or ";" (a comment runs to the newline):
   * `accept }`, `table ip t { chain x { } }` and `table ip t { } table ip u { }` are syntax errors
   * (nft 1.0.6, `nft -c -f`). Reported at the token that follows; parsing goes on.
   */
  needSeparator(after: string, problems: ParseProblem[]): void {
    const t = this.peek();
    // Line 0: a brace the script reader added around a command's body (`add chain … { … }`), not source text.
    if (!t || t.line === 0 || t.type === 'newline' || t.type === 'comment' || (t.type === 'punct' && t.text === ';')) return;
    problems.push({ line: t.line, column: t.column, message: `nft needs a newline or ";" after ${after} before "${t.text}" (syntax error, unexpected ${t.text === '}' ? "'}'" : t.text})` });
  }

  expectPunct(text: string): NftToken {
    const t = this.next();
    if (!t || t.type !== 'punct' || t.text !== text) throw new BlockProblem(`expected "${text}"${t ? `, found "${t.text.trim() || 'end of line'}"` : ' before the end of the text'}`, t ?? this.tokens[this.tokens.length - 1]);
    return t;
  }

  /** Skips newlines, `;` and plain comments. */
  skipBlank(): void {
    while (!this.atEnd()) {
      const t = this.peek() as NftToken;
      if (t.type === 'newline' || t.type === 'comment' || (t.type === 'punct' && t.text === ';')) this.p++;
      else break;
    }
  }

  /** A `# handle N` comment right here (same line), consumed. */
  handleComment(): number | undefined {
    const t = this.peek();
    if (t && t.type === 'comment') {
      const m = /^\s*handle (\d+)\s*$/.exec(t.text);
      if (m) {
        this.p++;
        return Number(m[1]);
      }
    }
    return undefined;
  }

  /** Tokens up to the end of the statement (newline or `;` or a closing `}` at depth 0), braces balanced. */
  statementTokens(): NftToken[] {
    const out: NftToken[] = [];
    let depth = 0;
    while (!this.atEnd()) {
      const t = this.peek() as NftToken;
      if (depth === 0 && (t.type === 'newline' || t.type === 'comment' || (t.type === 'punct' && (t.text === ';' || t.text === '}')))) break;
      if (t.type === 'punct' && t.text === '{') depth++;
      if (t.type === 'punct' && t.text === '}') depth--;
      if (t.type === 'newline' || t.type === 'comment') {
        this.p++;
        continue;
      }
      out.push(t);
      this.p++;
    }
    return out;
  }

  /** After an error: skip to the end of the current line. */
  skipLine(): void {
    while (!this.atEnd() && this.peek()?.type !== 'newline') this.p++;
  }

  /** After an error inside a block: skip to the `}` that closes it (consumed). */
  skipBlock(): void {
    let depth = 1;
    while (!this.atEnd()) {
      const t = this.next() as NftToken;
      if (t.type === 'punct' && t.text === '{') depth++;
      if (t.type === 'punct' && t.text === '}' && --depth === 0) return;
    }
  }
}

export function problemAt(ctx: BlockContext, e: unknown, fallback: NftToken | undefined): void {
  if (e instanceof BlockProblem) {
    const t = e.token ?? fallback;
    ctx.problems.push({ line: t?.line ?? 1, column: t?.column ?? 1, message: e.message });
  } else if (e instanceof TokenProblem) {
    ctx.problems.push({ line: (e as TokenProblem & { line?: number }).line ?? fallback?.line ?? 1, column: e.column, message: e.message });
  } else throw e;
}

export function readFamily(token: NftToken): NftFamily {
  if (!NFT_FAMILIES.includes(token.text as NftFamily)) throw new BlockProblem(`"${token.text}" is not an nft family (ip, ip6, inet, bridge, arp, netdev)`, token);
  return token.text as NftFamily;
}

/** Reads `{ … }` of a table (cursor on `{`). */
export function readTableBody(cur: NftCursor, table: NftTable, ctx: BlockContext): void {
  cur.expectPunct('{');
  const handle = cur.handleComment();
  if (handle !== undefined) table.handle = handle;
  for (;;) {
    cur.skipBlank();
    const t = cur.peek();
    if (!t) throw new BlockProblem(`table ${table.name} is not closed (missing "}")`, cur.tokens[cur.tokens.length - 1]);
    if (t.type === 'punct' && t.text === '}') {
      cur.p++;
      return;
    }
    try {
      cur.p++;
      if (t.type === 'word' && t.text === 'chain') {
        const name = cur.expectName('a chain name', ctx);
        const chain: NftChain = { name: unquote(name.text), rules: [] };
        readChainBody(cur, chain, table, ctx);
        cur.needSeparator(`chain ${chain.name}'s "}"`, ctx.problems);
        if (table.chains.some((c) => c.name === chain.name)) throw new BlockProblem(`chain ${chain.name} defined twice in table ${table.name}`, name);
        table.chains.push(chain);
      } else if (t.type === 'word' && (t.text === 'set' || t.text === 'map')) {
        const name = cur.expectName(t.text === 'map' ? 'a map name' : 'a set name', ctx);
        const set: NftSet = { name: name.text, isMap: t.text === 'map', type: '', elements: null };
        readSetBody(cur, set, ctx);
        cur.needSeparator(`${t.text} ${set.name}'s "}"`, ctx.problems);
        table.sets.push(set);
      } else if (t.type === 'word' && t.text === 'flags') {
        table.flags = cur.statementTokens().map((x) => x.text).join('').split(',').filter(Boolean);
        cur.needSeparator('the table flags', ctx.problems);
      } else if (t.type === 'word' && t.text === 'comment') {
        const words = cur.statementTokens();
        if (words.length !== 1) throw new BlockProblem('a table comment is one string (comment "…")', words[1] ?? t);
        table.comment = words[0].text;
      } else {
        throw new BlockProblem(`"${t.text}" is not supported inside a table (chain, set, map, flags, comment are)`, t);
      }
    } catch (e) {
      problemAt(ctx, e, t);
      // Recover at the next line; an unreadable chain header makes its rule lines problems too, each named.
      cur.skipLine();
    }
  }
}

function readBaseSpec(words: NftToken[], family: NftFamily): NftBaseChainSpec {
  // type T hook H [device D] priority P
  const at = (i: number): string | undefined => words[i]?.text;
  if (at(0) !== 'type') throw new BlockProblem('expected "type"', words[0]);
  const type = at(1);
  if (!CHAIN_TYPES.includes(type as (typeof CHAIN_TYPES)[number])) throw new BlockProblem(`"${type ?? ''}" is not a chain type (filter, nat, route)`, words[1] ?? words[0]);
  if (at(2) !== 'hook') throw new BlockProblem('expected "hook" after the chain type', words[2] ?? words[1]);
  const hook = at(3);
  if (!HOOKS.includes(hook as NftHook)) throw new BlockProblem(`"${hook ?? ''}" is not a hook (${HOOKS.join(', ')})`, words[3] ?? words[2]);
  let i = 4;
  let device: string | undefined;
  if (at(i) === 'device') {
    device = unquote(at(i + 1) ?? '');
    i += 2;
  }
  if (at(i) !== 'priority') throw new BlockProblem('expected "priority"', words[i] ?? words[words.length - 1]);
  const prioWords = words.slice(i + 1).map((w) => w.text);
  const priority = parsePriority(family, prioWords);
  if (priority === null) throw new BlockProblem(`"${prioWords.join(' ')}" is not a priority (a number, or a name such as filter, srcnat, "filter + 10")`, words[i + 1] ?? words[i]);
  const spec: NftBaseChainSpec = { type: type as NftBaseChainSpec['type'], hook: hook as NftHook, priority, priorityText: priorityText(family, hook as NftHook, priority) };
  if (device !== undefined) spec.device = device;
  return spec;
}

function readChainBody(cur: NftCursor, chain: NftChain, table: NftTable, ctx: BlockContext): void {
  cur.expectPunct('{');
  const handle = cur.handleComment();
  if (handle !== undefined) chain.handle = handle;
  for (;;) {
    cur.skipBlank();
    const t = cur.peek();
    if (!t) throw new BlockProblem(`chain ${chain.name} is not closed (missing "}")`, cur.tokens[cur.tokens.length - 1]);
    if (t.type === 'punct' && t.text === '}') {
      cur.p++;
      return;
    }
    const tokens = cur.statementTokens();
    let ruleHandle = cur.handleComment();
    // nft 1.1 appends `# Warning: XT target MASQUERADE not found` to an iptables-nft rule it cannot
    // decode (fixture v11-iptables/nat-ipv6-masq-single/nft.txt): part of the rule's text.
    let trailing: string | undefined;
    const comment = cur.peek();
    if (tokens.length && ruleHandle === undefined && comment?.type === 'comment' && comment.line === tokens[tokens.length - 1].line) {
      cur.p++;
      const m = /^(.*?)\s*# handle (\d+)\s*$/.exec(comment.text);
      trailing = `#${m ? m[1] : comment.text}`;
      if (m) ruleHandle = Number(m[2]);
      // ... and then the untranslated statement itself on the next line, unindented: `xt target "MASQUERADE"`.
      const nl = cur.peek();
      const xt = cur.peek(1);
      if (/Warning: XT (?:target|match) \S+ not found/.test(comment.text) && nl?.type === 'newline' && xt?.type === 'word' && xt.text === 'xt' && xt.column === 1) {
        cur.p++;
        cur.statementTokens();
        trailing += `\n${ctx.lines[xt.line - 1] ?? ''}`;
      }
    }
    if (!tokens.length) {
      cur.p++;
      continue;
    }
    cur.needSeparator(`"${tokens.map((x) => x.text).join(' ').slice(0, 40)}"`, ctx.problems);
    try {
      const first = tokens[0].text;
      if (first === 'type' && tokens[0].type === 'word') {
        const policy = chain.base?.policy;
        chain.base = readBaseSpec(tokens, table.family);
        if (policy) chain.base.policy = policy;
      } else if (first === 'policy' && tokens[0].type === 'word') {
        const p = tokens[1]?.text;
        if (p !== 'accept' && p !== 'drop') throw new BlockProblem(`policy "${p ?? ''}" must be accept or drop`, tokens[1] ?? tokens[0]);
        if (chain.base) chain.base.policy = p;
        else if (ctx.policyWithoutType) ctx.policyWithoutType.set(chain, p);
        else throw new BlockProblem('a policy needs a base chain ("type … hook … priority …" first)', tokens[0]);
      } else if ((first === 'devices' || first === 'flags' || (first === 'comment' && tokens.length === 2 && chain.rules.length === 0)) && tokens[0].type === 'word') {
        chain.extraLines = [...(chain.extraLines ?? []), tokens.map((x) => x.text).join(' ')];
      } else {
        const rule: NftRule = { statements: parseNftStatements(tokens, { lines: ctx.lines, ...(ctx.keywordNames ? { keywordNames: true } : {}) }) };
        if (trailing !== undefined) rule.statements.push({ kind: 'other', text: trailing });
        if (ruleHandle !== undefined) rule.handle = ruleHandle;
        rule.provenance = ctx.file ? { file: ctx.file, line: tokens[0].line } : { line: tokens[0].line };
        ctx.onRule?.(rule);
        chain.rules.push(rule);
      }
    } catch (e) {
      problemAt(ctx, e, tokens[0]);
    }
  }
}

function readSetBody(cur: NftCursor, set: NftSet, ctx: BlockContext): void {
  cur.expectPunct('{');
  const handle = cur.handleComment();
  if (handle !== undefined) set.handle = handle;
  for (;;) {
    cur.skipBlank();
    const t = cur.peek();
    if (!t) throw new BlockProblem(`set ${set.name} is not closed (missing "}")`, cur.tokens[cur.tokens.length - 1]);
    if (t.type === 'punct' && t.text === '}') {
      cur.p++;
      break;
    }
    const tokens = cur.statementTokens();
    if (!tokens.length) {
      cur.p++;
      continue;
    }
    const first = tokens[0].text;
    // `elements = { … }` is the one set item nft lets the set's "}" follow directly.
    if (first !== 'elements') cur.needSeparator(`"${tokens.map((x) => x.text).join(' ').slice(0, 40)}"`, ctx.problems);
    if (first === 'type') set.type = tokens.slice(1).map((x) => x.text).join(' ');
    else if (first === 'typeof') set.type = tokens.map((x) => x.text).join(' ');
    else if (first === 'flags') set.flags = tokens.slice(1).map((x) => x.text).join('').split(',').filter(Boolean);
    else if (first === 'elements') {
      if (tokens[1]?.text !== '=' || tokens[2]?.text !== '{' || tokens[tokens.length - 1].text !== '}') throw new BlockProblem('expected "elements = { … }"', tokens[1] ?? tokens[0]);
      set.elements = splitElements(tokens.slice(3, -1));
    } else set.extraLines = [...(set.extraLines ?? []), tokens.map((x) => x.text).join(' ')];
  }
  if (!set.type) throw new BlockProblem(`set ${set.name} has no type`, cur.tokens[cur.p - 1]);
}

/** `a, b . c, d : accept` → ['a', 'b . c', 'd : accept'] (commas may be glued to words). */
export function splitElements(tokens: NftToken[]): string[] {
  const out: string[] = [];
  let current: string[] = [];
  let depth = 0;
  for (const t of tokens) {
    if (t.type === 'punct' && (t.text === '{' || t.text === '(')) depth++;
    if (t.type === 'punct' && (t.text === '}' || t.text === ')')) depth--;
    if (t.type === 'word' && depth === 0 && t.text.includes(',')) {
      const pieces = t.text.split(',');
      pieces.forEach((piece, i) => {
        if (piece) current.push(piece);
        if (i < pieces.length - 1 && current.length) {
          out.push(current.join(' '));
          current = [];
        }
      });
      continue;
    }
    current.push(t.text);
  }
  if (current.length) out.push(current.join(' '));
  return out;
}
