// One nft rule's tokens → NftStatement[]. Matches (`ip saddr 10.0.0.0/8`,
// `iif "virbr3"`, `ct state established,related`, `tcp dport { 22, 80 }`,
// `meta l4proto tcp`, `fib daddr type local`), verdicts, reject, NAT, counter,
// log, limit, comment, `… set …`, notrack. Anything else nft accepts (vmaps,
// bitwise expressions, `xt target CHECKSUM` from iptables-nft, tproxy, ...)
// becomes `{ kind: 'other' }` holding the source text verbatim, up to where
// the next statement we understand begins — never dropped.

import type { NftToken } from './nftLexer.ts';
import { NFT_KEYWORD_NAMES, keywordNameProblem } from './nftKeywordNames.ts';
import type { NftExpr, NftMatchOp, NftStatement, NftValue } from '../model.ts';
import { TokenProblem } from '../parseError.ts';

/** meta keys nft accepts without `meta` (nft(8) META EXPRESSIONS: "unqualified"). */
const BARE_META = new Set(['iif', 'oif', 'iifname', 'oifname', 'iiftype', 'oiftype', 'iifgroup', 'oifgroup', 'mark', 'skuid', 'skgid', 'pkttype', 'nftrace', 'rtclassid', 'cpu', 'cgroup', 'priority', 'l4proto', 'nfproto']);
const PAYLOAD_PROTOCOLS = new Set(['ip', 'ip6', 'tcp', 'udp', 'udplite', 'th', 'icmp', 'icmpv6', 'igmp', 'ether', 'vlan', 'arp', 'sctp', 'dccp', 'ah', 'esp', 'comp', 'ipcomp']);
const VERDICT_WORDS = new Set(['accept', 'drop', 'continue', 'return']);
/** Statements that end an `other` run. */
const ACTION_STARTS = new Set(['counter', 'log', 'limit', 'comment', 'accept', 'drop', 'reject', 'jump', 'goto', 'return', 'continue', 'queue', 'masquerade', 'snat', 'dnat', 'redirect', 'notrack']);
const EXPR_STARTS = new Set([...BARE_META, ...PAYLOAD_PROTOCOLS, 'meta', 'ct', 'fib']);
/** Statements nft has that are kept as `other` (first word). */
const OTHER_STARTS = new Set(['xt', 'XT', 'synproxy', 'tproxy', 'dup', 'fwd', 'osf', 'socket', 'numgen', 'jhash', 'symhash', 'quota', 'add', 'update', 'delete', 'set', 'rt', 'ipsec', 'exthdr', 'hbh', 'frag', 'dst', 'mh', 'srh', 'flow', 'last', 'secmark', 'vmap', 'tcpopt', 'inner', 'ct', 'meta']);
/** Words that can only start a (non-structured) statement, so they end the one before. */
const PURE_OTHER_STARTS = new Set(['xt', 'XT', 'synproxy', 'tproxy', 'dup', 'fwd', 'osf', 'socket', 'numgen', 'jhash', 'symhash', 'quota', 'ipsec', 'exthdr', 'hbh', 'srh', 'secmark', 'tcpopt', 'inner']);
/** Words after which the next word still belongs to the same expression. */
const CONTINUES_EXPRESSION = new Set(['.', 'set', 'map', 'vmap', 'original', 'reply', 'saddr', 'daddr', 'sport', 'dport', 'type', 'protocol', 'nexthdr']);
const OPS: Record<string, NftMatchOp> = { '==': '==', '!=': '!=', '<': '<', '>': '>', '<=': '<=', '>=': '>=', eq: '==', ne: '!=', lt: '<', gt: '>', le: '<=', ge: '>=' };
const NAT_FLAGS = new Set(['random', 'fully-random', 'persistent']);

class Unstructured extends Error {}

export interface StatementSource {
  /** Source lines, to copy `other` statements verbatim. */
  lines: readonly string[];
  /** Accept a jump/goto target nft refuses to read (a real host's list output, nftKeywordNames.ts). */
  keywordNames?: boolean;
}

function isIpLike(s: string): boolean {
  return /^[0-9]{1,3}(?:\.[0-9]{1,3}){3}$/.test(s) || (/^[0-9a-fA-F:.]+$/.test(s) && s.includes(':'));
}

