// `nft -f` scripts (and single `nft …` command lines) → NftCommand[], applied
// with applyNftCommand. Understood: `add`/`create`/`insert`/`replace`/`delete`
// of tables, chains, rules, sets/maps and elements (the `add` keyword may be
// left out), `flush ruleset|table|chain`, `table … { … }` blocks, `define` with
// `$var` substitution. `include` is refused with a clear message (the included
// file is not part of the text). `list …` changes nothing and yields no command.
// Rules are stored the way nft lists them (canonicalNftRule.ts).

import { canonicalNftRule } from './canonicalNftRule.ts';
import { NftCursor, BlockProblem, NFT_FAMILIES, problemAt, readTableBody, splitElements, type BlockContext } from './nftBlockParser.ts';
import { lexNft, NftLexError, type NftToken } from './nftLexer.ts';
import type { NftCommand } from './nftCommand.ts';
import { parseNftStatements } from './parseNftStatements.ts';
import { screenPastedLines } from './parseNft.ts';
import type { NftChain, NftFamily, NftRule, NftSet, NftTable } from '../model.ts';
import { RulesetParseError, type ParseProblem, type SkippedLine } from '../parseError.ts';

export interface ParseNftScriptOptions {
  file?: string;
  lenient?: boolean;
  /** Variables defined outside the text (`nft -D NAME=VALUE`). */
  variables?: Record<string, string>;
}

export interface NftScriptCommand {
  command: NftCommand;
  /** 1-based line of the statement that produced it. */
  line: number;
}

export interface ParsedNftScript {
  commands: NftScriptCommand[];
  skipped: SkippedLine[];
}

const VERBS = new Set(['add', 'create', 'insert', 'replace', 'delete', 'destroy', 'flush', 'list', 'reset', 'rename', 'monitor', 'describe', 'get', 'export']);
const OBJECTS = new Set(['table', 'chain', 'rule', 'set', 'map', 'element', 'ruleset']);
const READ_ONLY = new Set(['list', 'monitor', 'describe', 'get', 'export']);

/** Replaces `define NAME = …` statements and `$NAME` words (nft substitutes tokens, src/scanner.l + parser_bison.y). */
function substituteVariables(tokens: NftToken[], initial: Record<string, string>, problems: ParseProblem[]): NftToken[] {
  const vars = new Map<string, NftToken[]>();
  for (const [k, v] of Object.entries(initial)) vars.set(k, lexNft(v).filter((t) => t.type !== 'newline'));
  const out: NftToken[] = [];
  let atStart = true;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (atStart && t.type === 'word' && (t.text === 'define' || t.text === 'redefine')) {
      const name = tokens[i + 1];
      const eq = tokens[i + 2];
      if (!name || name.type !== 'word' || !eq || eq.text !== '=') {
        problems.push({ line: t.line, column: t.column, message: 'expected "define NAME = VALUE"' });
        while (i < tokens.length && tokens[i].type !== 'newline') i++;
        continue;
      }
      const value: NftToken[] = [];
      let j = i + 3;
      let depth = 0;
      for (; j < tokens.length; j++) {
        const v = tokens[j];
        if (depth === 0 && (v.type === 'newline' || v.type === 'comment' || v.text === ';')) break;
        if (v.text === '{') depth++;
        if (v.text === '}') depth--;
        if (v.type === 'newline') continue;
        if (v.type === 'word' && v.text.startsWith('$')) {
          const ref = vars.get(v.text.slice(1));
          if (!ref) problems.push({ line: v.line, column: v.column, message: `variable "${v.text}" is not defined` });
          else value.push(...ref);
          continue;
        }
        value.push(v);
      }
      if (!value.length) problems.push({ line: t.line, column: t.column, message: `variable "${name.text}" has no value` });
      vars.set(name.text, value);
      i = j - 1;
      continue;
    }
    if (t.type === 'word' && t.text.startsWith('$')) {
      const ref = vars.get(t.text.slice(1).replace(/,$/, ''));
      if (!ref) {
        problems.push({ line: t.line, column: t.column, message: `variable "${t.text}" is not defined (define it with "define ${t.text.slice(1)} = …")` });
        out.push(t);
      } else {
        // Keep the use site's position (for messages); mark the copy so verbatim text is rebuilt from tokens.
        ref.forEach((r) => out.push({ ...r, line: t.line, column: t.column, substituted: true }));
        if (t.text.endsWith(',')) out.push({ ...t, text: ',' });
      }
      atStart = false;
      continue;
    }
    out.push(t);
    atStart = t.type === 'newline' || t.text === ';' || t.text === '{' || t.text === '}';
  }
  return out;
}

