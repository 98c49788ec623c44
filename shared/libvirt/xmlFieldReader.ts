// Typed reads of attributes and text from the positioned tree, collecting a
// NetworkProblem (with line/column/path) for a value the model cannot hold.
// Value rules follow libvirt's parser (src/conf/network_conf.c, src/util/virxml.c):
// virXPathString treats an empty string as absent; yes/no attributes accept
// exactly 'yes' and 'no'; numbers are unsigned decimal.

import { rawRunText } from '../xml/xmlEntities.ts';
import type { XmlDocument, XmlElement } from '../xml/xmlTree.ts';
import { attributeOf } from '../xml/xmlTree.ts';
import type { NetworkProblem } from './networkProblem.ts';
import { positionOf } from './networkXmlLocator.ts';

export class XmlFieldReader {
  readonly problems: NetworkProblem[] = [];
  networkName: string | undefined;

  constructor(readonly doc: XmlDocument) {}

  error(message: string, element: XmlElement | undefined, path: string, attribute?: string): void {
    this.problems.push({ severity: 'error', message, ...positionOf(this.doc, element, attribute), path: path || undefined, network: this.networkName || undefined, when: 'define' });
  }

  string(element: XmlElement | undefined, name: string): string | undefined {
    return element ? attributeOf(element, name)?.value : undefined;
  }

  /** Whole text content (comments dropped, entities decoded), as libvirt's string(./x[1]) sees it. */
  text(element: XmlElement | undefined): string | undefined {
    if (!element) return undefined;
    let out = '';
    for (const child of element.children) out += child.kind === 'raw' ? rawRunText(child.raw) : this.text(child);
    return out;
  }

  unsigned(element: XmlElement | undefined, name: string, path: string): number | undefined {
    const raw = this.string(element, name);
    if (raw === undefined) return undefined;
    const trimmed = raw.trim();
    if (/^[0-9]+$/.test(trimmed) && Number(trimmed) <= 0xffffffff) return Number(trimmed);
    this.error(`Invalid value for attribute '${name}' in element '${element!.name}': '${raw}'. Expected non-negative integer value`, element, path, name);
    return undefined;
  }

  yesNo(element: XmlElement | undefined, name: string, path: string): boolean | undefined {
    const raw = this.string(element, name);
    if (raw === undefined) return undefined;
    if (raw === 'yes') return true;
    if (raw === 'no') return false;
    this.error(`Invalid value for attribute '${name}' in element '${element!.name}': '${raw}'. Expected 'yes' or 'no'`, element, path, name);
    return undefined;
  }
}