/** A single-token value: `10.0.0.0/8` → prefix, `1024-65535` → range, `established,related` → flags, else literal. */
export function valueFromWord(text: string): NftValue {
  if (text.startsWith('@')) return { kind: 'setref', name: text.slice(1) };
  if (text.startsWith('$')) return { kind: 'variable', name: text.slice(1) };
  const prefix = /^(.+)\/(\d{1,3})$/.exec(text);
  if (prefix && isIpLike(prefix[1])) return { kind: 'prefix', address: prefix[1], length: Number(prefix[2]) };
  const range = /^([0-9a-fA-F.:x]+)-([0-9a-fA-F.:x]+)$/.exec(text);
  if (range && ((/^\d+$/.test(range[1]) && /^\d+$/.test(range[2])) || (isIpLike(range[1]) && isIpLike(range[2])) || (/^0x[0-9a-f]+$/i.test(range[1]) && /^0x[0-9a-f]+$/i.test(range[2])))) {
    return { kind: 'range', from: range[1], to: range[2] };
  }
  if (text.includes(',') && !text.startsWith(',') && !text.endsWith(',')) return { kind: 'flags', items: text.split(',') };
  return { kind: 'literal', text };
}

export class StatementParser {
  private p = 0;

  constructor(
    private readonly tokens: NftToken[],
    private readonly source: StatementSource,
  ) {}

  private peek(offset = 0): NftToken | undefined {
    return this.tokens[this.p + offset];
  }

  private word(offset = 0): string | undefined {
    const t = this.peek(offset);
    return t && t.type === 'word' ? t.text : undefined;
  }

  parse(): NftStatement[] {
    const out: NftStatement[] = [];
    while (this.p < this.tokens.length) {
      const start = this.p;
      // nft prints an iptables-nft match it cannot translate (e.g. `-m comment`) as nothing, leaving two
      // blanks (fixture v9-iptables/foreign-rule-restart/nft-1-foreign-added.txt): keep it as an empty
      // `other` so the rule prints back identically.
      const prev = this.tokens[start - 1];
      const cur = this.tokens[start];
      if (prev && prev.line === cur.line && cur.column - (prev.column + prev.text.length) >= 2 && prev.type !== 'punct' && cur.type !== 'punct') {
        for (let gap = cur.column - (prev.column + prev.text.length); gap >= 2; gap--) out.push({ kind: 'other', text: '' });
      }
      let stmt: NftStatement;
      try {
        stmt = this.statement();
      } catch (e) {
        if (!(e instanceof Unstructured)) throw e;
        this.p = start;
        stmt = this.other();
      }
      out.push(stmt);
    }
    return out;
  }

  private fail(): never {
    throw new Unstructured();
  }

  private take(): NftToken {
    const t = this.tokens[this.p++];
    if (!t) this.fail();
    return t;
  }

  private takeWord(): string {
    const t = this.take();
    if (t.type !== 'word') this.fail();
    return t.text;
  }

  private atStatementEnd(): boolean {
    const w = this.word();
    return this.p >= this.tokens.length || (w !== undefined && (ACTION_STARTS.has(w) || PURE_OTHER_STARTS.has(w) || EXPR_STARTS.has(w)));
  }

  /** Verbatim text from the current token up to the next statement we can read. */
  private other(): NftStatement {
    const first = this.take();
    const firstWord = first.type === 'word' ? first.text : '';
    const startsExpression = EXPR_STARTS.has(firstWord);
    if (first.type !== 'word' || (!startsExpression && !OTHER_STARTS.has(firstWord) && !ACTION_STARTS.has(firstWord))) {
      throw new TokenProblem(`unknown statement "${first.text}"`, first.column);
    }
    let last = first;
    let depth = 0;
    while (this.p < this.tokens.length) {
      const t = this.tokens[this.p];
      if (depth === 0 && t.type === 'word') {
        if (ACTION_STARTS.has(t.text) || PURE_OTHER_STARTS.has(t.text)) break;
        // A new expression starts after a value, not right after an expression keyword (`ct mark`, `ip saddr`).
        if (startsExpression && EXPR_STARTS.has(t.text) && last.type === 'word' && !EXPR_STARTS.has(last.text) && !CONTINUES_EXPRESSION.has(last.text)) break;
      }
      if (t.text === '{' || t.text === '(') depth++;
      if ((t.text === '}' || t.text === ')') && depth > 0) depth--;
      last = t;
      this.p++;
    }
    return { kind: 'other', text: this.sourceText(first, last) };
  }

