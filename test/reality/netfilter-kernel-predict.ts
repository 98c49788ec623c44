// What the engine predicts the client sees for one probe through the router of
// test/reality/netns/routerTopology.ts: the request through PREROUTING →
// FORWARD|INPUT (→ POSTROUTING), the answer (server's or the router's own, or
// the ICMP error / RST a REJECT generates — those leave through the router's
// OUTPUT and POSTROUTING as RELATED packets) back through the router's hooks,
// composed from evaluateHook and senderSymptom. MARK values carry from hook to
// hook; the connection mark to the answer; an untracked request makes the
// answer a new connection.

import type { Family } from '../../shared/netfilter/model.ts';
import type { CompiledHost } from '../../shared/netfilter/eval/compiledForm.ts';
import { evaluateHook } from '../../shared/netfilter/eval/evaluateHook.ts';
import type { HookLeaf, HookVerdict } from '../../shared/netfilter/eval/hookResult.ts';
import type { ConntrackState, Hook, Packet } from '../../shared/netfilter/eval/packet.ts';
import { formatOutcomeTraces } from '../../shared/netfilter/eval/formatTrace.ts';
import type { Observation, Probe } from './netns/probe.ts';
import { ROUTER_ADDRESSES as A } from './netns/routerTopology.ts';
import type { RouterNames } from './netfilter-kernel-generate.ts';

export interface Expected {
  kind: Observation['kind'];
  icmp?: { type: number; code: number; from: string };
  resetFrom?: string;
  /** Where it was decided, for mismatch reports. */
  why: string[];
  /** The error answers the handshake's ACK, not the SYN (the connection was established first). */
  ack?: boolean;
}

export interface Listening {
  server: { tcp: number[]; udp: number[] };
  router: { tcp: number[]; udp: number[] };
}

class Undecided extends Error {}

function fam(addr: string): Family {
  return addr.includes(':') ? 'ipv6' : 'ipv4';
}
const v = (f: Family): 'v4' | 'v6' => (f === 'ipv4' ? 'v4' : 'v6');

interface PathResult {
  leaf: HookLeaf;
  hook: Hook;
  mark: number;
  connmark: number;
  untracked: boolean;
}

/** Push a packet through hooks in order; stops at the first non-accept. */
function path(host: CompiledHost, hooks: Hook[], packet: Packet, why: string[]): PathResult {
  let p = packet;
  let last: PathResult | null = null;
  for (const hook of hooks) {
    const r = evaluateHook(host, hook, p, { trace: true });
    if (r.outcome.kind !== 'final') throw new Undecided(`${hook}: ${r.summary}\n${formatOutcomeTraces(r.outcome).join('\n')}`);
    const leaf = r.outcome;
    why.push(`${hook} ${p.src}→${p.dst} ${p.ctState}: ${r.summary}`);
    last = { leaf, hook, mark: leaf.mark, connmark: leaf.connmark, untracked: leaf.untracked || p.ctState === 'UNTRACKED' };
    if (leaf.verdict.kind !== 'accept') return last;
    p = { ...p, mark: leaf.mark, connmark: leaf.connmark, ...(leaf.untracked ? { ctState: 'UNTRACKED' as ConntrackState } : {}) };
  }
  return last!;
}

function protoOf(service: Probe['service'], f: Family): string {
  return service === 'icmp' ? (f === 'ipv4' ? 'icmp' : 'ipv6-icmp') : service;
}

export function predict(host: CompiledHost, names: RouterNames, listening: Listening, probe: Probe, sport: number | undefined): Expected {
  const why: string[] = [];
  try {
    return predictInner(host, names, listening, probe, sport, why);
  } catch (err) {
    if (err instanceof Undecided) return { kind: 'unclear', why: [...why, `engine gave a conditional outcome: ${err.message}`] };
    throw err;
  }
}

