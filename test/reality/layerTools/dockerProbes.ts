// First packets that Docker's rules decide, besides the shared verdict matrix
// (verdictMatrix.ts PROBES: a libvirt guest on virbr3 going out, in, NAT): a
// container on docker0 (172.17.0.0/16, or 10.99.0.0/24 with bip) going out,
// reaching another container, and a host outside reaching a container
// directly (not a published port); user-defined networks (scenarios networks,
// ports: bridges named as the model names them, br-<id from the name>) going
// out, isolated from each other, --internal, without masquerade; and
// published ports: where the DNAT at prerouting sends a first packet to the
// host's address (from outside on eth1, from a guest on virbr3) and whether
// the DNAT'd packet then passes FORWARD. Evaluated by verdictOf on the real
// dumps and on the model's state (docker-real.test.ts): the netfilter verdict
// path of the kernel's rules against the model's. One real connection through
// a published port (a peer namespace → host:8080 → a listener inside the
// container) is made by dockerConnect.ts.

import { dockerNetworkId } from '../../../shared/layers/docker/dockerNetworkPlan.ts';
import type { Packet } from '../../../shared/netfilter/eval/packet.ts';
import type { Probe } from './verdictMatrix.ts';

const base = { ctState: 'NEW' as const, ctStatus: [], pktType: 'unicast' as const, length: 60, proto: 'tcp', sport: 40000, tcpFlags: ['SYN' as const] };
const fwd = (iif: string, oif: string, src: string, dst: string, dport: number): Packet => ({ family: 'ipv4', iif, oif, src, dst, dport, ...base });
/** First packet to the host's own address (eth1 192.168.90.10, virbr3 192.168.10.1: verdictMatrix.ts interfaces). */
const toHost = (iif: string, src: string, dport: number, proto = 'tcp'): Packet => ({ family: 'ipv4', iif, src, dst: iif === 'eth1' ? '192.168.90.10' : '192.168.10.1', dport, ...base, proto, ...(proto === 'tcp' ? {} : { tcpFlags: [] }) });
const br = (network: string): string => `br-${dockerNetworkId(network).slice(0, 12)}`;