  private sourceText(first: NftToken, last: NftToken): string {
    const from = this.tokens.indexOf(first);
    const to = this.tokens.indexOf(last);
    if (first.line === last.line && !this.tokens.slice(from, to + 1).some((t) => t.substituted)) {
      const line = this.source.lines[first.line - 1] ?? '';
      return line.slice(first.column - 1, last.column - 1 + last.text.length);
    }
    const parts: string[] = [];
    for (let i = from; i <= to; i++) parts.push(this.tokens[i].text);
    return parts.join(' ');
  }

  private statement(): NftStatement {
    const w = this.word();
    if (w === undefined) this.fail();
    if (VERDICT_WORDS.has(w)) {
      this.p++;
      return { kind: 'verdict', verdict: w as 'accept' | 'drop' | 'continue' | 'return' };
    }
    switch (w) {
      case 'jump':
      case 'goto': {
        this.p++;
        const target = this.take();
        if (target.type !== 'word') this.fail();
        if (!this.source.keywordNames && NFT_KEYWORD_NAMES.has(target.text)) throw new TokenProblem(keywordNameProblem(target.text, `a ${w} target`), target.column);
        return { kind: 'verdict', verdict: w, chain: target.text };
      }
      case 'queue':
        return this.queue();
      case 'counter':
        return this.counter();
      case 'log':
        return this.log();
      case 'limit':
        return this.limit();
      case 'comment': {
        this.p++;
        const t = this.take();
        if (t.type !== 'string') this.fail();
        return { kind: 'comment', text: unquote(t.text) };
      }
      case 'reject':
        return this.reject();
      case 'masquerade':
      case 'snat':
      case 'dnat':
      case 'redirect':
        return this.nat(w);
      case 'notrack':
        this.p++;
        return { kind: 'notrack' };
    }
    return this.match();
  }

  private queue(): NftStatement {
    this.p++;
    if (this.word() === 'num') {
      this.p++;
      const num = this.takeWord();
      if (!/^\d+$/.test(num)) this.fail();
      if (!this.atStatementEnd()) this.fail();
      return { kind: 'verdict', verdict: 'queue', queueNum: num };
    }
    if (!this.atStatementEnd()) this.fail();
    return { kind: 'verdict', verdict: 'queue' };
  }

  private counter(): NftStatement {
    this.p++;
    if (this.word() === 'packets' && this.word(2) === 'bytes') {
      const packets = this.word(1) ?? '';
      const bytes = this.word(3) ?? '';
      if (!/^\d+$/.test(packets) || !/^\d+$/.test(bytes)) this.fail();
      this.p += 4;
      return { kind: 'counter', packets: Number(packets), bytes: Number(bytes) };
    }
    if (!this.atStatementEnd()) this.fail();
    return { kind: 'counter' };
  }

  private log(): NftStatement {
    this.p++;
    const s: NftStatement & { kind: 'log' } = { kind: 'log' };
    for (;;) {
      const w = this.word();
      if (w === 'prefix') {
        this.p++;
        const t = this.take();
        if (t.type !== 'string') this.fail();
        s.prefix = unquote(t.text);
      } else if (w === 'level') {
        this.p++;
        const level = this.takeWord();
        // nft does not print the default level (src/statement.c log_stmt_print).
        if (level !== 'warn') s.level = level;
      } else if (w === 'group') {
        this.p++;
        const g = this.takeWord();
        if (!/^\d+$/.test(g)) this.fail();
        s.group = Number(g);
      } else if (w === 'flags') {
        this.p++;
        const parts: string[] = [];
        while (this.word() !== undefined && !this.atStatementEnd() && !['prefix', 'level', 'group', 'flags'].includes(this.word() as string)) parts.push(this.takeWord());
        if (!parts.length) this.fail();
        s.flags = [...(s.flags ?? []), parts.join(' ')];
      } else break;
    }
    if (!this.atStatementEnd()) this.fail();
    return s;
  }