class ScriptReader {
  readonly commands: NftScriptCommand[] = [];

  constructor(
    private readonly cur: NftCursor,
    private readonly ctx: BlockContext,
  ) {}

  private family(): NftFamily {
    const t = this.cur.peek();
    // `add table ip "t"`: the family is there, the quoted name after it is what nft refuses.
    const next = this.cur.peek(1)?.type;
    if (t && t.type === 'word' && NFT_FAMILIES.includes(t.text as NftFamily) && (next === 'word' || next === 'string')) {
      this.cur.p++;
      return t.text as NftFamily;
    }
    return 'ip';
  }

  private emit(command: NftCommand, line: number): void {
    this.commands.push({ command, line });
  }

  private endOfStatement(): void {
    const t = this.cur.peek();
    if (t && !(t.type === 'newline' || t.type === 'comment' || t.text === ';')) throw new BlockProblem(`unexpected "${t.text}"`, t);
  }

  run(): void {
    for (;;) {
      this.cur.skipBlank();
      const t = this.cur.peek();
      if (!t) return;
      try {
        this.statement(t);
      } catch (e) {
        problemAt(this.ctx, e, t);
        this.cur.skipLine();
      }
    }
  }

  private statement(first: NftToken): void {
    if (first.type !== 'word') throw new BlockProblem(`unexpected "${first.text}" at the start of a statement`, first);
    if (first.text === 'include') {
      const file = this.cur.peek(1);
      throw new BlockProblem(`include ${file?.text ?? ''} is not supported: the included file is not part of this text (paste its content here instead)`, first);
    }
    let verb = 'add';
    if (VERBS.has(first.text)) {
      verb = first.text;
      this.cur.p++;
    } else if (!OBJECTS.has(first.text)) {
      throw new BlockProblem(`"${first.text}" is not an nft command (add, insert, delete, flush, table, define, ...)`, first);
    }
    const objectToken = this.cur.expectWord('an object (table, chain, rule, set, map, element, ruleset)');
    const object = objectToken.text;
    if (!OBJECTS.has(object)) throw new BlockProblem(`"${object}" is not an nft object (table, chain, rule, set, map, element, ruleset)`, objectToken);
    if (READ_ONLY.has(verb)) {
      this.cur.statementTokens();
      return;
    }
    if (verb === 'destroy' || verb === 'rename' || verb === 'reset') throw new BlockProblem(`"${verb} ${object}" is not supported`, first);
    const line = first.line;
    switch (object) {
      case 'ruleset': {
        if (verb !== 'flush') throw new BlockProblem(`"${verb} ruleset" is not supported (flush ruleset is)`, first);
        const t = this.cur.peek();
        if (t?.type === 'word' && NFT_FAMILIES.includes(t.text as NftFamily)) {
          this.cur.p++;
          this.emit({ op: 'flush-ruleset', family: t.text as NftFamily }, line);
        } else this.emit({ op: 'flush-ruleset' }, line);
        this.endOfStatement();
        return;
      }
      case 'table':
        return this.table(verb, line);
      case 'chain':
        return this.chain(verb, line);
      case 'rule':
        return this.rule(verb, line, first);
      case 'set':
      case 'map':
        return this.set(verb, object === 'map', line, first);
      case 'element':
        return this.element(verb, line, first);
    }
  }

  private table(verb: string, line: number): void {
    const family = this.family();
    const name = this.cur.expectName('a table name', this.ctx).text;
    if (verb === 'delete') {
      this.emit({ op: 'delete-table', family, table: name }, line);
      return this.endOfStatement();
    }
    if (verb === 'flush') {
      this.emit({ op: 'flush-table', family, table: name }, line);
      return this.endOfStatement();
    }
    if (verb !== 'add' && verb !== 'create') throw new BlockProblem(`"${verb} table" is not supported`, this.cur.peek());
    const table: NftTable = { family, name, chains: [], sets: [] };
    const hasBody = this.cur.isPunct('{');
    if (hasBody) {
      readTableBody(this.cur, table, this.ctx);
      this.cur.needSeparator(`table ${name}'s "}"`, this.ctx.problems);
    }
    const flags = table.flags?.length ? { flags: table.flags } : {};
    this.emit({ op: verb === 'create' ? 'create-table' : 'add-table', family, table: name, ...flags }, line);
    this.emitTableContents(table, line);
  }