function predictInner(host: CompiledHost, names: RouterNames, listening: Listening, probe: Probe, sport: number | undefined, why: string[]): Expected {
  const f = fam(probe.dst);
  const client = A.client[v(f)];
  const routerNear = A.routerClientSide[v(f)];
  const local = probe.dst === routerNear || probe.dst === A.routerServerSide[v(f)];
  const isIcmp = probe.service === 'icmp';
  const proto = protoOf(probe.service, f);
  const req: Packet = {
    family: f, iif: names.rc, src: client, dst: probe.dst, proto, pktType: 'unicast', ctState: 'NEW',
    ...(isIcmp ? { icmpType: f === 'ipv4' ? 8 : 128, icmpCode: 0 } : { sport, dport: probe.port }),
  };
  const request = (state: ConntrackState): PathResult => path(host, local ? ['prerouting', 'input'] : ['prerouting', 'forward', 'postrouting'], local ? { ...req, ctState: state } : { ...req, ctState: state, oif: names.rs }, why);
  const reqPath = request('NEW');
  const v1 = reqPath.leaf.verdict;
  if (v1.kind === 'drop') return { kind: 'timeout', why };
  if (v1.kind === 'undetermined') return { kind: 'unclear', why };
  // The answer's conntrack state: an untracked request leaves no entry, so the answer starts a new one.
  const answerState = (related: boolean): ConntrackState => (reqPath.untracked ? (related ? 'INVALID' : 'NEW') : related ? 'RELATED' : 'ESTABLISHED');
  /** What the client sees when the router rejects one of its packets. */
  const rejected = (rp: PathResult): Expected => {
    const w = (rp.leaf.verdict as Extract<HookVerdict, { kind: 'reject' }>).with;
    if (rp.hook === 'postrouting') return { kind: 'unclear', why: [...why, 'REJECT in POSTROUTING is not generated'] };
    if (w.kind === 'tcp-reset' && probe.service !== 'tcp') return { kind: 'timeout', why: [...why, 'tcp reset cannot answer a non-TCP packet'] };
    // The error leaves towards the client: OUTPUT then POSTROUTING, as a packet RELATED to the connection.
    const from = w.kind === 'tcp-reset' ? probe.dst : local ? probe.dst : routerNear;
    const errPacket: Packet = w.kind === 'tcp-reset'
      ? { family: f, oif: names.rc, src: probe.dst, dst: client, proto: 'tcp', sport: probe.port, dport: sport, tcpFlags: ['RST', 'ACK'], ctState: answerState(true), connmark: rp.connmark, pktType: 'unicast' }
      : { family: f, oif: names.rc, src: from, dst: client, proto: f === 'ipv4' ? 'icmp' : 'ipv6-icmp', icmpType: f === 'ipv4' ? 3 : 1, icmpCode: w.code, ctState: answerState(true), connmark: rp.connmark, pktType: 'unicast' };
    const back = path(host, ['output', 'postrouting'], errPacket, why);
    if (back.leaf.verdict.kind !== 'accept') return { kind: 'timeout', why: [...why, 'the generated error is stopped on its way out'] };
    return w.kind === 'tcp-reset' ? { kind: 'tcp-reset', resetFrom: probe.dst, why } : { kind: 'icmp-error', icmp: { type: f === 'ipv4' ? 3 : 1, code: w.code, from }, why };
  };
  if (v1.kind === 'reject') return rejected(reqPath);
  // Accepted: who answers, and how.
  const services = local ? listening.router : listening.server;
  let answer: Packet;
  let result: Expected;
  const base = { family: f, src: probe.dst, dst: client, pktType: 'unicast' as const, connmark: reqPath.connmark };
  if (isIcmp) {
    answer = { ...base, proto, icmpType: f === 'ipv4' ? 0 : 129, icmpCode: 0, ctState: answerState(false) };
    result = { kind: 'reply', why };
  } else if (probe.service === 'tcp') {
    const open = services.tcp.includes(probe.port!);
    answer = { ...base, proto, sport: probe.port, dport: sport, tcpFlags: open ? ['SYN', 'ACK'] : ['RST', 'ACK'], ctState: answerState(false) };
    result = open ? { kind: 'reply', why } : { kind: 'tcp-reset', resetFrom: probe.dst, why };
  } else {
    const open = services.udp.includes(probe.port!);
    answer = open
      ? { ...base, proto, sport: probe.port, dport: sport, ctState: answerState(false) }
      : { ...base, proto: f === 'ipv4' ? 'icmp' : 'ipv6-icmp', icmpType: f === 'ipv4' ? 3 : 1, icmpCode: f === 'ipv4' ? 3 : 4, ctState: answerState(true) };
    result = open ? { kind: 'reply', why } : { kind: 'icmp-error', icmp: { type: f === 'ipv4' ? 3 : 1, code: f === 'ipv4' ? 3 : 4, from: probe.dst }, why };
  }
  const back = local
    ? path(host, ['output', 'postrouting'], { ...answer, oif: names.rc }, why)
    : path(host, ['prerouting', 'forward', 'postrouting'], { ...answer, iif: names.rs, oif: names.rc }, why);
  if (back.leaf.verdict.kind === 'accept') {
    if (result.kind === 'reply' && probe.service === 'tcp') {
      // The handshake's last ACK (ESTABLISHED). If the router rejects it, the error reaches the client
      // before nc asks SO_ERROR on this zero-latency lab, and SO_ERROR returns that soft error
      // (sock_getsockopt falls back to sk_err_soft): nc reports the failure.
      const ack = path(host, local ? ['prerouting', 'input'] : ['prerouting', 'forward', 'postrouting'], { ...req, ctState: 'ESTABLISHED', tcpFlags: ['ACK'], ...(local ? {} : { oif: names.rs }) }, why);
      if (ack.leaf.verdict.kind === 'reject') {
        why.push("the handshake's ACK is rejected");
        return { ...rejected(ack), ack: true };
      }
    }
    return result;
  }
  why.push('the answer does not come back');
  // A stopped SYN-ACK that conntrack already saw (it runs at priority -200, before every chain but raw)
  // marks the connection as replied: the SYN nc retransmits after 1 s is ESTABLISHED now, and rules for
  // ESTABLISHED packets decide it (nf_conntrack_proto_tcp.c: a SYN in SYN_RECV is ignored, not reset).
  const synAck = probe.service === 'tcp' && answer.tcpFlags?.includes('SYN') === true;
  if (synAck && !reqPath.untracked && (back.hook !== 'prerouting' && back.hook !== 'output' || decidingPriority(back.leaf) >= -200)) {
    why.push('the client retransmits its SYN after 1 s, now in state ESTABLISHED');
    const again = request('ESTABLISHED');
    if (again.leaf.verdict.kind === 'reject') return rejected(again);
  }
  return { kind: 'timeout', why };
}

/** Priority of the base chain that decided (from the trace). */
function decidingPriority(leaf: HookLeaf): number {
  let priority = 0;
  for (const e of leaf.trace ?? []) if (e.kind === 'chain' && e.via === 'hook') priority = e.priority;
  return priority;
}
