// How an event is named in provenance and results when it has no label:
// "net-start deb", "SIGHUP to libvirtd", "SuSEfirewall2 start", "iptables -t filter -F".

import type { Lab, TimelineEvent } from '../../lab/labModel.ts';
import { labNetworks, type LabNetworkInfo } from '../libvirt/labNetworks.ts';

/** `networks`: the lab's parsed networks when the caller has them (saves parsing them again). */
export function describeEvent(event: TimelineEvent, lab: Lab, networks?: readonly LabNetworkInfo[]): string {
  if (event.label) return event.label;
  const p = event.params ?? {};
  const network = (): string => (networks ?? labNetworks(lab)).find((n) => n.id === event.networkId)?.network?.name ?? event.networkId ?? '?';
  const layer = (): string => lab.layers.find((l) => l.id === event.layerId)?.label ?? event.layerId ?? '?';
  switch (event.kind) {
    case 'libvirtd-start':
      return 'libvirtd start';
    case 'libvirtd-stop':
      return 'libvirtd stop';
    case 'libvirtd-restart':
      return 'libvirtd restart';
    case 'libvirtd-sighup':
      return 'SIGHUP to libvirtd';
    case 'network-start':
      return `net-start ${network()}`;
    case 'network-destroy':
      return `net-destroy ${network()}`;
    case 'layer-start':
      return `${layer()} start`;
    case 'layer-reload':
      return `${layer()} reload`;
    case 'layer-stop':
      return `${layer()} stop`;
    case 'iptables-flush':
      return `${p.family === 'ipv6' ? 'ip6tables' : 'iptables'} -t ${p.table ?? 'filter'} -F${p.deleteChains ? ' -X' : ''}`;
    case 'nft-flush-ruleset':
      return `nft flush ruleset${p.family ? ` ${p.family}` : ''}`;
    case 'sysctl-set':
      return `sysctl -w ${p.key}=${p.value}`;
    case 'sysctl-reload':
      return 'sysctl --system';
  }
}
