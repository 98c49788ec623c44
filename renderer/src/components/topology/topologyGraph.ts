// The lab as a left-to-right graph: guests → their network's bridge → the KVM
// host → the upstream gateway → the internet. Each link carries the tone of
// the flows that cross it (green: every guest's ping gets through; red: at
// least one is refused or lost; grey: no verdict yet). Pure; the view feeds it
// to @xyflow/svelte.

import type { Edge, Node } from '@xyflow/svelte';
import type { Lab } from '../../../../shared/lab/labModel.ts';
import type { NetworkInfo } from '../../state/networkAnalysis.ts';
import { hostAddress } from '../../simulation/labFlows.ts';
import { toneOf, worstTone, type Tone } from '../../simulation/verdictView.ts';
import type { FlowOutcome } from '../../simulation/workerProtocol.ts';

export type TopologyKind = 'guest' | 'network' | 'host' | 'gateway' | 'internet';

export interface TopologyNodeData extends Record<string, unknown> {
  kind: TopologyKind;
  title: string;
  lines: string[];
  tone?: Tone;
  selected?: boolean;
}

export type TopologyNode = Node<TopologyNodeData, 'lab'>;

export type OutcomeLookup = (guestId: string, to: string) => FlowOutcome | undefined;

const COLUMN = { guest: 0, network: 215, host: 430, gateway: 645, internet: 860 } as const;
const ROW = 95;

function outcomeTone(o: FlowOutcome | undefined): Tone {
  return o && o.ok ? toneOf(o.verdict) : 'unknown';
}

const STROKE: Record<Tone, string> = { ok: '#3fb950', bad: '#f85149', unknown: '#6e7681' };

function edge(id: string, source: string, target: string, tone: Tone, label: string): Edge {
  return {
    id,
    source,
    target,
    label,
    class: `tone-${tone}`,
    style: `stroke: ${STROKE[tone]}; stroke-width: ${tone === 'unknown' ? 1.5 : 3.5};${tone === 'unknown' ? ' stroke-dasharray: 5 4;' : ''}`,
    labelStyle: `color: ${STROKE[tone]};`,
    animated: false,
    focusable: false,
  };
}

export function topologyGraph(lab: Lab, networks: readonly NetworkInfo[], lookup: OutcomeLookup, selectedNode: string | null): { nodes: TopologyNode[]; edges: Edge[] } {
  const nodes: TopologyNode[] = [];
  const edges: Edge[] = [];
  const gw = lab.gateway.address;
  const inet = lab.internet.address;
  let row = 0;
  const netRows: number[] = [];

  for (const n of networks) {
    const guests = lab.guests.filter((g) => g.networkId === n.id);
    const firstRow = row;
    for (const g of guests) {
      const toGw = outcomeTone(lookup(g.id, gw));
      const toInet = outcomeTone(lookup(g.id, inet));
      nodes.push({
        id: `guest:${g.id}`,
        type: 'lab',
        position: { x: COLUMN.guest, y: row * ROW },
        data: { kind: 'guest', title: g.name, lines: [g.address ?? 'DHCP'], tone: worstTone([toGw, toInet]), selected: selectedNode === `guest:${g.id}` },
        ariaRole: 'button',
      });
      edges.push(edge(`e:guest:${g.id}`, `guest:${g.id}`, `net:${n.id}`, worstTone([toGw, toInet]), ''));
      row++;
    }
    const netRow = guests.length ? (firstRow + row - 1) / 2 : row++;
    netRows.push(netRow);
    const v4 = n.addressing?.ipv4;
    const gwTones = guests.map((g) => outcomeTone(lookup(g.id, gw)));
    nodes.push({
      id: `net:${n.id}`,
      type: 'lab',
      position: { x: COLUMN.network, y: netRow * ROW },
      data: { kind: 'network', title: n.name, lines: [[n.addressing?.bridgeName, n.mode === 'none' ? 'isolated' : n.mode].filter(Boolean).join(' · '), v4 ? `${v4.address}/${v4.prefix}` : ''].filter(Boolean), tone: guests.length ? worstTone(gwTones) : 'unknown', selected: selectedNode === `net:${n.id}` },
    });
    edges.push(edge(`e:net:${n.id}`, `net:${n.id}`, 'host', guests.length ? worstTone(gwTones) : 'unknown', ''));
  }

  const middle = netRows.length ? (Math.min(...netRows) + Math.max(...netRows)) / 2 : 0;
  const allGw = lab.guests.map((g) => outcomeTone(lookup(g.id, gw)));
  const allInet = lab.guests.map((g) => outcomeTone(lookup(g.id, inet)));
  const uplink = lab.host.interfaces.find((i) => i.kind !== 'loopback' && i.addresses.length);
  nodes.push({
    id: 'host',
    type: 'lab',
    position: { x: COLUMN.host, y: middle * ROW },
    data: { kind: 'host', title: lab.host.name, lines: [uplink ? `${uplink.name} ${uplink.addresses[0]}` : (hostAddress(lab) ?? ''), `libvirt ${lab.host.libvirt.version}`], selected: selectedNode === 'host' },
  });
  nodes.push({ id: 'gateway', type: 'lab', position: { x: COLUMN.gateway, y: middle * ROW }, data: { kind: 'gateway', title: 'gateway', lines: [gw], tone: lab.guests.length ? worstTone(allGw) : 'unknown', selected: selectedNode === 'gateway' } });
  nodes.push({ id: 'internet', type: 'lab', position: { x: COLUMN.internet, y: middle * ROW }, data: { kind: 'internet', title: 'internet', lines: [inet], tone: lab.guests.length ? worstTone(allInet) : 'unknown', selected: selectedNode === 'internet' } });
  edges.push(edge('e:uplink', 'host', 'gateway', lab.guests.length ? worstTone(allGw) : 'unknown', uplink?.name ?? ''));
  edges.push(edge('e:internet', 'gateway', 'internet', lab.guests.length ? worstTone(allInet) : 'unknown', ''));
  return { nodes, edges };
}
