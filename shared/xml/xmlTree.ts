// The positioned XML tree virtwall keeps for every parsed file.
//
// Plain data (no classes, no parent pointers) so a document can be cloned with
// cloneJson, stored, or sent over IPC. Every node parsed from a file remembers
// its offsets in the original text, so the writer can copy untouched parts
// byte for byte and only re-print what was edited (architecture.md trap 6).

/** Offsets into XmlDocument.text. `end` is exclusive. */
export interface XmlSpan {
  start: number;
  end: number;
}

export interface XmlAttribute {
  name: string;
  /** Decoded value (entities resolved). */
  value: string;
  /** Whitespace before the name, as written. */
  leading: string;
  /** Quote character used in the file (libvirt writes '). */
  quote: "'" | '"';
  /** Exact source text `name='value'`; dropped when the value is edited. */
  raw?: string;
  /** Where the name starts and where the value (inside the quotes) starts. */
  nameAt?: number;
  valueAt?: number;
}

export interface XmlElement {
  kind: 'element';
  name: string;
  attributes: XmlAttribute[];
  /** Elements and raw runs (text, comments, CDATA, processing instructions) in document order. */
  children: XmlNode[];
  /** Written as `<x/>` (and still without children). */
  selfClosing: boolean;
  /** Whitespace between the last attribute and `>` or `/>`. */
  tagTail: string;
  /** Where the element sits in the original text (absent for created elements). */
  span?: XmlSpan;
  /** Exact close tag text (`</x>`), when it had one. */
  closeTagRaw?: string;
  /** Set by every edit of this element's own tag or child list. */
  modified?: boolean;
}

/** Anything between elements, kept verbatim: text (with its entity references), comments, CDATA, PIs. */
export interface XmlRaw {
  kind: 'raw';
  raw: string;
}

export type XmlNode = XmlElement | XmlRaw;

export interface XmlDocument {
  /** The original text (empty for documents built from scratch). */
  text: string;
  /** Everything before the root element (XML declaration, DOCTYPE, comments, whitespace). */
  prolog: string;
  root: XmlElement;
  /** Everything after the root element. */
  epilog: string;
}

export function childElements(element: XmlElement, name?: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const child of element.children) {
    if (child.kind === 'element' && (name === undefined || child.name === name)) out.push(child);
  }
  return out;
}

export function firstChild(element: XmlElement, name: string): XmlElement | undefined {
  for (const child of element.children) {
    if (child.kind === 'element' && child.name === name) return child;
  }
  return undefined;
}

export function attributeOf(element: XmlElement, name: string): XmlAttribute | undefined {
  return element.attributes.find((a) => a.name === name);
}

export function attributeValue(element: XmlElement | undefined, name: string): string | undefined {
  return element ? attributeOf(element, name)?.value : undefined;
}