  private limit(): NftStatement {
    this.p++;
    if (this.takeWord() !== 'rate') this.fail();
    let over = false;
    if (this.word() === 'over') {
      over = true;
      this.p++;
    }
    const first = this.takeWord();
    let rate: number;
    let unit: string;
    const m = /^(\d+)\/(\w+)$/.exec(first);
    if (m) {
      rate = Number(m[1]);
      unit = m[2];
    } else if (/^\d+$/.test(first) && /^\w*bytes\/\w+$/.test(this.word() ?? '')) {
      rate = Number(first);
      unit = this.takeWord();
    } else this.fail();
    const s: NftStatement & { kind: 'limit' } = { kind: 'limit', over, rate, unit };
    if (this.word() === 'burst') {
      this.p++;
      const b = this.takeWord();
      if (!/^\d+$/.test(b)) this.fail();
      s.burst = Number(b);
      const u = this.word();
      if (u === 'packets' || (u !== undefined && /^\w*bytes$/.test(u))) {
        s.burstUnit = u;
        this.p++;
      }
    }
    if (!this.atStatementEnd()) this.fail();
    return s;
  }

  private reject(): NftStatement {
    this.p++;
    if (this.word() !== 'with') return { kind: 'reject' };
    this.p++;
    const kind = this.takeWord();
    if (kind === 'tcp') {
      if (this.takeWord() !== 'reset') this.fail();
      return { kind: 'reject', withType: 'tcp reset' };
    }
    if (kind !== 'icmp' && kind !== 'icmpv6' && kind !== 'icmpx') this.fail();
    // Older nft printed `reject with icmp type host-prohibited`; 1.0+ prints `reject with icmp host-prohibited`.
    if (this.word() === 'type') this.p++;
    const code = this.takeWord();
    return { kind: 'reject', withType: kind, code };
  }

  private nat(type: 'masquerade' | 'snat' | 'dnat' | 'redirect'): NftStatement {
    this.p++;
    const s: NftStatement & { kind: 'nat' } = { kind: 'nat', type };
    if ((this.word() === 'ip' || this.word() === 'ip6') && this.word(1) === 'to') {
      s.family = this.takeWord() as 'ip' | 'ip6';
    }
    if (this.word() === 'to') {
      this.p++;
      s.to = collapseNatRange(this.takeWord());
      const next = this.peek();
      if (next && (next.text === '.' || next.text === 'map' || next.text === ':')) this.fail();
    }
    while (this.word() !== undefined && this.word()?.split(',').every((f) => NAT_FLAGS.has(f))) {
      s.flags = [...(s.flags ?? []), ...this.takeWord().split(',')];
    }
    if (!this.atStatementEnd()) this.fail();
    return s;
  }

  private expr(): NftExpr {
    const w = this.takeWord();
    if (w === 'meta') return { kind: 'meta', key: this.takeWord() };
    if (BARE_META.has(w)) return { kind: 'meta', key: w };
    if (w === 'ct') {
      let direction: 'original' | 'reply' | undefined;
      if (this.word() === 'original' || this.word() === 'reply') direction = this.takeWord() as 'original' | 'reply';
      let key = this.takeWord();
      if ((key === 'ip' || key === 'ip6') && this.word() !== undefined) key = `${key} ${this.takeWord()}`;
      return direction ? { kind: 'ct', key, direction } : { kind: 'ct', key };
    }
    if (w === 'fib') {
      const flags = [this.takeWord()];
      while (this.word() === '.') {
        this.p++;
        flags.push(this.takeWord());
      }
      return { kind: 'fib', flags, result: this.takeWord() };
    }
    if (PAYLOAD_PROTOCOLS.has(w)) {
      const field = this.takeWord();
      if (field === 'option' || field === 'chunk') this.fail();
      return { kind: 'payload', protocol: w, field };
    }
    this.fail();
  }

