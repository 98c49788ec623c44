// Tokens of nft's language, for both `nft list ruleset` output and `nft -f`
// scripts. Newlines are tokens (they end statements, like `;`); `#` starts a
// comment that runs to the end of the line, kept as a token because the list
// output puts meaning in two of them: `# handle N` and `# Warning: table ip
// filter is managed by iptables-nft, do not touch!`.
// Words are deliberately wide (addresses with `:` and `/`, ranges with `-`,
// `@set`, `$var`, flag lists with `,`) and are split further by the parser
// where nft's grammar does.

import { TokenProblem } from '../parseError.ts';

export type NftTokenType = 'word' | 'string' | 'punct' | 'newline' | 'comment';

export interface NftToken {
  type: NftTokenType;
  /** word: as written; string: with its quotes; comment: without the `#`. */
  text: string;
  line: number;
  column: number;
  /** Came from a `$variable` (its position is the use site, its text is not in the source line). */
  substituted?: boolean;
}

const PUNCT2 = ['==', '!=', '<=', '>=', '<<', '>>'];
const PUNCT1 = '{}();|&^!=<>';

function isWordChar(c: string): boolean {
  return !(c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '"' || c === '#' || PUNCT1.includes(c));
}

export class NftLexError extends TokenProblem {
  constructor(
    message: string,
    readonly line: number,
    column: number,
  ) {
    super(message, column);
  }
}

export function lexNft(text: string): NftToken[] {
  const tokens: NftToken[] = [];
  let line = 1;
  let lineStart = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    const column = i - lineStart + 1;
    if (c === '\n') {
      tokens.push({ type: 'newline', text: '\n', line, column });
      line++;
      i++;
      lineStart = i;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '\\' && (text[i + 1] === '\n' || (text[i + 1] === '\r' && text[i + 2] === '\n'))) {
      // Line continuation in scripts.
      i += text[i + 1] === '\n' ? 2 : 3;
      line++;
      lineStart = i;
      continue;
    }
    if (c === '#') {
      let j = text.indexOf('\n', i);
      if (j < 0) j = n;
      tokens.push({ type: 'comment', text: text.slice(i + 1, j).replace(/\r$/, ''), line, column });
      i = j;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      while (j < n && text[j] !== '"' && text[j] !== '\n') j += text[j] === '\\' && j + 1 < n ? 2 : 1;
      if (j >= n || text[j] !== '"') throw new NftLexError('unterminated string (missing closing ")', line, column);
      tokens.push({ type: 'string', text: text.slice(i, j + 1), line, column });
      i = j + 1;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (PUNCT2.includes(two)) {
      tokens.push({ type: 'punct', text: two, line, column });
      i += 2;
      continue;
    }
    if (PUNCT1.includes(c)) {
      tokens.push({ type: 'punct', text: c, line, column });
      i++;
      continue;
    }
    let j = i;
    while (j < n && isWordChar(text[j])) j++;
    tokens.push({ type: 'word', text: text.slice(i, j), line, column });
    i = j;
  }
  return tokens;
}
