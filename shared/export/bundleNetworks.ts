// networks/NAME.xml: each network of the variant in libvirt's canonical form
// (what `virsh net-dumpxml --inactive` prints after `virsh net-define`,
// canonicalNetworkXml.ts), so defining it on the host changes nothing that
// libvirt would otherwise fill in differently. A variant libvirt would refuse
// (define or start errors of validateProject, with line:column in the
// network's XML) is not exported.

import type { Lab } from '../lab/labModel.ts';
import { canonicalNetworkXml, type CanonicalOptions } from '../libvirt/canonicalNetworkXml.ts';
import { networkAddressing } from '../libvirt/networkAddressing.ts';
import { forwardModeOf } from '../libvirt/networkModel.ts';
import { parseNetworkXml } from '../libvirt/parseNetworkXml.ts';
import { validateProject } from '../libvirt/validateProject.ts';
import type { BundleFile } from './bundleTypes.ts';
import { ExportError } from './exportError.ts';
import { fatSafeStem } from './fatFileName.ts';
import type { FileNamer } from './fileNamer.ts';

export interface ExportedNetwork {
  id: string;
  name: string;
  /** Bundle path of its XML. */
  path: string;
  uuid: string;
  bridge?: string;
  forwardMode: string;
  autostart: boolean;
  /** Running at the end of the simulated timeline: apply.sh starts it if it is not running. */
  running: boolean;
  /** Subnets with the host's address on the bridge, e.g. 192.168.10.0/24 via 192.168.10.1. */
  subnets: { subnet: string; hostAddress: string }[];
  /** The uuid was not in the lab's XML and was generated for the bundle. */
  uuidGenerated: boolean;
}

export interface NetworkFilesResult {
  files: BundleFile[];
  networks: ExportedNetwork[];
  warnings: string[];
}

function where(name: string, index: number, line?: number, column?: number): string {
  const pos = line !== undefined ? ` line ${line}${column !== undefined ? `:${column}` : ''}` : '';
  return `network ${JSON.stringify(name)} (network ${index + 1} of the variant)${pos}`;
}

export function networkFiles(lab: Lab, runningIds: readonly string[], canonical: Omit<CanonicalOptions, 'usedBridgeNames'>, namer: FileNamer): NetworkFilesResult {
  const hostInterfaces = lab.host.interfaces.map((i) => ({ name: i.name, addresses: i.addresses }));
  const problemsPerNetwork = validateProject(lab.networks.map((n) => ({ text: n.xml })), hostInterfaces);
  const errors: string[] = [];
  const warnings: string[] = [];
  lab.networks.forEach((n, i) => {
    const name = parseNetworkXml(n.xml).network?.name ?? n.id;
    for (const p of problemsPerNetwork[i]) {
      const text = `${where(name, i, p.line, p.column)}: ${p.message}`;
      if (p.severity === 'error') errors.push(`${text}${p.when ? ` (libvirt refuses it at ${p.when === 'define' ? 'net-define' : 'net-start'})` : ''}`);
      else warnings.push(text);
    }
  });
  if (errors.length) throw new ExportError(errors);

  const files: BundleFile[] = [];
  const networks: ExportedNetwork[] = [];
  const used: string[] = lab.host.interfaces.map((i) => i.name);
  lab.networks.forEach((n, i) => {
    const before = parseNetworkXml(n.xml).network;
    const result = canonicalNetworkXml(n.xml, { ...canonical, usedBridgeNames: [...used] });
    const parsed = result.xml === null ? null : parseNetworkXml(result.xml).network;
    if (result.xml === null || !parsed || !before) {
      throw new ExportError([`${where(before?.name ?? n.id, i)}: libvirt would refuse it: ${result.problems.map((p) => p.message).join('; ') || 'unreadable XML'}`]);
    }
    const addressing = networkAddressing(parsed);
    if (addressing.bridgeName) used.push(addressing.bridgeName);
    const path = namer.unique('networks', fatSafeStem(parsed.name), '.xml');
    files.push({ path, text: result.xml, description: `libvirt network ${JSON.stringify(parsed.name)} for virsh net-define (canonical form)` });
    const uuidGenerated = before.uuid === undefined;
    if (uuidGenerated) {
      warnings.push(
        `network ${JSON.stringify(parsed.name)} has no <uuid> in the lab; the bundle gives it ${parsed.uuid ?? '?'}. If the host already has a network of that name, apply.sh stops and says so (libvirt refuses a second uuid for one name).`,
      );
    }
    networks.push({
      id: n.id,
      name: parsed.name,
      path,
      uuid: parsed.uuid ?? '',
      bridge: addressing.bridgeName,
      forwardMode: forwardModeOf(parsed) === 'none' ? 'isolated' : forwardModeOf(parsed),
      autostart: n.autostart,
      running: runningIds.includes(n.id),
      subnets: addressing.ips.map((ip) => ({ subnet: ip.subnet, hostAddress: ip.address })),
      uuidGenerated,
    });
  });
  // libvirt refuses a second network with the same uuid; an injected generator must not repeat itself.
  const seen = new Map<string, string>();
  for (const n of networks) {
    const other = seen.get(n.uuid);
    if (other !== undefined) throw new ExportError([`networks ${JSON.stringify(other)} and ${JSON.stringify(n.name)} would have the same uuid ${n.uuid}; libvirt refuses that`]);
    seen.set(n.uuid, n.name);
  }
  return { files, networks, warnings };
}
