// Minimal edits of the positioned tree. Each edit marks only the element whose
// tag or child list changed (`modified`), so the serializer still copies every
// other element from the original text; new elements get the indentation of
// their future siblings, removed ones take their own line with them.

import { escapeText } from './xmlEntities.ts';
import type { XmlAttribute, XmlElement, XmlNode } from './xmlTree.ts';

export function createElement(name: string): XmlElement {
  return { kind: 'element', name, attributes: [], children: [], selfClosing: true, tagTail: '', modified: true };
}

/** Sets (or with undefined removes) an attribute; a no-op when the value is already the same. */
export function setAttribute(element: XmlElement, name: string, value: string | undefined, quote: "'" | '"' = "'"): void {
  const index = element.attributes.findIndex((a) => a.name === name);
  if (value === undefined) {
    if (index === -1) return;
    element.attributes.splice(index, 1);
  } else if (index !== -1) {
    const old = element.attributes[index];
    if (old.value === value) return;
    // Keep the spacing and quote style the user chose; only the value is re-printed.
    const next: XmlAttribute = { name, value, leading: old.leading, quote: old.quote };
    element.attributes[index] = next;
  } else {
    element.attributes.push({ name, value, leading: ' ', quote });
  }
  element.modified = true;
}

/** Replaces all content with one text run. */
export function setTextContent(element: XmlElement, text: string): void {
  element.children = text === '' ? [] : [{ kind: 'raw', raw: escapeText(text) }];
  element.selfClosing = false;
  element.modified = true;
}

const TRAILING_BREAK = /\r?\n[ \t]*$/;

function trailingIndent(raw: string): string | undefined {
  const m = /\n([ \t]*)$/.exec(raw);
  return m ? m[1] : undefined;
}

/** Line break style of the document (CRLF files stay CRLF). */
export function lineBreakOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** Indentation of the parent's children, taken from an existing child line, else parentIndent + unit. */
export function childIndentOf(parent: XmlElement, parentIndent: string, unit: string): string {
  for (let i = 1; i < parent.children.length; i++) {
    const prev = parent.children[i - 1];
    if (parent.children[i].kind === 'element' && prev.kind === 'raw') {
      const indent = trailingIndent(prev.raw);
      if (indent !== undefined) return indent;
    }
  }
  return parentIndent + unit;
}

export interface IndentContext {
  /** Indentation of the parent element's own line. */
  parentIndent: string;
  /** One level of indentation in this document (e.g. two spaces). */
  unit: string;
  /** '\n' or '\r\n'. */
  newline: string;
}

/** Inserts `child` before `before` (an element child of parent), or after the last element child when before is null. */
export function insertChild(parent: XmlElement, child: XmlElement, before: XmlElement | null, ctx: IndentContext): void {
  const indent = childIndentOf(parent, ctx.parentIndent, ctx.unit);
  const ws = (s: string): XmlNode => ({ kind: 'raw', raw: ctx.newline + s });
  const elements = parent.children.filter((c) => c.kind === 'element');
  if (elements.length === 0) {
    const onlySpace = parent.children.every((c) => c.kind === 'raw' && c.raw.trim() === '');
    if (onlySpace) parent.children = [ws(indent), child, ws(ctx.parentIndent)];
    else {
      const last = parent.children[parent.children.length - 1];
      if (last.kind === 'raw' && TRAILING_BREAK.test(last.raw)) parent.children.splice(parent.children.length - 1, 0, ws(indent), child);
      else parent.children.push(ws(indent), child, ws(ctx.parentIndent));
    }
  } else if (before) {
    parent.children.splice(parent.children.indexOf(before), 0, child, ws(indent));
  } else {
    const lastElement = elements[elements.length - 1];
    parent.children.splice(parent.children.indexOf(lastElement) + 1, 0, ws(indent), child);
  }
  parent.selfClosing = false;
  parent.modified = true;
}

/** Removes an element child together with the line break and indentation in front of it. */
export function removeChild(parent: XmlElement, child: XmlElement): void {
  const index = parent.children.indexOf(child);
  if (index === -1) return;
  parent.children.splice(index, 1);
  const prev = parent.children[index - 1];
  if (prev?.kind === 'raw') {
    const stripped = prev.raw.replace(TRAILING_BREAK, '');
    if (stripped === '') parent.children.splice(index - 1, 1);
    else parent.children[index - 1] = { kind: 'raw', raw: stripped };
  }
  parent.modified = true;
}
