// Evaluating a folded scenario host: the guest's (or gateway's) first packet
// through the forward hook, across every ruleset of the host (iptables legacy
// and nft-backed, firewalld's, libvirt's and Docker's nft tables), with the
// deciding rule and its provenance. Routing, rp_filter and the reply path are
// the simulator's; these tests assert the ruleset part of each scenario.

import { compileHost } from '../../shared/netfilter/eval/compileHost.ts';
import { evaluateHook } from '../../shared/netfilter/eval/evaluateHook.ts';
import { outcomeLeaves, type HookLeaf, type HookResult } from '../../shared/netfilter/eval/hookResult.ts';
import type { Packet } from '../../shared/netfilter/eval/packet.ts';
import type { NetfilterState } from '../../shared/netfilter/netfilterState.ts';
import type { RuleRef } from '../../shared/netfilter/model.ts';
import { T0 } from '../../shared/lab/defaultLab.ts';
import { BRIDGE, GUEST } from './layerScenarioLabs.ts';

export type Probe = 'ping' | 'tcp443';
export type Peer = 'gateway' | 'internet';

const ADDRESS: Record<Peer, string> = { gateway: T0.gatewayAddress, internet: T0.internetAddress };

export function guestPacket(probe: Probe, peer: Peer = 'gateway'): Packet {
  const base = { family: 'ipv4' as const, iif: BRIDGE, oif: T0.uplink, src: GUEST, dst: ADDRESS[peer], ctState: 'NEW' as const, ctStatus: [], pktType: 'unicast' as const, length: 60 };
  return probe === 'ping' ? { ...base, proto: 'icmp', icmpType: 8, icmpCode: 0 } : { ...base, proto: 'tcp', sport: 40000, dport: 443, tcpFlags: ['SYN'] };
}

/** G → V: a new connection from the LAN into the guest network (scenario F5). */
export function inboundPacket(): Packet {
  return { family: 'ipv4', iif: T0.uplink, oif: BRIDGE, src: T0.gatewayAddress, dst: GUEST, proto: 'tcp', sport: 40000, dport: 443, tcpFlags: ['SYN'], ctState: 'NEW', ctStatus: [], pktType: 'unicast', length: 60 };
}

export interface Decision {
  verdict: HookLeaf['verdict'];
  decidedBy: RuleRef | null;
  acceptedBy: RuleRef[];
  summary: string;
  result: HookResult;
}

/** The forward-hook decision; undecidable matches must not change it (every leaf agrees). */
export function forwardDecision(state: NetfilterState, packet: Packet, options: { brNetfilter?: boolean } = {}): Decision {
  return hookDecision(state, 'forward', packet, options);
}

/** A guest on a host bridge br0 (enslaving eth1, same L2 as G) talking to G: bridged, not routed (scenario D5). */
export function bridgedPacket(): Packet {
  return { family: 'ipv4', iif: 'br0', oif: 'br0', physIn: 'vnet0', physOut: 'eth1', bridged: true, src: '192.168.90.50', dst: T0.gatewayAddress, proto: 'tcp', sport: 40000, dport: 443, tcpFlags: ['SYN'], ctState: 'NEW', ctStatus: [], pktType: 'unicast', length: 60 };
}

/** A guest's DHCP request to the host (the INPUT side of scenarios F3/U3). */
export function dhcpToHost(): Packet {
  return { family: 'ipv4', iif: BRIDGE, src: '0.0.0.0', dst: '255.255.255.255', proto: 'udp', sport: 68, dport: 67, ctState: 'NEW', ctStatus: [], pktType: 'broadcast', length: 328 };
}

export function hookDecision(state: NetfilterState, hook: 'forward' | 'input', packet: Packet, options: { brNetfilter?: boolean } = {}): Decision {
  const host = compileHost(state, {
    context: {
      interfaces: [
        { name: 'lo', addresses: ['127.0.0.1/8'], kind: 'loopback' },
        { name: T0.uplink, addresses: [`${T0.hostAddress}/24`] },
        { name: BRIDGE, addresses: ['192.168.10.1/24'], kind: 'bridge' },
      ],
      brNetfilter: options.brNetfilter ?? false,
    },
  });
  const result = evaluateHook(host, hook, packet);
  const leaves = outcomeLeaves(result.outcome);
  const finals = leaves.filter((l): l is HookLeaf => l.kind === 'final');
  if (finals.length !== leaves.length) throw new Error(`capped outcome: ${result.summary}`);
  const key = (l: HookLeaf) => JSON.stringify([l.verdict, l.decidedBy?.text, l.decidedBy?.chain, l.decidedBy?.position]);
  if (new Set(finals.map(key)).size !== 1) throw new Error(`outcome depends on an undecidable match: ${result.summary}`);
  const leaf = finals[0];
  return { verdict: leaf.verdict, decidedBy: leaf.decidedBy, acceptedBy: leaf.acceptedBy, summary: result.summary, result };
}
