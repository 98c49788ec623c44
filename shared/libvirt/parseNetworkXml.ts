// Entry point: libvirt network XML text → model + problems + positioned document.
//
// `document` is what the writer needs to keep everything the model does not
// know (writeNetworkXml(network, document)); `problems` here are only those of
// reading (not well-formed, wrong root, values the model cannot hold).
// validateNetwork(parsed) adds libvirt's own checks.

import { parseXmlDocument } from '../xml/xmlCodec.ts';
import type { XmlDocument } from '../xml/xmlTree.ts';
import type { Network } from './networkModel.ts';
import type { NetworkProblem } from './networkProblem.ts';
import { positionOf } from './networkXmlLocator.ts';
import { readNetwork } from './networkXmlReader.ts';

export type NetworkXmlDocument = XmlDocument;

export interface ParsedNetworkXml {
  network: Network | null;
  problems: NetworkProblem[];
  document: NetworkXmlDocument | null;
}

export function parseNetworkXml(text: string): ParsedNetworkXml {
  const parsed = parseXmlDocument(text);
  if (!parsed.ok) {
    const { message, line, column } = parsed.error;
    return { network: null, document: null, problems: [{ severity: 'error', message: `XML is not well-formed: ${message}`, line, column, when: 'define' }] };
  }
  const document = parsed.document;
  if (document.root.name !== 'network') {
    // libvirt's virXMLParse with root "network" (src/util/virxml.c)
    return {
      network: null,
      document,
      problems: [{ severity: 'error', message: `unexpected root element <${document.root.name}>, expecting <network>`, ...positionOf(document, document.root), when: 'define' }],
    };
  }
  const { network, problems } = readNetwork(document);
  return { network, problems, document };
}
