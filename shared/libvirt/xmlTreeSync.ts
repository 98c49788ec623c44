// Applies the difference between two models (before = read from the original
// XML, after = what the user has now) to the positioned tree, one field at a
// time. A field whose formatted value did not change is not touched, so the
// serializer copies it byte for byte: "only what I changed changes".

import { childIndentOf, createElement, insertChild, lineBreakOf, removeChild, setAttribute, setTextContent, type IndentContext } from '../xml/xmlEdit.ts';
import { childElements, firstChild, type XmlDocument, type XmlElement } from '../xml/xmlTree.ts';
import { matchLists, sameJson } from './listMatching.ts';

/** Called to bring an element in line with `after`; `before` is undefined for a new element. */
export type Fill<T> = (element: XmlElement, before: T | undefined, after: T, indent: string) => void;

export class XmlTreeSync {
  readonly unit: string;
  readonly newline: string;
  readonly quote: "'" | '"';

  constructor(
    doc: XmlDocument,
    /** Child element order per parent element name (libvirt's formatting order), for placing new elements. */
    private readonly order: Record<string, readonly string[]>,
  ) {
    this.newline = lineBreakOf(doc.text);
    const firstIndent = childIndentOf(doc.root, '', '  ');
    this.unit = firstIndent === '' ? '  ' : firstIndent;
    // New attributes use the quote most of the file's attributes use (libvirt writes ').
    const counts = { "'": 0, '"': 0 };
    countQuotes(doc.root, counts);
    this.quote = counts['"'] > counts["'"] ? '"' : "'";
  }

  attr(element: XmlElement, name: string, before: string | undefined, after: string | undefined): void {
    if (before !== after) setAttribute(element, name, after, this.quote);
  }

  text(element: XmlElement, before: string | undefined, after: string): void {
    if (before !== after) setTextContent(element, after);
  }

  private ctx(parentIndent: string): IndentContext {
    return { parentIndent, unit: this.unit, newline: this.newline };
  }

  /** Places a new element after the last sibling that libvirt prints before it. */
  private place(parent: XmlElement, parentIndent: string, element: XmlElement): void {
    const order = this.order[parent.name] ?? [];
    const rank = order.indexOf(element.name);
    const siblings = childElements(parent);
    let anchor = -1;
    siblings.forEach((s, i) => {
      const r = order.indexOf(s.name);
      if (r !== -1 && r <= rank) anchor = i;
    });
    if (anchor !== -1) {
      insertChild(parent, element, siblings[anchor + 1] ?? null, this.ctx(parentIndent));
      return;
    }
    const next = siblings.find((s) => order.indexOf(s.name) > rank);
    insertChild(parent, element, next ?? null, this.ctx(parentIndent));
  }

  /** An element that appears at most once (<bridge>, <dns>, <nat> …). */
  singleton<T>(parent: XmlElement, parentIndent: string, name: string, before: T | undefined, after: T | undefined, fill: Fill<T>): void {
    if (sameJson(before, after)) return;
    let element = firstChild(parent, name);
    if (after === undefined) {
      if (element) removeChild(parent, element);
      return;
    }
    let from = before;
    if (!element) {
      element = createElement(name);
      this.place(parent, parentIndent, element);
      from = undefined;
    }
    fill(element, from, after, childIndentOf(parent, parentIndent, this.unit));
  }

  /** Repeated elements (<ip>, <range>, <host> …): the n-th element is the n-th `before` entry. */
  list<T>(parent: XmlElement, parentIndent: string, name: string, before: readonly T[], after: readonly T[], fill: Fill<T>): void {
    if (sameJson(before, after)) return;
    const elements = childElements(parent, name);
    const match = matchLists(before, after);
    const kept = new Set(match.filter((i) => i !== -1));
    elements.forEach((el, i) => {
      if (!kept.has(i)) removeChild(parent, el);
    });
    const indent = childIndentOf(parent, parentIndent, this.unit);
    let previous: XmlElement | undefined;
    after.forEach((item, j) => {
      const i = match[j];
      if (i !== -1 && elements[i]) {
        if (!sameJson(before[i], item)) fill(elements[i], before[i], item, indent);
        previous = elements[i];
        return;
      }
      const element = createElement(name);
      if (previous) {
        const siblings = childElements(parent);
        insertChild(parent, element, siblings[siblings.indexOf(previous) + 1] ?? null, this.ctx(parentIndent));
      } else {
        const nextKept = match.slice(j + 1).find((k) => k !== -1);
        if (nextKept !== undefined && elements[nextKept]) insertChild(parent, element, elements[nextKept], this.ctx(parentIndent));
        else this.place(parent, parentIndent, element);
      }
      fill(element, undefined, item, childIndentOf(parent, parentIndent, this.unit));
      previous = element;
    });
  }
}

function countQuotes(element: XmlElement, counts: Record<"'" | '"', number>): void {
  for (const a of element.attributes) counts[a.quote]++;
  for (const child of element.children) if (child.kind === 'element') countQuotes(child, counts);
}
