// The host's (or a router's) packet filter for the flow engine: the evaluator's
// compiled host (shared/netfilter/eval) behind the small NodeFilter interface.
//
// Conditional outcomes (a rule the packet alone cannot decide, e.g. `-m limit`,
// an ipset without known contents) are never hidden: the simulator follows one
// branch and states the condition. The branch taken: a rate limit matches (one
// probe is within any rate); any other unknown (sets, MACs, owners) is assumed
// not to match — and the condition names both outcomes.

import type { NetfilterState } from '../netfilter/netfilterState.ts';
import type { Ruleset } from '../netfilter/model.ts';
import { compileHost } from '../netfilter/eval/compileHost.ts';
import type { CompiledHost } from '../netfilter/eval/compiledForm.ts';
import { evaluateHook } from '../netfilter/eval/evaluateHook.ts';
import { describeOutcome } from '../netfilter/eval/describeOutcome.ts';
import type { HookLeaf, HookOutcome } from '../netfilter/eval/hookResult.ts';
import type { ConntrackTuple, HostInterface, Packet } from '../netfilter/eval/packet.ts';
import { formatIpv4, isIpv4, parseIpv4 } from './ipv4.ts';
import type { FilterHook, FilterOutcome, FilterPacket, FilterTuple, NatDecision, NodeFilter, NodeInterface } from './world.ts';

function takesMatchBranch(unknown: { match: string }[]): boolean {
  return unknown.length > 0 && unknown.every((u) => /\blimit\b/.test(u.match));
}

interface Picked {
  leaf: HookLeaf | null;
  conditions: string[];
}

function pick(o: HookOutcome, conditions: string[]): Picked {
  if (o.kind === 'final') return { leaf: o, conditions };
  if (o.kind === 'capped') return { leaf: null, conditions: [...conditions, `undetermined: ${o.reason}`] };
  const yes = takesMatchBranch(o.unknown);
  const text = `${describeOutcome(o)} — assumed: ${yes ? 'matches' : 'does not match'}`;
  return pick(yes ? o.ifMatches : o.ifNotMatches, [...conditions, text]);
}

function firstPort(ports: string | undefined): number | undefined {
  if (!ports) return undefined;
  const m = /^(\d+)(?:-(\d+))?$/.exec(ports);
  if (!m) return undefined;
  // A single port is where the connection goes; a range keeps the source port when it is inside (nf_nat_core).
  return m[2] === undefined ? Number(m[1]) : undefined;
}

function natOf(leaf: HookLeaf): NatDecision | undefined {
  const n = leaf.nat;
  if (!n) return undefined;
  const out: NatDecision = { kind: n.type, rule: n.decidedBy };
  if (n.address && isIpv4(n.address)) out.address = parseIpv4(n.address);
  const port = firstPort(n.ports);
  if (port !== undefined) out.port = port;
  return out;
}

function conntrackTuple(t: FilterTuple): ConntrackTuple {
  return { src: formatIpv4(t.src), dst: formatIpv4(t.dst), ...(t.sport !== undefined ? { sport: t.sport } : {}), ...(t.dport !== undefined ? { dport: t.dport } : {}) };
}

/** The evaluator's packet for a filter packet (also used by the app's traced step-through). */
export function toPacket(p: FilterPacket): Packet {
  const packet: Packet = { family: 'ipv4', src: formatIpv4(p.src), dst: formatIpv4(p.dst), proto: p.proto, ctState: p.ctState };
  if (p.iif) packet.iif = p.iif;
  if (p.oif) packet.oif = p.oif;
  if (p.physIn) packet.physIn = p.physIn;
  if (p.physOut) packet.physOut = p.physOut;
  if (p.bridged) packet.bridged = true;
  if (p.proto !== 'icmp') {
    packet.sport = p.sport;
    packet.dport = p.dport;
  } else {
    packet.icmpType = p.icmpType;
    packet.icmpCode = p.icmpCode;
  }
  if (p.tcpFlags) packet.tcpFlags = p.tcpFlags;
  if (p.ctStatus) packet.ctStatus = p.ctStatus;
  if (p.pktType) packet.pktType = p.pktType;
  if (p.mark) packet.mark = p.mark;
  if (p.connmark) packet.connmark = p.connmark;
  if (p.ctOriginal) packet.ctOriginal = conntrackTuple(p.ctOriginal);
  if (p.ctReply) packet.ctReply = conntrackTuple(p.ctReply);
  if (p.ctDirection) packet.ctDirection = p.ctDirection;
  return packet;
}

export class CompiledFilter implements NodeFilter {
  constructor(readonly compiled: CompiledHost) {}

  run(hook: FilterHook, p: FilterPacket): FilterOutcome {
    const res = evaluateHook(this.compiled, hook, toPacket(p));
    const { leaf, conditions } = pick(res.outcome, []);
    if (!leaf) return { verdict: 'accept', conditions };
    const v = leaf.verdict;
    // An accept names the last explicit accepting rule (acceptingRef.ts); every verdict names the
    // notrack that came before it (why a later --ctstate rule did not match).
    const named = { ...(leaf.untrackedBy ? { untrackedBy: leaf.untrackedBy } : {}), ...(leaf.decidedBy ? { decidedBy: leaf.decidedBy } : {}) };
    const marks = { mark: leaf.mark, connmark: leaf.connmark, ...(leaf.markChanges.length ? { markChanges: leaf.markChanges } : {}) };
    if (v.kind === 'accept') {
      const nat = natOf(leaf);
      return { verdict: 'accept', conditions, ...marks, ...named, ...(nat ? { nat } : {}) };
    }
    if (v.kind === 'drop') return { verdict: 'drop', conditions, ...named };
    if (v.kind === 'reject') {
      const reject = v.with.kind === 'tcp-reset' ? ({ kind: 'tcp-reset' } as const) : ({ kind: 'icmp', type: 3, code: v.with.code } as const);
      // nf_send_reset answers only TCP; for anything else the packet is just dropped.
      if (reject.kind === 'tcp-reset' && p.proto !== 'tcp') return { verdict: 'drop', conditions, ...named };
      return { verdict: 'reject', reject, conditions, ...named };
    }
    // NFQUEUE or an unmodelled target: userspace decides. Follow the packet and say so.
    return { verdict: 'accept', conditions: [...conditions, `undetermined at ${hook}: ${v.reason} — assumed accepted`], ...marks, ...named };
  }
}

/** Compiles a node's rulesets with its interfaces (MASQUERADE addresses, addrtype LOCAL) and br_netfilter setting. */
export function compileNodeFilter(input: NetfilterState | Ruleset[], interfaces: readonly NodeInterface[], brNetfilter: boolean): CompiledFilter {
  const hostInterfaces: HostInterface[] = interfaces.map((i) => ({ name: i.name, addresses: i.addresses.map((a) => a.text), kind: i.name === 'lo' ? 'loopback' : 'ether' }));
  return new CompiledFilter(compileHost(input, { context: { interfaces: hostInterfaces, brNetfilter } }));
}
