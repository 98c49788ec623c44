// Layer 2: who receives a packet sent out of an interface towards a next hop.
// The next hop must answer ARP on the same segment (Linux answers for any of
// its addresses, arp_ignore=0); between two ports of a host bridge the frame is
// bridged, and only with br_netfilter (net.bridge.bridge-nf-call-iptables=1)
// does it pass the host's IP hooks (firewall-layers.md §5 fact 14): PREROUTING,
// FORWARD with `-i br -o br` and `--physdev-is-bridged`, POSTROUTING.
// A frame from a bridge port to the bridge's own interface reaches the host
// with the port as `--physdev-in` (again only with br_netfilter).

import { formatIpv4 } from './ipv4.ts';
import type { FlowRun } from './flowEngine.ts';
import type { SimPacket } from './simPacket.ts';
import type { NodeInterface, SegmentMember, SimNode } from './world.ts';

export type SegmentResult =
  | { kind: 'arrive'; node: SimNode; iface: NodeInterface; physIn?: string }
  | { kind: 'no-neighbour' }
  /** Dropped while bridged (the run recorded why). */
  | { kind: 'gone' };

function owns(node: SimNode, address: number): boolean {
  return node.interfaces.some((i) => i.up && i.addresses.some((a) => a.address === address));
}

export function sendOnSegment(run: FlowRun, node: SimNode, oif: NodeInterface, nextHop: number, p: SimPacket): SegmentResult {
  const world = run.world;
  const seg = oif.segment ? world.segments.get(oif.segment) : undefined;
  if (!seg) return { kind: 'no-neighbour' };
  const from = seg.members.find((m) => m.node === node.id && m.iface === oif.name);
  let to: SegmentMember | undefined;
  let toNode: SimNode | undefined;
  for (const m of seg.members) {
    if (m === from) continue;
    const n = world.nodes.get(m.node);
    if (!n) continue;
    const iface = n.interfaces.find((i) => i.name === m.iface);
    if (!iface || !iface.up) continue;
    if (owns(n, nextHop)) {
      to = m;
      toNode = n;
      break;
    }
  }
  if (!to || !toNode) return { kind: 'no-neighbour' };
  const toIface = toNode.interfaces.find((i) => i.name === to.iface) as NodeInterface;
  const via = seg.kind === 'bridge' ? `bridge ${seg.bridge}` : `link ${seg.id}`;
  if (seg.kind === 'bridge' && from?.port && to.port) {
    // Bridged between two ports: no routing on the host.
    const host = world.nodes.get(world.hostId) as SimNode;
    if (world.brNetfilter) {
      run.step(host, p.direction, 'bridge', 'pass', `bridged ${from.port} → ${to.port} on ${seg.bridge}; br_netfilter passes it to the host's iptables/nft hooks`, p);
      if (!run.bridgedHooks(host, seg.bridge as string, from.port, to.port, p)) return { kind: 'gone' };
    } else {
      run.step(host, p.direction, 'bridge', 'pass', `bridged ${from.port} → ${to.port} on ${seg.bridge} (bridge-nf-call-iptables=0: the host's firewall does not see it)`, p);
    }
    return { kind: 'arrive', node: toNode, iface: toIface };
  }
  run.step(node, p.direction, 'wire', 'pass', `to ${toNode.label} (${formatIpv4(nextHop)}) over ${via}`, p);
  const physIn = seg.kind === 'bridge' && from?.port && !to.port && world.brNetfilter ? from.port : undefined;
  return physIn ? { kind: 'arrive', node: toNode, iface: toIface, physIn } : { kind: 'arrive', node: toNode, iface: toIface };
}
