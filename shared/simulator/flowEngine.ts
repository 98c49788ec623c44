// One flow through the world, hop by hop, both ways: the guest's packet leaves
// its stack, crosses bridges and wires, passes each node's netfilter hooks and
// routing decision, reaches the destination (which answers, refuses or stays
// silent), and the answer — or an ICMP error / RST generated on the way —
// travels back with conntrack state and NAT reversal. Pure and deterministic.
//
// Per node (Linux, net/ipv4/ip_input.c, route.c, ip_forward.c, ip_output.c):
//   arrival: PREROUTING (conntrack, DNAT) → reply de-SNAT → routing decision
//     local: source validation → INPUT → local stack
//     remote: forwarding flag of the ingress interface (off: silent drop in
//       ip_error) → no route: ICMP net unreachable → source validation
//       (rp_filter, silent) → FORWARD → POSTROUTING (SNAT) → reply de-DNAT → out
//   locally generated (answers, errors): OUTPUT → routing → POSTROUTING → out
// The packet mark set at one hook is seen by the later hooks of the same node
// (skbState.ts); the connection mark lives in the node's conntrack entry.
// A packet a notrack rule untracked stays untracked in the later hooks of the
// node and is never translated: no SNAT/DNAT, no reversal of an earlier one.
// The engine records the first thing that went wrong; the verdict module turns
// the result into words.

import type { RuleRef } from '../netfilter/model.ts';
import { FlowConntrack, undoDnat, undoSnat, type CtLookup } from './conntrack.ts';
import { decidedByKernel } from './decidedBy.ts';
import { answerAt } from './destinationAnswer.ts';
import type { Cause, DecidedBy, PathDirection, PathStep } from './flowTypes.ts';
import { formatIpv4, isNonRoutedOnInternet } from './ipv4.ts';
import { interfaceByName, lookupRoute, selectSource, validateSource } from './routeLookup.ts';
import { describePacket, tupleOf, type SimPacket } from './simPacket.ts';
import type { FilterHook, FilterOutcome, FilterPacket, NodeInterface, SimNode, World } from './world.ts';
import { sendOnSegment } from './segmentTransfer.ts';
import { runFilterHook } from './filterStep.ts';
import { freshSkb, type SkbState } from './skbState.ts';

export interface Failure {
  cause: Cause;
  decidedBy: DecidedBy | null;
  node: string;
  stage: string;
  direction: PathDirection;
  detail: string;
}

export interface EngineResult {
  /** What came back to the guest's stack (answer, RST or ICMP error); null: nothing (timeout). */
  arrived: SimPacket | null;
  /** An error the guest's own stack reports (ARP failure, no route), with the guest's address. */
  localError: { text: 'Destination Host Unreachable' | 'Network is unreachable'; from: number } | null;
  failure: Failure | null;
  path: PathStep[];
  conditions: string[];
  /** The host rule that accepted the request at its deciding hook (FORWARD or INPUT), for explanations. */
  acceptedBy: RuleRef | null;
}

const MAX_HOPS = 48;

export class FlowRun {
  readonly path: PathStep[] = [];
  readonly conditions: string[] = [];
  readonly ct = new FlowConntrack();
  failure: Failure | null = null;
  arrived: SimPacket | null = null;
  localError: EngineResult['localError'] = null;
  acceptedBy: RuleRef | null = null;
  private hops = 0;

  constructor(
    readonly world: World,
    readonly guest: SimNode,
  ) {}

  result(): EngineResult {
    return { arrived: this.arrived, localError: this.localError, failure: this.failure, path: this.path, conditions: this.conditions, acceptedBy: this.acceptedBy };
  }

  step(node: SimNode, direction: PathDirection, stage: string, outcome: PathStep['outcome'], detail: string, p: SimPacket, rule?: RuleRef): void {
    const s: PathStep = { direction, node: node.label, stage, detail, outcome, packet: describePacket(p) };
    if (rule) s.rule = rule;
    this.path.push(s);
  }

  fail(cause: Cause, decidedBy: DecidedBy | null, node: SimNode, stage: string, p: SimPacket, detail: string): void {
    this.step(node, p.direction, stage, cause === 'rule-reject' ? 'reject' : 'drop', detail, p, undefined);
    if (!this.failure) this.failure = { cause, decidedBy, node: node.label, stage, direction: p.direction, detail };
  }

  private tracks(node: SimNode): boolean {
    return node.filter !== undefined || node.masquerade !== undefined;
  }