  /** nft creates a block's chains, then its sets, then the rules (handle numbers observed with nft 1.0.6). */
  private emitTableContents(table: NftTable, line: number): void {
    const { family, name } = table;
    for (const chain of table.chains) this.emit({ op: 'add-chain', family, table: name, chain: chain.name, ...this.chainSpec(chain) }, line);
    for (const set of table.sets) this.emit({ op: 'add-set', family, table: name, set }, line);
    for (const chain of table.chains) {
      for (const rule of chain.rules) this.emit({ op: 'add-rule', family, table: name, chain: chain.name, rule }, rule.provenance?.line ?? line);
    }
  }

  /** The base spec of a parsed chain body, or the policy of a `{ policy drop; }` body without a type. */
  private chainSpec(chain: NftChain): { base?: NftChain['base']; policy?: 'accept' | 'drop' } {
    if (chain.base) return { base: chain.base };
    const policy = this.ctx.policyWithoutType?.get(chain);
    return policy ? { policy } : {};
  }

  private chain(verb: string, line: number): void {
    const family = this.family();
    const table = this.cur.expectName('a table name', this.ctx).text;
    const name = this.cur.expectName('a chain name', this.ctx).text;
    if (verb === 'delete' || verb === 'flush') {
      this.emit({ op: verb === 'delete' ? 'delete-chain' : 'flush-chain', family, table, chain: name }, line);
      return this.endOfStatement();
    }
    if (verb !== 'add' && verb !== 'create') throw new BlockProblem(`"${verb} chain" is not supported`, this.cur.peek());
    const chain: NftChain = { name, rules: [] };
    if (this.cur.isPunct('{')) {
      const holder: NftTable = { family, name: table, chains: [], sets: [] };
      // Reuse the table-body reader on a one-chain body: `{ type … ; policy … ; }`.
      const tokens = [{ type: 'punct', text: '{', line: 0, column: 0 }, { type: 'word', text: 'chain', line: 0, column: 0 }, { type: 'word', text: name, line: 0, column: 0 }] as NftToken[];
      const start = this.cur.p;
      let depth = 0;
      let end = start;
      for (; end < this.cur.tokens.length; end++) {
        const t = this.cur.tokens[end];
        if (t.text === '{') depth++;
        if (t.text === '}' && --depth === 0) break;
      }
      if (end >= this.cur.tokens.length) throw new BlockProblem('chain body is not closed (missing "}")', this.cur.peek());
      const inner = new NftCursor([...tokens, ...this.cur.tokens.slice(start, end + 1), { type: 'punct', text: '}', line: 0, column: 0 }]);
      readTableBody(inner, holder, this.ctx);
      this.cur.p = end + 1;
      const read = holder.chains[0];
      if (read) {
        Object.assign(chain, read);
        const policy = this.ctx.policyWithoutType?.get(read);
        if (policy) this.ctx.policyWithoutType!.set(chain, policy);
      }
    }
    this.emit({ op: verb === 'create' ? 'create-chain' : 'add-chain', family, table, chain: name, ...this.chainSpec(chain) }, line);
    for (const rule of chain.rules) this.emit({ op: 'add-rule', family, table, chain: name, rule }, rule.provenance?.line ?? line);
  }

  private rule(verb: string, line: number, first: NftToken): void {
    const family = this.family();
    const table = this.cur.expectName('a table name', this.ctx).text;
    const chain = this.cur.expectName('a chain name', this.ctx).text;
    let anchor: { kind: string; value: number } | undefined;
    const kw = this.cur.peek();
    if (kw?.type === 'word' && (kw.text === 'position' || kw.text === 'handle' || kw.text === 'index')) {
      this.cur.p++;
      const n = this.cur.expectWord('a number');
      if (!/^\d+$/.test(n.text)) throw new BlockProblem(`"${n.text}" is not a rule handle`, n);
      if (kw.text === 'index') throw new BlockProblem('"index N" (rule position by index) is not supported; use "position HANDLE"', kw);
      anchor = { kind: kw.text, value: Number(n.text) };
    }
    if (verb === 'delete') {
      if (!anchor) throw new BlockProblem('"delete rule" needs "handle N"', this.cur.peek() ?? first);
      this.emit({ op: 'delete-rule', family, table, chain, handle: anchor.value }, line);
      return this.endOfStatement();
    }
    const tokens = this.cur.statementTokens();
    if (!tokens.length) throw new BlockProblem('a rule needs at least one statement', this.cur.peek() ?? first);
    const rule: NftRule = { statements: parseNftStatements(tokens, { lines: this.ctx.lines }) };
    canonicalNftRule(rule);
    rule.provenance = this.ctx.file ? { file: this.ctx.file, line: tokens[0].line } : { line: tokens[0].line };
    if (verb === 'replace') {
      if (!anchor) throw new BlockProblem('"replace rule" needs "handle N"', first);
      this.emit({ op: 'replace-rule', family, table, chain, handle: anchor.value, rule }, line);
    } else if (verb === 'insert') {
      this.emit({ op: 'insert-rule', family, table, chain, rule, ...(anchor ? { beforeHandle: anchor.value } : {}) }, line);
    } else if (verb === 'add' || verb === 'create') {
      this.emit({ op: 'add-rule', family, table, chain, rule, ...(anchor ? { afterHandle: anchor.value } : {}) }, line);
    } else throw new BlockProblem(`"${verb} rule" is not supported`, first);
  }

