// Reads one start tag of an already well-formed document (XMLValidator has
// accepted it) and returns each attribute with its exact source text and
// offsets. fast-xml-parser reports element positions but not attribute
// positions; the editor needs both to point at `range/@end` and to splice a
// single attribute value.

import { decodeEntities } from './xmlEntities.ts';
import type { XmlAttribute } from './xmlTree.ts';

export interface LexedStartTag {
  name: string;
  attributes: XmlAttribute[];
  /** Whitespace between the last attribute and `>` / `/>`. */
  tagTail: string;
  selfClosing: boolean;
  /** Offset just after the closing `>` of the start tag. */
  end: number;
}

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';

export function lexStartTag(text: string, start: number): LexedStartTag {
  if (text[start] !== '<') throw new Error(`internal: no start tag at offset ${start}`);
  let i = start + 1;
  while (i < text.length && !isSpace(text[i]) && text[i] !== '>' && text[i] !== '/') i++;
  const name = text.slice(start + 1, i);
  const attributes: XmlAttribute[] = [];
  for (;;) {
    const wsStart = i;
    while (isSpace(text[i])) i++;
    const leading = text.slice(wsStart, i);
    if (i >= text.length) throw new Error(`internal: unterminated start tag <${name}`);
    if (text[i] === '>') return { name, attributes, tagTail: leading, selfClosing: false, end: i + 1 };
    if (text[i] === '/' && text[i + 1] === '>') return { name, attributes, tagTail: leading, selfClosing: true, end: i + 2 };
    const nameAt = i;
    while (i < text.length && !isSpace(text[i]) && text[i] !== '=' && text[i] !== '>' && text[i] !== '/') i++;
    const attrName = text.slice(nameAt, i);
    while (isSpace(text[i])) i++;
    if (text[i] !== '=') throw new Error(`internal: attribute ${attrName} without value in <${name}`);
    i++;
    while (isSpace(text[i])) i++;
    const quote = text[i];
    if (quote !== "'" && quote !== '"') throw new Error(`internal: unquoted attribute ${attrName} in <${name}`);
    const valueAt = i + 1;
    const close = text.indexOf(quote, valueAt);
    if (close === -1) throw new Error(`internal: unterminated attribute ${attrName} in <${name}`);
    i = close + 1;
    attributes.push({
      name: attrName,
      value: decodeEntities(text.slice(valueAt, close)),
      leading,
      quote,
      raw: text.slice(nameAt, i),
      nameAt,
      valueAt,
    });
  }
}