export const DOCKER_PROBES: Probe[] = [
  { name: 'docker0 → eth1 tcp/443 (container out)', hook: 'forward', packet: fwd('docker0', 'eth1', '172.17.0.2', '203.0.113.10', 443) },
  { name: 'docker0 (bip 10.99.0.0/24) → eth1 tcp/443', hook: 'forward', packet: fwd('docker0', 'eth1', '10.99.0.2', '203.0.113.10', 443) },
  { name: 'docker0 → docker0 tcp/80 (container to container, icc)', hook: 'forward', packet: fwd('docker0', 'docker0', '172.17.0.2', '172.17.0.3', 80) },
  { name: 'eth1 → docker0 tcp/80 (not published)', hook: 'forward', packet: fwd('eth1', 'docker0', '192.168.90.1', '172.17.0.2', 80) },
  { name: 'virbr3 → docker0 tcp/80 (guest to container)', hook: 'forward', packet: fwd('virbr3', 'docker0', '192.168.10.50', '172.17.0.2', 80) },
  { name: 'eth1 → docker0 established', hook: 'forward', packet: { ...fwd('eth1', 'docker0', '203.0.113.10', '172.17.0.2', 40000), sport: 443, ctState: 'ESTABLISHED', tcpFlags: ['ACK'] } },
  { name: 'docker0 → eth1 tcp/443 leaving (masquerade?)', hook: 'postrouting', packet: fwd('docker0', 'eth1', '172.17.0.2', '203.0.113.10', 443) },
  { name: 'docker0 (bip 10.99.0.0/24) → eth1 leaving (masquerade?)', hook: 'postrouting', packet: fwd('docker0', 'eth1', '10.99.0.2', '203.0.113.10', 443) },
  // user-defined networks
  { name: 'n1 → eth1 tcp/443 (container out)', hook: 'forward', packet: fwd(br('n1'), 'eth1', '172.18.0.2', '203.0.113.10', 443) },
  { name: 'n1 → docker0 tcp/80 (between Docker networks)', hook: 'forward', packet: fwd(br('n1'), 'docker0', '172.18.0.2', '172.17.0.2', 80) },
  { name: 'n1 → n1 tcp/80 (icc)', hook: 'forward', packet: fwd(br('n1'), br('n1'), '172.18.0.2', '172.18.0.3', 80) },
  { name: 'noicc → noicc tcp/80 (enable_icc=false)', hook: 'forward', packet: fwd(br('noicc'), br('noicc'), '10.50.0.2', '10.50.0.3', 80) },
  { name: 'noicc → eth1 tcp/443', hook: 'forward', packet: fwd(br('noicc'), 'eth1', '10.50.0.2', '203.0.113.10', 443) },
  { name: 'internal1 → eth1 tcp/443 (--internal)', hook: 'forward', packet: fwd(br('internal1'), 'eth1', '172.19.0.2', '203.0.113.10', 443) },
  { name: 'eth1 → internal1 tcp/80 (--internal)', hook: 'forward', packet: fwd('eth1', br('internal1'), '192.168.90.1', '172.19.0.2', 80) },
  { name: 'internal1 → internal1 tcp/80', hook: 'forward', packet: fwd(br('internal1'), br('internal1'), '172.19.0.2', '172.19.0.3', 80) },
  { name: 'internal2 → internal2 tcp/80 (--internal, enable_icc=false)', hook: 'forward', packet: fwd(br('internal2'), br('internal2'), '172.21.0.2', '172.21.0.3', 80) },
  { name: 'n1 → eth1 leaving (masquerade?)', hook: 'postrouting', packet: fwd(br('n1'), 'eth1', '172.18.0.2', '203.0.113.10', 443) },
  { name: 'vwbr0 (enable_ip_masquerade=false) → eth1 leaving (masquerade?)', hook: 'postrouting', packet: fwd('vwbr0', 'eth1', '172.20.0.2', '203.0.113.10', 443) },
  { name: 'web (172.30.0.0/24) → eth1 tcp/443', hook: 'forward', packet: fwd(br('web'), 'eth1', '172.30.0.2', '203.0.113.10', 443) },
  // published ports (scenario ports: c1 8080→172.17.0.2:80, c2 127.0.0.1:8081→172.17.0.3:81/udp, c3 9090→172.18.0.2:90 on web, c4 8443→10.60.0.10:443)
  { name: 'eth1 → host tcp/8080 arriving (published port of c1)', hook: 'prerouting', packet: toHost('eth1', '203.0.113.9', 8080) },
  { name: 'virbr3 → host tcp/8080 arriving (a guest to a published port)', hook: 'prerouting', packet: toHost('virbr3', '192.168.10.50', 8080) },
  { name: 'eth1 → host udp/8081 arriving (published on 127.0.0.1 only)', hook: 'prerouting', packet: toHost('eth1', '203.0.113.9', 8081, 'udp') },
  { name: 'eth1 → host tcp/9090 arriving (published port of c3 on web)', hook: 'prerouting', packet: toHost('eth1', '203.0.113.9', 9090) },
  { name: 'virbr3 → host tcp/8443 arriving (published port of c4, --ip)', hook: 'prerouting', packet: toHost('virbr3', '192.168.10.50', 8443) },
  { name: 'eth1 → docker0 tcp/80 DNAT\'d to c1', hook: 'forward', packet: { ...fwd('eth1', 'docker0', '203.0.113.9', '172.17.0.2', 80), ctStatus: ['DNAT'] } },
  { name: 'virbr3 → web tcp/90 DNAT\'d to c3', hook: 'forward', packet: { ...fwd('virbr3', br('web'), '192.168.10.50', '172.18.0.2', 90), ctStatus: ['DNAT'] } },
  { name: 'eth1 → web tcp/91 to c3 (not published)', hook: 'forward', packet: fwd('eth1', br('web'), '203.0.113.9', '172.18.0.2', 91) },
  { name: 'eth1 → fixed tcp/443 DNAT\'d to c4', hook: 'forward', packet: { ...fwd('eth1', br('fixed'), '203.0.113.9', '10.60.0.10', 443), ctStatus: ['DNAT'] } },
  { name: 'docker0 → docker0 tcp/80 c1 to itself via its published port (leaving: masquerade?)', hook: 'postrouting', packet: fwd('docker0', 'docker0', '172.17.0.2', '172.17.0.2', 80) },
];
