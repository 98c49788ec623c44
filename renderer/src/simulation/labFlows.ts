// Which flows the screens ask the simulator about. The topology needs, per
// guest, a ping to the upstream gateway and to the internet host; the
// simulation view offers the matrix's destinations (gateway, internet host, the
// KVM host, each network's gateway address, the other guests) before the
// simulator has built the lab's world, read from the lab itself.

import type { Lab } from '../../../shared/lab/labModel.ts';
import { matrixServices } from '../../../shared/simulator/matrix.ts';
import type { NetworkInfo } from '../state/networkAnalysis.ts';
import type { FlowRequest } from './verdictView.ts';

export interface FlowTarget {
  /** Stable key: 'gateway', 'internet', 'host', 'guest:ID', 'bridge:NETID'. */
  key: string;
  label: string;
  address: string;
}

export function topologyFlows(lab: Lab): FlowRequest[] {
  return lab.guests.flatMap((g) => [
    { from: g.id, to: lab.gateway.address, service: 'icmp' },
    { from: g.id, to: lab.internet.address, service: 'icmp' },
  ]);
}

/** The host's address towards the gateway: the first non-loopback interface address. */
export function hostAddress(lab: Lab): string | null {
  for (const iface of lab.host.interfaces) {
    if (iface.kind === 'loopback') continue;
    const first = iface.addresses[0];
    if (first) return first.split('/')[0];
  }
  return null;
}

/** Destinations the simulation view offers. */
export function pickTargets(lab: Lab, networks: readonly NetworkInfo[]): FlowTarget[] {
  const targets: FlowTarget[] = [
    { key: 'gateway', label: `gateway ${lab.gateway.address}`, address: lab.gateway.address },
    { key: 'internet', label: `internet ${lab.internet.address}`, address: lab.internet.address },
  ];
  const host = hostAddress(lab);
  if (host) targets.push({ key: 'host', label: `${lab.host.name} ${host}`, address: host });
  for (const n of networks) {
    const v4 = n.addressing?.ipv4;
    if (v4) targets.push({ key: `bridge:${n.id}`, label: `${n.name} ${v4.address}`, address: v4.address });
  }
  for (const g of lab.guests) if (g.address) targets.push({ key: `guest:${g.id}`, label: `${g.name} ${g.address}`, address: g.address });
  return targets;
}

/** The matrix's services: icmp, tcp/22, tcp/443, udp/53 and the lab's own. */
export function labServices(lab: Lab): string[] {
  return matrixServices(lab.services);
}
