// Tree → text. Untouched elements are copied from the original text byte for
// byte (their span), so quotes, spacing, entity spelling and comments stay as
// the user wrote them; only edited tags are printed anew, and even there each
// unchanged attribute keeps its exact source text.

import { escapeAttribute } from './xmlEntities.ts';
import type { XmlDocument, XmlElement } from './xmlTree.ts';

export function serializeXmlDocument(doc: XmlDocument): string {
  return doc.prolog + serializeElement(doc.text, doc.root) + doc.epilog;
}

/** True when the element and everything below it are exactly as parsed. */
export function isPristine(element: XmlElement): boolean {
  if (element.modified || !element.span) return false;
  return element.children.every((c) => c.kind === 'raw' || isPristine(c));
}

export function serializeElement(text: string, element: XmlElement): string {
  if (isPristine(element)) return text.slice(element.span!.start, element.span!.end);
  let out = '<' + element.name;
  for (const a of element.attributes) {
    out += (a.leading || ' ') + (a.raw ?? `${a.name}=${a.quote}${escapeAttribute(a.value, a.quote)}${a.quote}`);
  }
  out += element.tagTail;
  if (element.selfClosing && element.children.length === 0) return out + '/>';
  out += '>';
  for (const child of element.children) out += child.kind === 'raw' ? child.raw : serializeElement(text, child);
  return out + (element.closeTagRaw ?? `</${element.name}>`);
}
