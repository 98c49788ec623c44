// "A verdict must be true": the verdicts a set of first packets gets from a real
// tool's dumps and from the model's state, with the product's evaluator
// (compileHost + evaluateHook) — for layers whose rule *layout* the model does
// not reproduce line by line, this is what is compared. A verdict that depends
// on a match the evaluator cannot decide reads "undecidable".

import { compileHost } from '../../../shared/netfilter/eval/compileHost.ts';
import { evaluateHook } from '../../../shared/netfilter/eval/evaluateHook.ts';
import { outcomeLeaves, type HookLeaf } from '../../../shared/netfilter/eval/hookResult.ts';
import type { Packet } from '../../../shared/netfilter/eval/packet.ts';
import { parseIptablesSave } from '../../../shared/netfilter/iptables/parseIptablesSave.ts';
import { parseNft } from '../../../shared/netfilter/nft/parseNft.ts';
import { emptyNetfilterState, type NetfilterState } from '../../../shared/netfilter/netfilterState.ts';

export interface Probe {
  name: string;
  hook: 'prerouting' | 'input' | 'forward' | 'postrouting';
  packet: Packet;
}

const INTERFACES = [
  { name: 'lo', addresses: ['127.0.0.1/8', '::1/128'], kind: 'loopback' as const },
  { name: 'eth1', addresses: ['192.168.90.10/24', 'fd00:90::10/64'] },
  { name: 'virbr3', addresses: ['192.168.10.1/24', 'fd00:10::1/64'], kind: 'bridge' as const },
];

/** The state a real tool left: native nft tables plus the iptables-nft tables iptables-save shows (not twice). */
export function realState(dumps: { nft: string; ipv4: string; ipv6: string }): NetfilterState {
  const state = emptyNetfilterState();
  const ipt = { ipv4: parseIptablesSave(dumps.ipv4, { family: 'ipv4', backend: 'nft' }).ruleset, ipv6: parseIptablesSave(dumps.ipv6, { family: 'ipv6', backend: 'nft' }).ruleset };
  state.iptables.nft = ipt;
  const iptTables = new Set([...ipt.ipv4.tables.map((t) => `ip ${t.name}`), ...ipt.ipv6.tables.map((t) => `ip6 ${t.name}`)]);
  state.nft = { kind: 'nft', tables: parseNft(dumps.nft).ruleset.tables.filter((t) => !t.managedBy && !iptTables.has(`${t.family} ${t.name}`)) };
  return state;
}

export function verdictOf(state: NetfilterState, probe: Probe): string {
  const host = compileHost(state, { context: { interfaces: INTERFACES, brNetfilter: false } });
  const result = evaluateHook(host, probe.hook, probe.packet);
  const leaves = outcomeLeaves(result.outcome);
  const finals = leaves.filter((l): l is HookLeaf => l.kind === 'final');
  if (finals.length !== leaves.length) return 'undecidable (evaluation capped)';
  // postrouting: the NAT decision is what matters (masquerade or not); prerouting: where a DNAT sends it.
  const dnat = (l: HookLeaf) => (l.nat ? { type: l.nat.type, to: l.nat.address ?? null, ports: l.nat.ports ?? null } : null);
  const verdicts = new Set(finals.map((l) => JSON.stringify(probe.hook === 'postrouting' ? { verdict: l.verdict, nat: l.nat?.type ?? null } : probe.hook === 'prerouting' ? { verdict: l.verdict, nat: dnat(l) } : l.verdict)));
  return verdicts.size === 1 ? [...verdicts][0] : `undecidable: ${[...verdicts].join(' | ')}`;
}

