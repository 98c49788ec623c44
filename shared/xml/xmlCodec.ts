// The one module that imports fast-xml-parser (architecture.md trap 6).
//
// parseXmlDocument() turns text into the positioned tree of xmlTree.ts:
//   1. XMLValidator.validate first, so a malformed file gives line and column;
//   2. XMLParser with the safe, round-trip options of trap 6 plus captureMetaData,
//      which gives each element's start/end offset in the original text;
//   3. the gaps between elements (text, comments, CDATA) are kept verbatim and
//      each start tag is re-read for attribute offsets (startTagLexer.ts).
// A DOCTYPE with an external entity makes the parser throw (no XXE); that and
// every other failure comes back as an XmlSyntaxError, never as an exception.

import { XMLParser, XMLValidator, type X2jOptions } from 'fast-xml-parser';
import { lexStartTag } from './startTagLexer.ts';
import { lineStarts, positionAt } from './textPosition.ts';
import type { XmlDocument, XmlElement, XmlNode } from './xmlTree.ts';

export interface XmlSyntaxError {
  message: string;
  line: number;
  column: number;
}

export type XmlParseResult = { ok: true; document: XmlDocument } | { ok: false; error: XmlSyntaxError };

/** Options shared by every parse (trap 6); exported so a test can pin them. */
export const XML_PARSER_OPTIONS: Partial<X2jOptions> = {
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  commentPropName: '#comment',
  cdataPropName: '#cdata',
  processEntities: false,
  captureMetaData: true,
};

const META = XMLParser.getMetaDataSymbol() as unknown as string;

interface FxpNode {
  [key: string]: unknown;
}

export function parseXmlDocument(text: string): XmlParseResult {
  if (text.trim() === '' || text.trim() === '\uFEFF') return fail(text, 'Document is empty', 0);
  // The parser and validator do not expect a BOM; parse without it and shift offsets back.
  const shift = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const input = text.slice(shift);

  const verdict = XMLValidator.validate(input, { allowBooleanAttributes: false });
  if (verdict !== true) {
    return { ok: false, error: { message: libxmlStyle(verdict.err.msg), line: verdict.err.line, column: verdict.err.col } };
  }

  let tree: FxpNode[];
  try {
    tree = new XMLParser(XML_PARSER_OPTIONS).parse(input) as FxpNode[];
  } catch (err) {
    const doctype = input.indexOf('<!DOCTYPE');
    return fail(text, err instanceof Error ? err.message : String(err), Math.max(doctype, 0));
  }

  const roots = tree.filter(isElementNode);
  if (roots.length === 0) return fail(text, 'Start tag expected, no root element found', 0);
  if (roots.length > 1) return fail(text, 'Extra content at the end of the document', spanOf(roots[1], shift).start);

  try {
    const root = buildElement(text, roots[0], shift);
    const span = root.span!;
    return { ok: true, document: { text, prolog: text.slice(0, span.start), root, epilog: text.slice(span.end) } };
  } catch (err) {
    return fail(text, err instanceof Error ? err.message : String(err), 0);
  }
}

function fail(text: string, message: string, offset: number): XmlParseResult {
  const at = positionAt(lineStarts(text), offset);
  return { ok: false, error: { message, line: at.line, column: at.column } };
}

/** fast-xml-parser's wording → libxml2's (what virsh prints), where they mean the same. */
function libxmlStyle(message: string): string {
  const mismatch = /^Expected closing tag '([^']*)' \(opened in line (\d+), col \d+\) instead of closing tag '([^']*)'\.?$/.exec(message);
  if (mismatch) return `Opening and ending tag mismatch: ${mismatch[1]} line ${mismatch[2]} and ${mismatch[3]}`;
  return message;
}

function tagNameOf(node: FxpNode): string | undefined {
  return Object.keys(node).find((k) => k !== ':@');
}

function isElementNode(node: FxpNode): boolean {
  const name = tagNameOf(node);
  return name !== undefined && !name.startsWith('#') && !name.startsWith('?');
}

function spanOf(node: FxpNode, shift: number): { start: number; end: number } {
  const meta = node[META] as { startIndex?: number; endIndex?: number } | undefined;
  if (meta?.startIndex === undefined || meta.endIndex === undefined) throw new Error('internal: parser gave no position for an element');
  return { start: meta.startIndex + shift, end: meta.endIndex + shift };
}

function buildElement(text: string, node: FxpNode, shift: number): XmlElement {
  const span = spanOf(node, shift);
  const tag = lexStartTag(text, span.start);
  const element: XmlElement = {
    kind: 'element',
    name: tag.name,
    attributes: tag.attributes,
    children: [],
    selfClosing: tag.selfClosing,
    tagTail: tag.tagTail,
    span,
  };
  if (tag.selfClosing) return element;

  const closeStart = text.lastIndexOf('<', span.end - 1);
  element.closeTagRaw = text.slice(closeStart, span.end);
  const children: XmlNode[] = [];
  let cursor = tag.end;
  const fxpChildren = (node[tag.name] as FxpNode[] | undefined) ?? [];
  for (const child of fxpChildren) {
    if (!isElementNode(child)) continue;
    const built = buildElement(text, child, shift);
    if (built.span!.start > cursor) children.push({ kind: 'raw', raw: text.slice(cursor, built.span!.start) });
    children.push(built);
    cursor = built.span!.end;
  }
  if (closeStart > cursor) children.push({ kind: 'raw', raw: text.slice(cursor, closeStart) });
  element.children = children;
  return element;
}
