// Which firewalld zone libvirt puts a network's bridge into when firewalld
// runs (bridge_driver_linux.c networkAddFirewallRules; firewall-layers.md §0
// fact 8; the zone and policy files libvirt ships are in fixtures firewalld/):
//   <bridge zone='Z'/>                      → Z (any forward mode)
//   libvirt < 5.1                           → none (the bridge falls into firewalld's default zone)
//   route, libvirt ≥ 8.10, firewalld ≥ 0.9  → libvirt-routed (its policy libvirt-routed-out exists)
//   isolated / nat / route otherwise        → libvirt
//   open and other modes without zone=      → none
// Not captured (no firewalld in the captures): from libvirt's source as read.

import type { Layer } from '../../lab/labModel.ts';
import type { Network } from '../../libvirt/networkModel.ts';
import { forwardModeOf } from '../../libvirt/networkModel.ts';
import { versionAtLeast } from '../layerActions.ts';

export interface LibvirtZoneChoice {
  bridge: string;
  zone: string;
  reason: string;
}

export function libvirtFirewalldZone(network: Network, bridge: string, libvirtVersion: string, firewalld: Pick<Layer, 'version'>): LibvirtZoneChoice | null {
  const mode = forwardModeOf(network);
  const label = `libvirt ${libvirtVersion}: network ${network.name}`;
  if (network.bridge?.zone) return { bridge, zone: network.bridge.zone, reason: `${label}: <bridge zone='${network.bridge.zone}'/>` };
  if (!versionAtLeast(libvirtVersion, '5.1')) return null;
  if (mode !== 'none' && mode !== 'nat' && mode !== 'route') return null;
  const fwVersion = firewalld.version || '2.1.0';
  if (mode === 'route' && versionAtLeast(libvirtVersion, '8.10') && versionAtLeast(fwVersion, '0.9')) {
    return { bridge, zone: 'libvirt-routed', reason: `${label} (route): firewalld has policy libvirt-routed-out, so libvirt uses zone libvirt-routed` };
  }
  return { bridge, zone: 'libvirt', reason: `${label} (${mode === 'none' ? 'isolated' : mode}): libvirt puts its bridges into zone libvirt` };
}