type L4 = Pick<Packet, 'proto' | 'sport' | 'dport' | 'icmpType' | 'icmpCode' | 'tcpFlags'>;
const tcp = (dport: number): L4 => ({ proto: 'tcp', sport: 40000, dport, tcpFlags: ['SYN'] });
const udp = (dport: number): L4 => ({ proto: 'udp', sport: 40000, dport });
const base = { ctState: 'NEW' as const, ctStatus: [], pktType: 'unicast' as const, length: 60 };
const v4in = (iif: string, src: string, l4: L4): Packet => ({ family: 'ipv4', iif, src, dst: iif === 'eth1' ? '192.168.90.10' : '192.168.10.1', ...base, ...l4 });
const v6in = (iif: string, src: string, l4: L4): Packet => ({ family: 'ipv6', iif, src, dst: iif === 'eth1' ? 'fd00:90::10' : 'fd00:10::1', ...base, ...l4 });

/** First packets arriving (reverse-path check), into the host, through it (both directions, both families) and leaving it (NAT). */
export const PROBES: Probe[] = [
  { name: 'eth1 → host v6 tcp/22 arriving (reverse-path check)', hook: 'prerouting', packet: v6in('eth1', 'fd00:90::1', tcp(22)) },
  { name: 'eth1 → host v6 router advertisement arriving', hook: 'prerouting', packet: { ...v6in('eth1', 'fe80::1', { proto: 'ipv6-icmp', icmpType: 134, icmpCode: 0 }), dst: 'ff02::1', pktType: 'multicast' } },
  { name: 'eth1 → host tcp/22 arriving', hook: 'prerouting', packet: v4in('eth1', '192.168.90.1', tcp(22)) },
  { name: 'eth1 → host tcp/22', hook: 'input', packet: v4in('eth1', '192.168.90.1', tcp(22)) },
  { name: 'eth1 → host tcp/8443', hook: 'input', packet: v4in('eth1', '192.168.90.1', tcp(8443)) },
  { name: 'eth1 → host tcp/80', hook: 'input', packet: v4in('eth1', '192.168.90.1', tcp(80)) },
  { name: 'eth1 → host udp/61000', hook: 'input', packet: v4in('eth1', '192.168.90.1', udp(61000)) },
  { name: 'eth1 → host ping', hook: 'input', packet: v4in('eth1', '192.168.90.1', { proto: 'icmp', icmpType: 8, icmpCode: 0 }) },
  // DNAT'd by another tool (docker's published port, an own nft/iptables DNAT): StrictForwardPorts decides.
  { name: 'eth1 → host tcp/8080 DNAT\'d to the host (published port)', hook: 'input', packet: { ...v4in('eth1', '192.168.90.1', tcp(8080)), ctStatus: ['DNAT'] } },
  { name: 'eth1 → virbr3 tcp/8080 DNAT\'d to a guest (published port)', hook: 'forward', packet: { family: 'ipv4', iif: 'eth1', oif: 'virbr3', src: '192.168.90.1', dst: '192.168.10.50', ...base, ...tcp(80), ctStatus: ['DNAT'] } },
  { name: 'eth1 → host established', hook: 'input', packet: { ...v4in('eth1', '192.168.90.1', tcp(80)), ctState: 'ESTABLISHED', tcpFlags: ['ACK'] } },
  { name: 'eth1 from 192.168.20.5 → host udp/53 (source binding)', hook: 'input', packet: v4in('eth1', '192.168.20.5', udp(53)) },
  { name: 'eth1 from 10.20.1.1 → host tcp/22 (source in a DROP zone)', hook: 'input', packet: v4in('eth1', '10.20.1.1', tcp(22)) },
  { name: 'eth1 from 192.168.90.66 → host tcp/22 (rich rule)', hook: 'input', packet: v4in('eth1', '192.168.90.66', tcp(22)) },
  { name: 'virbr3 → host udp/53', hook: 'input', packet: v4in('virbr3', '192.168.10.50', udp(53)) },
  { name: 'virbr3 → host udp/67', hook: 'input', packet: { ...v4in('virbr3', '0.0.0.0', { proto: 'udp', sport: 68, dport: 67 }), dst: '255.255.255.255', pktType: 'broadcast' } },
  { name: 'virbr3 → host tcp/22', hook: 'input', packet: v4in('virbr3', '192.168.10.50', tcp(22)) },
  { name: 'eth1 → host v6 tcp/22', hook: 'input', packet: v6in('eth1', 'fd00:90::1', tcp(22)) },
  { name: 'eth1 → host v6 udp/546 (dhcpv6-client)', hook: 'input', packet: { ...v6in('eth1', 'fe80::1', udp(546)), sport: 547, dst: 'fe80::10' } },
  { name: 'eth1 → host v6 tcp/80', hook: 'input', packet: v6in('eth1', 'fd00:90::1', tcp(80)) },
  { name: 'virbr3 → eth1 tcp/443 (guest out)', hook: 'forward', packet: { family: 'ipv4', iif: 'virbr3', oif: 'eth1', src: '192.168.10.50', dst: '203.0.113.10', ...base, ...tcp(443) } as Packet },
  { name: 'virbr3 → eth1 ping (guest out)', hook: 'forward', packet: { family: 'ipv4', iif: 'virbr3', oif: 'eth1', src: '192.168.10.50', dst: '192.168.90.1', ...base, proto: 'icmp', icmpType: 8, icmpCode: 0 } as Packet },
  { name: 'eth1 → virbr3 tcp/443 (into guests)', hook: 'forward', packet: { family: 'ipv4', iif: 'eth1', oif: 'virbr3', src: '192.168.90.1', dst: '192.168.10.50', ...base, ...tcp(443) } as Packet },
  { name: 'eth1 → virbr3 tcp/443 to another guest', hook: 'forward', packet: { family: 'ipv4', iif: 'eth1', oif: 'virbr3', src: '192.168.90.1', dst: '192.168.10.51', ...base, ...tcp(443) } },
  { name: 'eth1 from 10.20.1.1 → virbr3 tcp/443', hook: 'forward', packet: { family: 'ipv4', iif: 'eth1', oif: 'virbr3', src: '10.20.1.1', dst: '192.168.10.50', ...base, ...tcp(443) } },
  { name: 'eth1 → eth1 tcp/443 (hairpin)', hook: 'forward', packet: { family: 'ipv4', iif: 'eth1', oif: 'eth1', src: '192.168.90.1', dst: '192.168.90.2', ...base, ...tcp(443) } as Packet },
  { name: 'virbr3 → eth1 v6 tcp/443', hook: 'forward', packet: { family: 'ipv6', iif: 'virbr3', oif: 'eth1', src: 'fd00:10::50', dst: '2001:db8::10', ...base, ...tcp(443) } as Packet },
  { name: 'virbr3 → eth1 v6 tcp/443 to 6to4 of 192.168.1.1 (RFC3964_IPv4)', hook: 'forward', packet: { family: 'ipv6', iif: 'virbr3', oif: 'eth1', src: 'fd00:10::50', dst: '2002:c0a8:101::1', ...base, ...tcp(443) } },
  { name: 'virbr3 → eth1 v6 tcp/443 to 6to4 of 203.0.113.10', hook: 'forward', packet: { family: 'ipv6', iif: 'virbr3', oif: 'eth1', src: 'fd00:10::50', dst: '2002:cb00:710a::1', ...base, ...tcp(443) } },
  { name: 'virbr3 → eth1 tcp/443 leaving (masquerade?)', hook: 'postrouting', packet: { family: 'ipv4', iif: 'virbr3', oif: 'eth1', src: '192.168.10.50', dst: '203.0.113.10', ...base, ...tcp(443) } as Packet },
  { name: 'eth1 → virbr3 tcp/443 leaving (masquerade?)', hook: 'postrouting', packet: { family: 'ipv4', iif: 'eth1', oif: 'virbr3', src: '192.168.90.1', dst: '192.168.10.50', ...base, ...tcp(443) } as Packet },
  { name: 'eth1 → virbr3 established', hook: 'forward', packet: { family: 'ipv4', iif: 'eth1', oif: 'virbr3', src: '203.0.113.10', dst: '192.168.10.50', ...base, ...tcp(40000), sport: 443, ctState: 'ESTABLISHED', tcpFlags: ['ACK'] } as Packet },
  // forward-ports (scenario forward-ports*): where the DNAT sends the first packet, and whether the DNAT'd packet passes.
  { name: 'eth1 → host tcp/2222 arriving (forward-port to 192.168.10.50:22)', hook: 'prerouting', packet: v4in('eth1', '203.0.113.9', tcp(2222)) },
  { name: 'eth1 → host tcp/3389 arriving (forward-port, to-addr only)', hook: 'prerouting', packet: v4in('eth1', '203.0.113.9', tcp(3389)) },
  { name: 'eth1 → host tcp/8080 arriving (forward-port to the host\'s port 80)', hook: 'prerouting', packet: v4in('eth1', '203.0.113.9', tcp(8080)) },
  { name: 'eth1 → host v6 tcp/2223 arriving (forward-port to [fd00:10::50]:22)', hook: 'prerouting', packet: v6in('eth1', 'fd00:90::1', tcp(2223)) },
  { name: 'eth1 from 192.168.90.1 → host tcp/4443 arriving (rich rule forward-port)', hook: 'prerouting', packet: v4in('eth1', '192.168.90.1', tcp(4443)) },
  { name: 'eth1 from 203.0.113.9 → host tcp/4443 arriving (rich rule forward-port, other source)', hook: 'prerouting', packet: v4in('eth1', '203.0.113.9', tcp(4443)) },
  { name: 'eth1 → host tcp/5900 arriving (policy forward-port to 192.168.10.60)', hook: 'prerouting', packet: v4in('eth1', '203.0.113.9', tcp(5900)) },
  { name: 'eth1 → virbr3 tcp/22 DNAT\'d to 192.168.10.50 (forward-port)', hook: 'forward', packet: { family: 'ipv4', iif: 'eth1', oif: 'virbr3', src: '203.0.113.9', dst: '192.168.10.50', ...base, ...tcp(22), ctStatus: ['DNAT'] } },
  { name: 'eth1 → host tcp/80 redirected (forward-port)', hook: 'input', packet: { ...v4in('eth1', '203.0.113.9', tcp(80)), ctStatus: ['DNAT'] } },
  { name: 'eth1 → virbr3 tcp/22 to 192.168.10.50 not DNAT\'d', hook: 'forward', packet: { family: 'ipv4', iif: 'eth1', oif: 'virbr3', src: '203.0.113.9', dst: '192.168.10.50', ...base, ...tcp(22) } },
  // The same with the connection's tuples known (what StrictForwardPorts' `ct original proto-dst PORT accept` reads).
  { name: 'eth1 → virbr3 tcp/22 DNAT\'d from host tcp/2222 (forward-port; tuples known)', hook: 'forward', packet: forwardedTo22(2222) },
  { name: 'eth1 → virbr3 tcp/22 DNAT\'d from host tcp/2299 by another tool (tuples known)', hook: 'forward', packet: forwardedTo22(2299) },
  {
    name: 'eth1 → host tcp/80 redirected from tcp/8080 (forward-port; tuples known)', hook: 'input',
    packet: { ...v4in('eth1', '203.0.113.9', tcp(80)), ctStatus: ['DNAT'], ctOriginal: { src: '203.0.113.9', dst: '192.168.90.10', sport: 40000, dport: 8080 }, ctReply: { src: '192.168.90.10', dst: '203.0.113.9', sport: 80, dport: 40000 } },
  },
];

/** A connection to the host's `port` that a DNAT sent on to 192.168.10.50:22, with its conntrack tuples. */
function forwardedTo22(port: number): Packet {
  return {
    family: 'ipv4', iif: 'eth1', oif: 'virbr3', src: '203.0.113.9', dst: '192.168.10.50', ...base, ...tcp(22), ctStatus: ['DNAT'],
    ctOriginal: { src: '203.0.113.9', dst: '192.168.90.10', sport: 40000, dport: port },
    ctReply: { src: '192.168.10.50', dst: '203.0.113.9', sport: 22, dport: 40000 },
  };
}