  /** Runs one hook of the node's filter (filterStep.ts); null when the packet is gone. */
  private hook(node: SimNode, hook: FilterHook, p: SimPacket, ct: CtLookup | null, skb: SkbState, fields: Partial<FilterPacket>): FilterOutcome | null {
    return runFilterHook(this, node, hook, p, ct, skb, fields);
  }

  /** icmp_send: error about `about` to its source; `src` null = chosen by the route back (primary address towards the sender). */
  sendIcmpError(node: SimNode, about: SimPacket, type: number, code: number, src: number | null): void {
    if (about.kind === 'icmp-error' || about.direction !== 'request') return; // never an error about an error; errors about replies go away from the guest
    let from = src;
    if (from === null) {
      const back = lookupRoute(node, about.src);
      if (back.kind === 'route') from = selectSource(node, back.iface, back.route, back.nextHop);
      else if (back.kind === 'local') from = about.src;
    }
    if (from === null) return;
    const err: SimPacket = { kind: 'icmp-error', src: from, dst: about.src, proto: 'icmp', sport: 0, dport: 0, icmpType: type, icmpCode: code, inner: tupleOf(about), direction: 'reply' };
    this.step(node, 'reply', 'error', 'pass', `sends ICMP type ${type} code ${code} from ${formatIpv4(from)}`, err);
    this.sendLocal(node, err, true);
  }

  /** A locally generated packet: OUTPUT → routing → POSTROUTING → out. */
  sendLocal(node: SimNode, p: SimPacket, locallyRelated: boolean): void {
    if (++this.hops > MAX_HOPS) return this.fail('no-route', null, node, 'routing', p, 'routing loop (hop limit reached)');
    const isGuestOrigin = node === this.guest && p.direction === 'request';
    const ct = this.tracks(node) ? this.ct.classify(node.id, p, locallyRelated) : null;
    const skb = freshSkb();
    const route = lookupRoute(node, p.dst);
    if (route.kind === 'local' || route.kind === 'broadcast') {
      this.step(node, p.direction, 'routing', 'deliver', `${formatIpv4(p.dst)} is local`, p);
      return this.deliverLocal(node, route.iface, p);
    }
    if (route.kind !== 'route') {
      if (isGuestOrigin) {
        this.localError = { text: 'Network is unreachable', from: p.src };
        return this.fail('no-route', decidedByKernel(`no route to ${formatIpv4(p.dst)}`, `${node.label} has no route`), node, 'routing', p, `no route to ${formatIpv4(p.dst)}`);
      }
      return this.lostOnReturn(node, p, route.kind === 'none' ? `no route to ${formatIpv4(p.dst)}` : `route ${route.route.text}`);
    }
    const oif = route.iface;
    if (!this.hook(node, 'output', p, ct, skb, { oif: oif.name })) return;
    this.step(node, p.direction, 'routing', 'pass', `out ${oif.name} via ${route.route.text}`, p);
    const q = this.postrouting(node, oif, route.nextHop, p, ct, skb);
    if (!q) return;
    this.transmit(node, oif, route.nextHop, q);
  }

  /** POSTROUTING: the filter's SNAT/MASQUERADE on a connection's first packet, a router's masquerade, reply de-DNAT. */
  private postrouting(node: SimNode, oif: NodeInterface, nextHop: number, p: SimPacket, ct: CtLookup | null, skb: SkbState): SimPacket | null {
    const out = this.hook(node, 'postrouting', p, ct, skb, { oif: oif.name });
    if (!out) return null;
    let q = p;
    const entry = ct?.entry ?? null;
    if (ct?.state === 'NEW' && entry && !ct.isReply && !skb.untracked) {
      let address: number | undefined;
      let port: number | undefined;
      let how = '';
      if (out.nat && (out.nat.kind === 'snat' || out.nat.kind === 'masquerade')) {
        address = out.nat.address ?? selectSource(node, oif, null, nextHop) ?? undefined;
        port = out.nat.port;
        how = `${out.nat.kind} by ${out.nat.rule?.text ?? 'the nat table'}`;
      } else if (node.masquerade && node.masquerade.dev === oif.name && node.masquerade.sources.some((s) => ((p.src & (s.prefix === 0 ? 0 : (0xffffffff << (32 - s.prefix)) >>> 0)) >>> 0) === s.network)) {
        address = selectSource(node, oif, null, nextHop) ?? undefined;
        how = `masquerades ${formatIpv4(p.src)} (its masquerade list)`;
      }
      if (address !== undefined && address !== p.src) {
        this.ct.recordSnat(entry, address, port);
        q = { ...p, src: address, sport: port ?? p.sport };
        this.step(node, p.direction, 'nat', 'nat', `${how}: source becomes ${formatIpv4(address)}`, q);
      }
    }
    if (ct?.isReply && entry && !skb.untracked) q = undoDnat(entry, q);
    return q;
  }

