// The lab's networks as libvirt sees them when it defines them: parsed XML,
// the bridge name, and problems that keep a network from starting.
//
// A network without <bridge name> (or with a `virbr%d` template) gets the
// first free `virbrN` at define time (libvirt.md §7, fixture dumpxml/: `min`
// → virbr0). "Free" means not written by another network and not an existing
// host interface; networks are defined in the lab's order.

import type { Lab, LabNetwork } from '../../lab/labModel.ts';
import { parseNetworkXml } from '../../libvirt/parseNetworkXml.ts';
import { validateNetwork } from '../../libvirt/validateNetwork.ts';
import { writtenBridgeName } from '../../libvirt/networkAddressing.ts';
import type { Network } from '../../libvirt/networkModel.ts';
import type { NetworkProblem } from '../../libvirt/networkProblem.ts';

export interface LabNetworkInfo {
  id: string;
  autostart: boolean;
  /** null when the XML cannot be read (then `problem` says why). */
  network: Network | null;
  /** The bridge libvirt uses (written, or assigned virbrN). */
  bridge: string;
  /** True when libvirt picked the name. */
  bridgeAssigned: boolean;
  /** Why libvirt would refuse to define or start this network, with line and column when known. */
  problem?: string;
}

function where(p: { line?: number; column?: number; message: string }): string {
  return p.line !== undefined ? `line ${p.line}, column ${p.column ?? 1}: ${p.message}` : p.message;
}

/**
 * net-start failures the daemon model raises itself, at the step and in the words of real libvirt
 * (an empty NAT port range: addNetworkRules refuses before any firewall command, checked against
 * real libvirt 9.0), so they are not turned into an up-front refusal here.
 */
const DAEMON_CHECKS_AT_START = new Set(['forward/nat/port']);

/** The first error that makes libvirt refuse to define or start the network (its own checks, validateNetwork). */
function readOne(n: LabNetwork): { network: Network | null; problem?: string } {
  const parsed = parseNetworkXml(n.xml);
  const refusal = (p: NetworkProblem) => p.severity === 'error' && p.when !== undefined && !(p.when === 'start' && DAEMON_CHECKS_AT_START.has(p.path ?? ''));
  const error = validateNetwork(parsed).find(refusal) ?? parsed.problems.find((p) => p.severity === 'error');
  if (!parsed.network) {
    return { network: null, problem: error ? where(error) : 'network XML cannot be read' };
  }
  if (error) return { network: parsed.network, problem: where(error) };
  return { network: parsed.network };
}

export function labNetworks(lab: Pick<Lab, 'networks' | 'host'>): LabNetworkInfo[] {
  const read = lab.networks.map((n) => ({ n, ...readOne(n) }));
  const taken = new Set<string>(lab.host.interfaces.map((i) => i.name));
  for (const r of read) {
    const b = r.network ? writtenBridgeName(r.network) : undefined;
    if (b) taken.add(b);
  }
  return read.map((r) => {
    const written = r.network ? writtenBridgeName(r.network) : undefined;
    let bridge = written;
    if (!bridge) {
      let i = 0;
      while (taken.has(`virbr${i}`)) i++;
      bridge = `virbr${i}`;
      taken.add(bridge);
    }
    const info: LabNetworkInfo = { id: r.n.id, autostart: r.n.autostart, network: r.network, bridge, bridgeAssigned: !written };
    if (r.problem) info.problem = r.problem;
    return info;
  });
}
