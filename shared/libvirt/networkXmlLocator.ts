// Finds the element (and attribute) behind a model field, to put a problem at
// its line and column. The parser maps the n-th <ip>, <range>, <host> … element
// to the n-th model entry, so a model index is an element index.

import { lineStarts, positionAt, type TextPosition } from '../xml/textPosition.ts';
import { attributeOf, childElements, type XmlDocument, type XmlElement } from '../xml/xmlTree.ts';

/** [element name, index among siblings of that name]; the root <network> is implicit. */
export type ElementStep = readonly [name: string, index: number];

export function locateElement(doc: XmlDocument, steps: readonly ElementStep[]): XmlElement | undefined {
  let current: XmlElement | undefined = doc.root;
  for (const [name, index] of steps) {
    if (!current) return undefined;
    current = childElements(current, name)[index];
  }
  return current;
}

const startsCache = new WeakMap<XmlDocument, number[]>();

function startsOf(doc: XmlDocument): number[] {
  let starts = startsCache.get(doc);
  if (!starts) {
    starts = lineStarts(doc.text);
    startsCache.set(doc, starts);
  }
  return starts;
}

/** Position of an attribute if present, else of its element's start tag; undefined for created elements. */
export function positionOf(doc: XmlDocument, element: XmlElement | undefined, attribute?: string): TextPosition | undefined {
  if (!element) return undefined;
  const attr = attribute ? attributeOf(element, attribute) : undefined;
  const offset = attr?.nameAt ?? element.span?.start;
  return offset === undefined ? undefined : positionAt(startsOf(doc), offset);
}

/** The index-free path the UI keys fields by: `ip/dhcp/range`. */
export function pathOf(steps: readonly ElementStep[]): string {
  return steps.map(([name]) => name).join('/');
}
