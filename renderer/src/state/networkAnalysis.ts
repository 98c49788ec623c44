// Each network of a lab parsed and validated as libvirt would, all networks
// together in start order with the host's interfaces (duplicate names, bridges,
// subnets). Pure and cheap for labs of a few networks; the UI derives it from
// the current variant.

import type { Lab } from '../../../shared/lab/labModel.ts';
import { networkAddressing, type NetworkAddressing } from '../../../shared/libvirt/networkAddressing.ts';
import { forwardModeOf, type ForwardMode, type Network } from '../../../shared/libvirt/networkModel.ts';
import { sortProblems, type NetworkProblem } from '../../../shared/libvirt/networkProblem.ts';
import { parseNetworkXml, type ParsedNetworkXml } from '../../../shared/libvirt/parseNetworkXml.ts';
import { validateProject } from '../../../shared/libvirt/validateProject.ts';

export interface NetworkInfo {
  id: string;
  index: number;
  xml: string;
  parsed: ParsedNetworkXml;
  network: Network | null;
  /** The <name>, or the lab id while the XML has none. */
  name: string;
  mode: ForwardMode | null;
  addressing: NetworkAddressing | null;
  problems: NetworkProblem[];
  errors: number;
  warnings: number;
}

export function analyseNetworks(lab: Lab | null): NetworkInfo[] {
  if (!lab) return [];
  const hostInterfaces = lab.host.interfaces.map((i) => ({ name: i.name, addresses: i.addresses }));
  const problems = validateProject(
    lab.networks.map((n) => ({ file: n.id, text: n.xml })),
    hostInterfaces,
  );
  return lab.networks.map((n, index) => {
    const parsed = parseNetworkXml(n.xml);
    const network = parsed.network;
    const list = sortProblems(problems[index] ?? []);
    return {
      id: n.id,
      index,
      xml: n.xml,
      parsed,
      network,
      name: network?.name || n.id,
      mode: network ? forwardModeOf(network) : null,
      addressing: network ? networkAddressing(network) : null,
      problems: list,
      errors: list.filter((p) => p.severity === 'error').length,
      warnings: list.filter((p) => p.severity === 'warning').length,
    };
  });
}
