// One flow in an already built world: guest checks (attached? an address? a
// DHCP lease the host's firewall lets through?), the request packet, the engine
// run, the verdict. simulateFlow (labs) and `virtwall check` (snapshots) both
// end here.

import { decidedByKernel } from './decidedBy.ts';
import { FlowRun, runFlow, type EngineResult } from './flowEngine.ts';
import { FlowRequestError, parseService, type FlowRequest, type FlowVerdict } from './flowTypes.ts';
import { formatIpv4, isIpv4, parseIpv4 } from './ipv4.ts';
import { ECHO_ID, GUEST_EPHEMERAL_PORT, type SimPacket } from './simPacket.ts';
import { buildVerdict } from './verdict.ts';
import type { Service, SimNode, World } from './world.ts';

const dhcpCache = new WeakMap<World, Map<string, EngineResult>>();

/** DHCPDISCOVER from the guest to the bridge (0.0.0.0:68 → 255.255.255.255:67) and dnsmasq's offer back. */
export function dhcpCheck(world: World, guest: SimNode): EngineResult | null {
  let perWorld = dhcpCache.get(world);
  if (!perWorld) dhcpCache.set(world, (perWorld = new Map()));
  const cached = perWorld.get(guest.id);
  if (cached) return cached;
  const eth0 = guest.interfaces[0];
  const seg = eth0?.segment ? world.segments.get(eth0.segment) : undefined;
  const me = seg?.members.find((m) => m.node === guest.id);
  const hostMember = seg?.members.find((m) => m.node === world.hostId && m.port === undefined);
  const host = world.nodes.get(world.hostId);
  if (!seg || !me || !hostMember || !host) return null;
  const hostIface = host.interfaces.find((i) => i.name === hostMember.iface)!;
  const run = new FlowRun(world, guest);
  const discover: SimPacket = { kind: 'request', src: 0, dst: 0xffffffff, proto: 'udp', sport: 68, dport: 67, direction: 'request', broadcast: true };
  run.step(guest, 'request', 'send', 'pass', `${guest.label.split(' ')[0]} asks for a lease (DHCPDISCOVER)`, discover);
  run.receive(host, hostIface, world.brNetfilter ? me.port : undefined, discover);
  const result = run.result();
  perWorld.set(guest.id, result);
  return result;
}

function earlyVerdict(world: World, request: FlowRequest, guest: SimNode, dst: number, service: Service, cause: 'network-inactive' | 'no-dhcp-lease', rule: string, reason: string, base?: EngineResult): FlowVerdict {
  const result: EngineResult = base
    ? { ...base, arrived: null, localError: null, failure: base.failure ?? { cause, decidedBy: decidedByKernel(rule, reason), node: guest.label, stage: 'dhcp', direction: 'request', detail: reason } }
    : { arrived: null, localError: null, failure: { cause, decidedBy: decidedByKernel(rule, reason), node: guest.label, stage: cause === 'no-dhcp-lease' ? 'dhcp' : 'attach', direction: 'request', detail: reason }, path: [], conditions: [], acceptedBy: null };
  if (result.failure && result.failure.cause !== cause) result.failure = { ...result.failure, cause };
  const v = buildVerdict(world, request, guest.interfaces[0]?.addresses[0]?.address ?? 0, dst, service, result);
  v.guestSees = cause === 'no-dhcp-lease' ? 'error:Network is unreachable (no DHCP lease: the guest has no address)' : 'error:the guest cannot start (its network is not running)';
  v.symptom = { kind: 'local-error', clientText: 'Network is unreachable' };
  v.headline = `${guest.label}: ${cause === 'no-dhcp-lease' ? 'no DHCP lease' : 'not attached'} — ${result.failure?.decidedBy?.table ? `${result.failure.detail} (${result.failure.node}, ${result.failure.stage})` : reason}`;
  return v;
}

/**
 * A guest with only IPv6 has no IPv4 answer to give: not "no DHCP lease" (red) but no verdict at all —
 * the cause says IPv6 is not simulated, so no screen shows an IPv4 result for an IPv6 question.
 */
