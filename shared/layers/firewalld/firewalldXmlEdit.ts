// Edits of zone and policy files through the positioned XML codec: only the
// edited element changes; comments, attribute quotes and layout stay byte for
// byte (architecture.md trap 6).

import { parseXmlDocument } from '../../xml/xmlCodec.ts';
import { createElement, insertChild, lineBreakOf, removeChild, setAttribute } from '../../xml/xmlEdit.ts';
import { serializeXmlDocument } from '../../xml/xmlSerialize.ts';
import { attributeValue, childElements } from '../../xml/xmlTree.ts';

/** Edits of a zone or policy file that keep everything else byte for byte. */
export type FirewalldXmlEdit =
  | { op: 'set-target'; target: string | undefined }
  | { op: 'add'; element: string; attributes: Record<string, string> }
  | { op: 'remove'; element: string; attribute: string; value: string };

export function editFirewalldXml(text: string, edit: FirewalldXmlEdit): string {
  const parsed = parseXmlDocument(text);
  if (!parsed.ok) throw new Error(`line ${parsed.error.line}, column ${parsed.error.column}: ${parsed.error.message}`);
  const doc = parsed.document;
  const root = doc.root;
  if (edit.op === 'set-target') setAttribute(root, 'target', edit.target, '"');
  else if (edit.op === 'add') {
    const exists = childElements(root, edit.element).some((c) => Object.entries(edit.attributes).every(([k, v]) => attributeValue(c, k) === v));
    if (!exists) {
      const e = createElement(edit.element);
      for (const [k, v] of Object.entries(edit.attributes)) setAttribute(e, k, v, '"');
      insertChild(root, e, null, { parentIndent: '', unit: '  ', newline: lineBreakOf(text) });
    }
  } else {
    for (const c of childElements(root, edit.element)) if (attributeValue(c, edit.attribute) === edit.value) removeChild(root, c);
  }
  return serializeXmlDocument(doc);
}
