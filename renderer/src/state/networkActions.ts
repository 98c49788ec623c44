// Adding and removing networks. A new network gets virt-manager's defaults
// (peers.md §1.1, createnet.py): mode NAT, IPv4 on, network 192.168.100.0/24
// with the host on .1, DHCP from network + size/2 to network + size − 2
// (.128–.254), IPv6 off, DNS domain = the network name. Where 192.168.100.0/24
// is taken, the next free 192.168.N.0/24 is used, so the new network is valid
// in this lab at once. libvirt's autostart becomes a network-start boot event.

import { formatJsonPointer } from '../../../shared/lab/jsonPatch.ts';
import { labIdSource } from '../../../shared/lab/labIds.ts';
import type { JsonPatchOp } from '../../../shared/api/contract.ts';
import type { Lab, TimelineEvent } from '../../../shared/lab/labModel.ts';
import { formatNetworkXml } from '../../../shared/libvirt/formatNetworkXml.ts';
import type { Network } from '../../../shared/libvirt/networkModel.ts';
import { t } from '../i18n/i18n.svelte.ts';
import type { NetworkInfo } from './networkAnalysis.ts';
import type { Workspace } from './workspace.svelte.ts';

/** virt-manager's default name "network", then network1, network2, … (collision-checked as it does). */
export function freeNetworkName(taken: readonly string[]): string {
  if (!taken.includes('network')) return 'network';
  for (let n = 1; ; n++) if (!taken.includes(`network${n}`)) return `network${n}`;
}

/** 192.168.100 first (virt-manager's default), then 192.168.101 … 254, 0 … 99. */
export function freeSubnetThirdOctet(used: readonly string[]): number {
  const taken = new Set(used.map((cidr) => /^192\.168\.(\d+)\./.exec(cidr)?.[1]).filter(Boolean).map(Number));
  for (let i = 0; i < 255; i++) {
    const octet = (100 + i) % 255;
    if (!taken.has(octet)) return octet;
  }
  return 100;
}

export function defaultNetwork(name: string, octet: number): Network {
  const base = `192.168.${octet}`;
  return {
    name,
    forward: { mode: 'nat' },
    domain: { name },
    ips: [{ family: 'ipv4', address: `${base}.1`, netmask: '255.255.255.0', dhcp: { ranges: [{ start: `${base}.128`, end: `${base}.254` }], hosts: [] } }],
    routes: [],
    portgroups: [],
  };
}

/** Where a network-start boot event goes: after the last boot network start, else after libvirtd's start. */
export function networkStartIndex(lab: Lab): number {
  let at = -1;
  lab.events.forEach((e, i) => {
    if (e.phase === 'boot' && (e.kind === 'network-start' || (at === -1 && e.kind === 'libvirtd-start'))) at = i;
  });
  if (at === -1) at = lab.events.reduce((last, e, i) => (e.phase === 'boot' ? i : last), -1);
  return at + 1;
}

export async function addNetwork(ws: Workspace): Promise<void> {
  const lab = ws.lab;
  if (!lab) return;
  const taken = ws.networks.map((n) => n.name);
  const used = [
    ...ws.networks.flatMap((n) => n.addressing?.ips.map((ip) => ip.subnet) ?? []),
    ...lab.host.interfaces.flatMap((i) => i.addresses),
  ];
  const name = freeNetworkName(taken);
  const ids = labIdSource(lab);
  const id = ids('net');
  const event: TimelineEvent = { id: ids('event'), kind: 'network-start', networkId: id, params: { autostart: true }, phase: 'boot', label: `boot: libvirt autostarts network ${name}` };
  const ok = await ws.edit(t('edit.addNetwork', { name }), [
    { op: 'add', path: '/networks/-', value: { id, xml: formatNetworkXml(defaultNetwork(name, freeSubnetThirdOctet(used))), autostart: true } },
    { op: 'add', path: formatJsonPointer(['events', networkStartIndex(lab)]), value: event },
  ]);
  if (ok) {
    ws.selectedNetworkId = id;
    ws.view = 'network';
  }
}

/** Removes the network with its timeline events and the guests attached to it (one edit, undoable). */
export async function removeNetwork(ws: Workspace, info: NetworkInfo): Promise<void> {
  const lab = ws.lab;
  if (!lab) return;
  const guests = lab.guests.filter((g) => g.networkId === info.id);
  const ok = await ws.prompts.ask({
    title: t('network.removeTitle'),
    message: guests.length ? t('network.removeWithGuests', { name: info.name, guests: guests.map((g) => g.name).join(', ') }) : t('network.removeMessage', { name: info.name }),
    confirmLabel: t('action.delete'),
    danger: true,
  });
  if (ok === null) return;
  // Remove from the end so earlier indexes stay valid within the patch.
  const patch: JsonPatchOp[] = [];
  lab.events.forEach((e, i) => e.networkId === info.id && patch.unshift({ op: 'remove', path: `/events/${i}` }));
  lab.guests.forEach((g, i) => g.networkId === info.id && patch.unshift({ op: 'remove', path: `/guests/${i}` }));
  patch.push({ op: 'remove', path: `/networks/${info.index}` });
  await ws.edit(t('edit.removeNetwork', { name: info.name }), patch);
}