  /** Puts the packet on the wire/bridge towards `nextHop` (ARP, bridging, br_netfilter). */
  private transmit(node: SimNode, oif: NodeInterface, nextHop: number, p: SimPacket): void {
    const sent = sendOnSegment(this, node, oif, nextHop, p);
    if (sent.kind === 'no-neighbour') {
      const what = `nobody answers ARP for ${formatIpv4(nextHop)} on ${oif.name}`;
      if (node === this.guest && p.direction === 'request') {
        this.localError = { text: 'Destination Host Unreachable', from: p.src };
        return this.fail('no-neighbour', decidedByKernel(what, 'the destination does not exist on this network'), node, 'arp', p, what);
      }
      this.fail(p.direction === 'reply' ? 'no-return-route' : 'no-neighbour', decidedByKernel(what, 'no such host'), node, 'arp', p, what);
      // The router gives up after its ARP retries and sends host unreachable (ipv4_link_failure).
      this.sendIcmpError(node, p, 3, 1, null);
      return;
    }
    if (sent.kind === 'gone') return;
    this.receive(sent.node, sent.iface, sent.physIn, p);
  }

  /** A packet arriving at a node's L3 interface. */
  receive(node: SimNode, iface: NodeInterface, physIn: string | undefined, p: SimPacket): void {
    if (++this.hops > MAX_HOPS) return this.fail('no-route', null, node, 'routing', p, 'routing loop (hop limit reached)');
    if (node.dropsNonRoutedSources && isNonRoutedOnInternet(p.src)) {
      return this.fail(
        'no-return-route',
        decidedByKernel(`source ${formatIpv4(p.src)} is not masqueraded`, 'private addresses are not routed on the internet: the reply could never come back'),
        node,
        'internet',
        p,
        `${formatIpv4(p.src)} is a private address nobody routes back to`,
      );
    }
    const ct = this.tracks(node) ? this.ct.classify(node.id, p) : null;
    const skb = freshSkb();
    const fields: Partial<FilterPacket> = { iif: iface.name, ...(physIn ? { physIn } : {}) };
    const pre = this.hook(node, 'prerouting', p, ct, skb, fields);
    if (!pre) return;
    let q = p;
    if (pre.nat && (pre.nat.kind === 'dnat' || pre.nat.kind === 'redirect') && ct?.state === 'NEW' && ct.entry && !skb.untracked) {
      const address = pre.nat.address ?? iface.addresses[0]?.address;
      if (address !== undefined) {
        this.ct.recordDnat(ct.entry, address, pre.nat.port);
        q = { ...q, dst: address, dport: pre.nat.port ?? q.dport };
        this.step(node, q.direction, 'nat', 'nat', `${pre.nat.kind}: destination becomes ${formatIpv4(address)}`, q);
      }
    }
    if (ct?.isReply && ct.entry && !skb.untracked) q = undoSnat(ct.entry, q);
    this.route(node, iface, physIn, q, ct, skb);
  }