  private match(): NftStatement {
    const left = this.expr();
    const next = this.peek();
    if (!next) this.fail();
    if (next.type === 'word' && next.text === 'set') {
      this.p++;
      const first = this.peek();
      if (!first) this.fail();
      // The value is an expression (`meta mark`, `ct mark`) or one word (`0x5`, `1`).
      const w = this.word();
      if (w !== undefined && EXPR_STARTS.has(w)) this.expr();
      else this.p++;
      const last = this.tokens[this.p - 1];
      if (!this.atStatementEnd()) this.fail();
      return { kind: 'set-key', target: left, value: this.sourceText(first, last) };
    }
    if (next.text === '.') this.fail();
    if (next.type === 'punct' && ['&', '|', '^', '<<', '>>'].includes(next.text)) this.fail();
    let op: NftMatchOp = 'implicit';
    if (OPS[next.text] && (next.type === 'punct' || ['eq', 'ne', 'lt', 'gt', 'le', 'ge'].includes(next.text))) {
      op = OPS[next.text];
      this.p++;
    }
    const right = this.value();
    const after = this.peek();
    if (after && (after.text === '.' || after.text === ':' || after.text === '/' || after.text === 'map' || after.text === 'vmap' || after.type === 'punct')) this.fail();
    return { kind: 'match', left, op, right };
  }

  private value(): NftValue {
    const t = this.take();
    if (t.type === 'string') return { kind: 'literal', text: t.text };
    if (t.type === 'punct' && t.text === '{') {
      const elements: NftValue[] = [];
      let pending: NftToken[] = [];
      const flush = (): void => {
        if (pending.length === 0) return;
        if (pending.length !== 1) this.fail();
        const only = pending[0];
        elements.push(only.type === 'string' ? { kind: 'literal', text: only.text } : valueFromWord(only.text));
        pending = [];
      };
      for (;;) {
        const e = this.take();
        if (e.type === 'newline' || e.type === 'comment') continue;
        if (e.type === 'punct' && e.text === '}') break;
        if (e.type === 'punct') this.fail();
        if (e.type === 'word' && e.text.includes(',')) {
          const pieces = e.text.split(',');
          pieces.forEach((piece, k) => {
            if (piece !== '') pending.push({ ...e, text: piece });
            if (k < pieces.length - 1) flush();
          });
          continue;
        }
        pending.push(e);
      }
      flush();
      if (!elements.length) this.fail();
      return { kind: 'set', elements };
    }
    // `ct status dnat` and `ct state snat`: nat words are values there; verdict words never are.
    if (t.type !== 'word' || (ACTION_STARTS.has(t.text) && t.text !== 'dnat' && t.text !== 'snat') || t.text === 'vmap' || t.text === 'map' || t.text === '.') this.fail();
    return valueFromWord(t.text);
  }
}

export function unquote(text: string): string {
  return text.startsWith('"') && text.endsWith('"') && text.length >= 2 ? text.slice(1, -1).replace(/\\(["\\])/g, '$1') : text;
}

export function parseNftStatements(tokens: NftToken[], source: StatementSource): NftStatement[] {
  return new StatementParser(tokens, source).parse();
}

/**
 * How nft 1.1 lists a NAT range (checked against nft 1.1.3 in a namespace):
 * equal ends collapse (`192.0.2.1-192.0.2.1` → `192.0.2.1`, ports `80-80` →
 * `80`) and an IPv4 range that is exactly one prefix becomes it
 * (`192.0.2.40-192.0.2.43` → `192.0.2.40/30`). libvirt writes such ranges for
 * <nat><address start end/>, so parsed rules must hold the listed form.
 * An IPv6 range is written in brackets and kept as is.
 */
function collapseNatRange(to: string): string {
  const m = /^(\d+\.\d+\.\d+\.\d+)(?:-(\d+\.\d+\.\d+\.\d+))?(?::(\d+)(?:-(\d+))?)?$/.exec(to);
  if (!m) return to;
  const [, first, last, portLow, portHigh] = m;
  const address = last === undefined ? first : ipv4RangeText(first, last);
  const ports = portLow === undefined ? '' : portHigh === undefined || portHigh === portLow ? `:${portLow}` : `:${portLow}-${portHigh}`;
  return address + ports;
}

function ipv4RangeText(first: string, last: string): string {
  const low = ipv4Number(first);
  const high = ipv4Number(last);
  if (low === high) return first;
  const size = high - low + 1;
  const isPrefix = high > low && (size & (size - 1)) === 0 && low % size === 0;
  return isPrefix ? `${first}/${32 - Math.log2(size)}` : `${first}-${last}`;
}

function ipv4Number(text: string): number {
  return text.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}