function ipv6OnlyVerdict(world: World, request: FlowRequest, guest: SimNode, dst: number, service: Service, why: string): FlowVerdict {
  const detail = `${why}: IPv6 is not simulated`;
  const result: EngineResult = { arrived: null, localError: null, failure: { cause: 'ipv6-not-simulated', decidedBy: null, node: guest.label, stage: 'attach', direction: 'request', detail }, path: [], conditions: [], acceptedBy: null };
  const v = buildVerdict(world, request, 0, dst, service, result);
  v.cause = 'ipv6-not-simulated';
  v.decidedBy = null;
  v.hop = null;
  v.guestSees = 'not simulated (IPv6)';
  v.symptom = { kind: 'local-error', clientText: 'not simulated (IPv6)' };
  v.headline = `${guest.label}: no verdict — ${detail}`;
  return v;
}

export function simulateInWorld(world: World, guestId: string, request: FlowRequest): FlowVerdict {
  const guest = world.nodes.get(guestId);
  if (!guest || guest.role !== 'guest') throw new FlowRequestError(`no guest ${guestId}`);
  const service = parseService(request.service);
  if (!isIpv4(request.to)) {
    const v6 = request.to.includes(':') ? ': it is IPv6, and IPv6 is not simulated (only IPv4 flows have a verdict)' : '';
    throw new FlowRequestError(`destination ${JSON.stringify(request.to)} is not an IPv4 address${v6}`);
  }
  const dst = parseIpv4(request.to);
  if (guest.guest?.ipv6Only) return ipv6OnlyVerdict(world, request, guest, dst, service, guest.guest.ipv6Only);
  const eth0 = guest.interfaces[0];
  if (!eth0?.segment) return earlyVerdict(world, request, guest, dst, service, 'network-inactive', 'network not running', `${guest.label}'s network is not running`);
  const src = eth0.addresses[0]?.address;
  if (src === undefined) return earlyVerdict(world, request, guest, dst, service, 'no-dhcp-lease', 'no address', guest.guest?.noLease ?? `${guest.label} has no address`);
  if (guest.guest?.addressSource === 'dhcp') {
    const dhcp = dhcpCheck(world, guest);
    if (dhcp && !dhcp.arrived) {
      const why = dhcp.failure ? `DHCP ${dhcp.failure.direction === 'request' ? 'request' : 'offer'} ${dhcp.failure.detail}` : 'no DHCP offer arrives';
      return earlyVerdict(world, request, guest, dst, service, 'no-dhcp-lease', 'DHCP blocked', why, dhcp);
    }
  }
  const packet: SimPacket =
    service.proto === 'icmp'
      ? { kind: 'request', src, dst, proto: 'icmp', sport: ECHO_ID, dport: ECHO_ID, icmpType: 8, icmpCode: 0, direction: 'request' }
      : { kind: 'request', src, dst, proto: service.proto, sport: GUEST_EPHEMERAL_PORT, dport: service.port as number, direction: 'request' };
  if (dst === src) throw new FlowRequestError(`${formatIpv4(dst)} is the guest itself`);
  return buildVerdict(world, request, src, dst, service, runFlow(world, guest, packet));
}

/** Finds a guest node by address, guest id or name. */
export function findGuestNode(world: World, from: string): SimNode | undefined {
  if (from.includes(':')) throw new FlowRequestError(`--from ${JSON.stringify(from)} is an IPv6 address: IPv6 is not simulated (give the guest's IPv4 address or its name)`);
  const byAddr = isIpv4(from) ? parseIpv4(from) : null;
  for (const n of world.nodes.values()) {
    if (n.role !== 'guest') continue;
    if (byAddr !== null && n.interfaces.some((i) => i.addresses.some((a) => a.address === byAddr))) return n;
    if (n.guest?.guestId === from || n.label.split(' ')[0] === from) return n;
  }
  return undefined;
}
