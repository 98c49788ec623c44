// Fixes that are proven: for a failed flow, concrete lab changes (each a JSON
// patch on the lab), every one re-simulated; only those after which the guest
// gets a reply are offered, at most three, with their re-simulated verdict.
// Candidates, by what went wrong:
// - switch the network's forward mode (isolated → route or nat): libvirt then
//   accepts the subnet above its REJECTs and turns ip_forward on;
// - add the gateway's return route to the guest's subnet via the host;
// - an ACCEPT that survives libvirt's re-insertion: a libvirt network hook
//   (/etc/libvirt/hooks/network runs after libvirt inserted its rules, so its
//   `iptables -I` lands above them) — on Docker hosts the same rule in DOCKER-USER;
// - enable forwarding / loosen rp_filter with a sysctl written after every
//   other tool (a sysctl-set event at the end of the timeline).

import type { JsonPatchOp } from '../api/contract.ts';
import { applyPatch } from '../lab/jsonPatch.ts';
import type { Lab, Layer, TimelineEvent } from '../lab/labModel.ts';
import { parseNetworkXml } from '../libvirt/parseNetworkXml.ts';
import { writeNetworkXml } from '../libvirt/writeNetworkXml.ts';
import type { FlowRequest, FlowVerdict } from './flowTypes.ts';
import { formatIpv4 } from './ipv4.ts';
import { labWorld, simulateFlow } from './simulateFlow.ts';
import { findGuestNode } from './simulateInWorld.ts';
import { simNetwork } from './simNetwork.ts';

export interface ProvenFix {
  /** "Switch network deb to forward mode route". */
  label: string;
  why: string;
  patch: JsonPatchOp[];
  /** The flow re-simulated on the patched lab. */
  result: FlowVerdict;
}

interface Candidate {
  label: string;
  why: string;
  patch: JsonPatchOp[];
}

const HOOK_PATH = '/etc/libvirt/hooks/network';

function modeSwitch(lab: Lab, netIndex: number, mode: 'route' | 'nat'): Candidate | null {
  const parsed = parseNetworkXml(lab.networks[netIndex].xml);
  if (!parsed.network) return null;
  const network = { ...parsed.network, forward: { ...(parsed.network.forward ?? {}), mode } };
  const xml = writeNetworkXml(network, parsed.document);
  return {
    label: `Switch network ${parsed.network.name} to forward mode ${mode}`,
    why: mode === 'route'
      ? `libvirt then accepts ${'the network\'s subnet'} above its REJECTs and turns ip_forward on; the gateway must route the subnet back`
      : 'libvirt then accepts the subnet, masquerades it behind the host and turns ip_forward on; the gateway needs no return route',
    patch: [{ op: 'replace', path: `/networks/${netIndex}/xml`, value: xml }],
  };
}

function laterEvent(lab: Lab, kind: TimelineEvent['kind'], label: string, extra: Partial<TimelineEvent>): JsonPatchOp {
  const id = `event-fix-${lab.events.length + 1}`;
  return { op: 'add', path: '/events/-', value: { id, kind, phase: 'later', label, ...extra } satisfies TimelineEvent };
}

function hookAccept(lab: Lab, bridge: string, subnet: string, input: { proto: string; port: number } | null): Candidate {
  const docker = lab.layers.some((l) => l.kind === 'docker');
  const chain = docker ? 'DOCKER-USER' : 'FORWARD';
  const lines = input
    ? [`iptables -I INPUT -i ${bridge} -p ${input.proto} --dport ${input.port} -j ACCEPT`]
    : [`iptables -I ${chain} -s ${subnet} -i ${bridge} -j ACCEPT`, `iptables -I ${chain} -d ${subnet} -o ${bridge} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`];
  const id = `layer-fix-hook-${bridge}`;
  const layer: Layer = {
    id,
    kind: 'own-script',
    label: `libvirt network hook (${HOOK_PATH})`,
    files: { [HOOK_PATH]: ['#!/bin/sh', '# Runs after libvirt inserted its rules for a network, so these land above them.', ...lines, ''].join('\n') },
    settings: { format: 'sh' },
  };
  const patch: JsonPatchOp[] = [{ op: 'add', path: '/layers/-', value: layer }, laterEvent(lab, 'layer-start', `libvirt runs ${HOOK_PATH} after inserting its rules`, { layerId: id })];
  return {
    label: input ? `Accept ${input.proto}/${input.port} from ${bridge} in a libvirt network hook` : `Accept ${subnet} on ${bridge} in a libvirt network hook${docker ? ' (DOCKER-USER)' : ''}`,
    why: `${lines.join('; ')} — inserted after libvirt's rules every time libvirt (re)inserts them`,
    patch,
  };
}