  private set(verb: string, isMap: boolean, line: number, first: NftToken): void {
    const family = this.family();
    const table = this.cur.expectName('a table name', this.ctx).text;
    const name = this.cur.expectName('a set name', this.ctx).text;
    if (verb === 'delete') {
      this.emit({ op: 'delete-set', family, table, name }, line);
      return this.endOfStatement();
    }
    if (verb !== 'add' && verb !== 'create') throw new BlockProblem(`"${verb} ${isMap ? 'map' : 'set'}" is not supported`, first);
    const holder: NftTable = { family, name: table, chains: [], sets: [] };
    const start = this.cur.p;
    let depth = 0;
    let end = start;
    for (; end < this.cur.tokens.length; end++) {
      const t = this.cur.tokens[end];
      if (t.text === '{') depth++;
      if (t.text === '}' && --depth === 0) break;
    }
    if (!this.cur.isPunct('{') || end >= this.cur.tokens.length) throw new BlockProblem(`"${verb} set" needs "{ type …; }"`, this.cur.peek() ?? first);
    const head = [{ type: 'punct', text: '{', line: 0, column: 0 }, { type: 'word', text: isMap ? 'map' : 'set', line: 0, column: 0 }, { type: 'word', text: name, line: 0, column: 0 }] as NftToken[];
    readTableBody(new NftCursor([...head, ...this.cur.tokens.slice(start, end + 1), { type: 'punct', text: '}', line: 0, column: 0 }]), holder, this.ctx);
    this.cur.p = end + 1;
    const set: NftSet | undefined = holder.sets[0];
    if (set) this.emit({ op: verb === 'create' ? 'create-set' : 'add-set', family, table, set }, line);
  }

  private element(verb: string, line: number, first: NftToken): void {
    const family = this.family();
    const table = this.cur.expectName('a table name', this.ctx).text;
    const name = this.cur.expectName('a set name', this.ctx).text;
    const tokens = this.cur.statementTokens();
    if (tokens[0]?.text !== '{' || tokens[tokens.length - 1]?.text !== '}') throw new BlockProblem('expected "{ element, … }"', tokens[0] ?? first);
    const elements = splitElements(tokens.slice(1, -1));
    if (verb === 'add' || verb === 'create') this.emit({ op: 'add-element', family, table, name, elements }, line);
    else if (verb === 'delete') this.emit({ op: 'delete-element', family, table, name, elements }, line);
    else throw new BlockProblem(`"${verb} element" is not supported`, first);
  }
}

export function parseNftScriptCommands(text: string, options: ParseNftScriptOptions = {}): ParsedNftScript {
  const problems: ParseProblem[] = [];
  const skipped: SkippedLine[] = [];
  const screened = screenPastedLines(text, options.lenient, problems, skipped);
  let tokens: NftToken[];
  try {
    tokens = lexNft(screened.text);
  } catch (e) {
    if (!(e instanceof NftLexError)) throw e;
    throw new RulesetParseError([...problems, { line: e.line, column: e.column, message: e.message }], options.file);
  }
  tokens = substituteVariables(tokens, options.variables ?? {}, problems);
  const ctx: BlockContext = { lines: screened.lines, problems, onRule: canonicalNftRule, policyWithoutType: new WeakMap(), ...(options.file ? { file: options.file } : {}) };
  const reader = new ScriptReader(new NftCursor(tokens), ctx);
  reader.run();
  if (problems.length) throw new RulesetParseError(problems, options.file);
  return { commands: reader.commands, skipped };
}

export function parseNftScript(text: string, options: ParseNftScriptOptions = {}): NftCommand[] {
  return parseNftScriptCommands(text, options).commands.map((c) => c.command);
}