  private route(node: SimNode, iface: NodeInterface, physIn: string | undefined, p: SimPacket, ct: CtLookup | null, skb: SkbState): void {
    const r = lookupRoute(node, p.dst);
    const fields: Partial<FilterPacket> = { iif: iface.name, ...(physIn ? { physIn } : {}) };
    if (r.kind === 'local' || r.kind === 'broadcast') {
      if (!(r.kind === 'broadcast' && p.src === 0)) {
        const v = validateSource(node, iface, p.src);
        if (!v.ok) return this.fail('rp-filter', decidedByKernel(`net.ipv4.conf.${iface.name}.rp_filter = ${iface.rpFilter}`, iface.note ? `${v.reason} (set by: ${iface.note})` : v.reason), node, 'routing', p, v.reason);
      }
      this.step(node, p.direction, 'routing', 'pass', `${formatIpv4(p.dst)} is ${r.kind === 'local' ? 'local' : 'a broadcast'} → INPUT`, p);
      if (!this.hook(node, 'input', p, ct, skb, fields)) return;
      return this.deliverLocal(node, iface, p);
    }
    if (!iface.forwarding) {
      const rule = `net.ipv4.conf.${iface.name}.forwarding = 0`;
      return this.fail(
        p.direction === 'reply' && node.role !== 'host' ? 'no-return-route' : 'forwarding-off',
        decidedByKernel(rule, `${node.label} does not forward packets received on ${iface.name}; dropped without an ICMP error${iface.note ? ` (set by: ${iface.note})` : ''}`),
        node,
        'routing',
        p,
        `${rule}: not forwarded, dropped silently`,
      );
    }
    if (r.kind === 'none' || r.kind === 'reject-route') {
      const what = r.kind === 'none' ? `no route to ${formatIpv4(p.dst)}` : `route ${r.route.text}`;
      const cause: Cause = p.direction === 'reply' ? 'no-return-route' : 'no-route';
      this.fail(cause, decidedByKernel(what, `${node.label} cannot route ${formatIpv4(p.dst)}`), node, 'routing', p, what);
      if (r.kind === 'none') this.sendIcmpError(node, p, 3, 0, null);
      else if (r.route.type === 'unreachable') this.sendIcmpError(node, p, 3, 1, null);
      else if (r.route.type === 'prohibit') this.sendIcmpError(node, p, 3, 13, null);
      return;
    }
    const v = validateSource(node, iface, p.src);
    if (!v.ok) return this.fail('rp-filter', decidedByKernel(`net.ipv4.conf.${iface.name}.rp_filter = ${iface.rpFilter}`, iface.note ? `${v.reason} (set by: ${iface.note})` : v.reason), node, 'routing', p, v.reason);
    this.step(node, p.direction, 'routing', 'pass', `forward out ${r.iface.name} via ${r.route.text}`, p);
    const fwd = this.hook(node, 'forward', p, ct, skb, { ...fields, oif: r.iface.name });
    if (!fwd) return;
    if (node.role === 'host' && p.kind === 'request' && fwd.decidedBy) this.acceptedBy = fwd.decidedBy;
    const q = this.postrouting(node, r.iface, r.nextHop, p, ct, skb);
    if (!q) return;
    this.transmit(node, r.iface, r.nextHop, q);
  }

  private deliverLocal(node: SimNode, iface: NodeInterface | null, p: SimPacket): void {
    if (node === this.guest && p.direction === 'reply') {
      this.arrived = p;
      this.step(node, 'reply', 'deliver', 'deliver', 'arrives at the guest', p);
      return;
    }
    if (p.direction !== 'request' || p.kind !== 'request') {
      return this.fail('no-return-route', null, node, 'deliver', p, `${describePacket(p)} ends at ${node.label}, not at the guest`);
    }
    answerAt(this, node, iface, p);
  }

  /** A reply-direction packet (answer, error) that cannot be routed further. */
  lostOnReturn(node: SimNode, p: SimPacket, what: string): void {
    this.fail(
      node.role === 'host' ? 'no-route' : 'no-return-route',
      decidedByKernel(what, `${node.label} has no route back to ${formatIpv4(p.dst)}`),
      node,
      'routing',
      p,
      what,
    );
  }

  interfaceOf(node: SimNode, name: string): NodeInterface | undefined {
    return interfaceByName(node, name);
  }

  /** Runs the bridged path through the host's hooks (br_netfilter); false when the frame was dropped. */
  bridgedHooks(host: SimNode, bridge: string, physIn: string, physOut: string, p: SimPacket): boolean {
    const ct = this.tracks(host) ? this.ct.classify(host.id, p) : null;
    const skb = freshSkb();
    const base: Partial<FilterPacket> = { iif: bridge, physIn, bridged: true };
    if (!this.hook(host, 'prerouting', p, ct, skb, base)) return false;
    if (!this.hook(host, 'forward', p, ct, skb, { ...base, oif: bridge, physOut })) return false;
    const post = this.hook(host, 'postrouting', p, ct, skb, { oif: bridge, physOut, bridged: true });
    return post !== null;
  }
}

export function runFlow(world: World, guest: SimNode, request: SimPacket): EngineResult {
  const run = new FlowRun(world, guest);
  run.step(guest, 'request', 'send', 'pass', `${guest.label} sends`, request);
  run.sendLocal(guest, request, false);
  return run.result();
}