export function proposeFixes(lab: Lab, request: FlowRequest, verdict?: FlowVerdict, max = 3): ProvenFix[] {
  const v = verdict ?? simulateFlow(lab, request);
  if (v.cause === 'ok') return [];
  const world = labWorld(lab);
  const guest = findGuestNode(world, request.from);
  const netId = guest?.guest?.networkId;
  const netIndex = lab.networks.findIndex((n) => n.id === netId);
  const net = netIndex >= 0 ? simNetwork(lab.networks[netIndex]) : null;
  const host = world.nodes.get(world.hostId)!;
  const bridge = net ? host.interfaces.find((i) => net.ipv4.some((a) => i.addresses.some((x) => x.address === a.address)))?.name : undefined;
  const subnet = net?.ipv4[0] ? `${formatIpv4(net.ipv4[0].network)}/${net.ipv4[0].prefix}` : undefined;
  const candidates: Candidate[] = [];
  const c = v.cause;
  if (net && netIndex >= 0 && (c === 'rule-reject' || c === 'rule-drop' || c === 'chain-policy' || c === 'forwarding-off' || c === 'no-return-route')) {
    if (net.mode !== 'route' && c !== 'no-return-route') candidates.push(modeSwitch(lab, netIndex, 'route')!);
    if (net.mode !== 'nat') candidates.push(modeSwitch(lab, netIndex, 'nat')!);
  }
  if (c === 'no-return-route' && subnet) {
    const gw = world.nodes.get('gateway');
    const seg = gw?.interfaces.find((i) => i.name === 'lan0')?.segment;
    const hostAddr = host.interfaces.find((i) => i.segment === seg)?.addresses[0];
    if (hostAddr) candidates.push({ label: `Add the gateway's return route ${subnet} via ${formatIpv4(hostAddr.address)}`, why: `without NAT the gateway must send replies for ${subnet} back to the KVM host`, patch: [{ op: 'add', path: '/gateway/routes/-', value: { destination: subnet, via: formatIpv4(hostAddr.address) } }] });
  }
  if (bridge && subnet && (c === 'rule-reject' || c === 'rule-drop' || c === 'chain-policy' || c === 'no-dhcp-lease')) {
    const toHost = v.hop?.stage === 'INPUT' || c === 'no-dhcp-lease';
    const svc = c === 'no-dhcp-lease' ? { proto: 'udp', port: 67 } : /^(tcp|udp)\/(\d+)$/.exec(request.service);
    const input = toHost ? (Array.isArray(svc) ? { proto: svc[1], port: Number(svc[2]) } : (svc as { proto: string; port: number } | null) ?? { proto: 'icmp', port: 0 }) : null;
    if (!(input && input.proto === 'icmp')) candidates.push(hookAccept(lab, bridge, subnet, input));
  }
  if (c === 'forwarding-off') candidates.push({ label: 'Enable IP forwarding (net.ipv4.ip_forward=1, written last)', why: 'packets received on the bridge are dropped silently while forwarding is off', patch: [laterEvent(lab, 'sysctl-set', 'admin: sysctl -w net.ipv4.ip_forward=1', { params: { key: 'net.ipv4.ip_forward', value: '1' } })] });
  if (c === 'rp-filter') {
    const iface = /conf\.([^.]+)\.rp_filter/.exec(v.decidedBy?.rule ?? '')?.[1];
    const loose = (n: number, key: string): JsonPatchOp => ({ op: 'add', path: '/events/-', value: { id: `event-fix-${lab.events.length + n}`, kind: 'sysctl-set', phase: 'later', label: `admin: sysctl -w ${key}=2`, params: { key, value: '2' } } });
    const patch = [loose(1, 'net.ipv4.conf.all.rp_filter'), ...(iface ? [loose(2, `net.ipv4.conf.${iface}.rp_filter`)] : [])];
    candidates.push({ label: `Loosen rp_filter to 2 (loose)${iface ? ` on all and ${iface}` : ''}`, why: 'strict reverse-path filtering drops packets that arrive on another interface than the route back (the effective value is max(all, interface))', patch });
  }
  const out: ProvenFix[] = [];
  for (const cand of candidates) {
    if (out.length >= max) break;
    let patched: Lab;
    try {
      patched = applyPatch(lab, cand.patch).doc;
    } catch {
      continue;
    }
    let result: FlowVerdict;
    try {
      result = simulateFlow(patched, request);
    } catch {
      continue;
    }
    if (result.cause === 'ok') out.push({ ...cand, result });
  }
  return out;
}
