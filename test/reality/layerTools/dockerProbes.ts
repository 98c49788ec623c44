// First packets that Docker's rules decide, besides the shared verdict matrix
// (verdictMatrix.ts PROBES: a libvirt guest on virbr3 going out, in, NAT): a
// container on docker0 (172.17.0.0/16, or 10.99.0.0/24 with bip) going out,
// reaching another container, and a host outside reaching a container
// directly (not a published port). Evaluated by verdictOf on the real dumps
// and on the model's state (docker-real.test.ts).

import type { Packet } from '../../../shared/netfilter/eval/packet.ts';
import type { Probe } from './verdictMatrix.ts';

const base = { ctState: 'NEW' as const, ctStatus: [], pktType: 'unicast' as const, length: 60, proto: 'tcp', sport: 40000, tcpFlags: ['SYN' as const] };
const fwd = (iif: string, oif: string, src: string, dst: string, dport: number): Packet => ({ family: 'ipv4', iif, oif, src, dst, dport, ...base });

export const DOCKER_PROBES: Probe[] = [
  { name: 'docker0 → eth1 tcp/443 (container out)', hook: 'forward', packet: fwd('docker0', 'eth1', '172.17.0.2', '203.0.113.10', 443) },
  { name: 'docker0 (bip 10.99.0.0/24) → eth1 tcp/443', hook: 'forward', packet: fwd('docker0', 'eth1', '10.99.0.2', '203.0.113.10', 443) },
  { name: 'docker0 → docker0 tcp/80 (container to container, icc)', hook: 'forward', packet: fwd('docker0', 'docker0', '172.17.0.2', '172.17.0.3', 80) },
  { name: 'eth1 → docker0 tcp/80 (not published)', hook: 'forward', packet: fwd('eth1', 'docker0', '192.168.90.1', '172.17.0.2', 80) },
  { name: 'virbr3 → docker0 tcp/80 (guest to container)', hook: 'forward', packet: fwd('virbr3', 'docker0', '192.168.10.50', '172.17.0.2', 80) },
  { name: 'eth1 → docker0 established', hook: 'forward', packet: { ...fwd('eth1', 'docker0', '203.0.113.10', '172.17.0.2', 40000), sport: 443, ctState: 'ESTABLISHED', tcpFlags: ['ACK'] } },
  { name: 'docker0 → eth1 tcp/443 leaving (masquerade?)', hook: 'postrouting', packet: fwd('docker0', 'eth1', '172.17.0.2', '203.0.113.10', 443) },
  { name: 'docker0 (bip 10.99.0.0/24) → eth1 leaving (masquerade?)', hook: 'postrouting', packet: fwd('docker0', 'eth1', '10.99.0.2', '203.0.113.10', 443) },
];
