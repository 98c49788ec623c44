// One netfilter hook of a node inside a flow: the filter's verdict recorded in
// the path; a drop or reject recorded as the flow's failure (cause rule-drop,
// chain-policy or rule-reject with the deciding rule); a REJECT's answer sent
// back — an ICMP error from the address icmp_send picks, or a RST carrying the
// rejected packet's addresses swapped (nf_send_reset). Marks: the hook sees
// the packet mark earlier hooks of this node set (skbState.ts) and the
// connection's ct mark; what the hook sets is kept for the later hooks and the
// connection, and each change is a path step naming the rule that made it.
// Untracked (a notrack rule in raw): the later hooks of this node read ctstate
// UNTRACKED, the entry the packet would have created is not made (so the reply
// finds none), and what the node sends about the packet (a REJECT's ICMP
// error or RST) is not RELATED: conntrack finds no connection for it.

import { decidedByRule } from './decidedBy.ts';
import type { CtLookup } from './conntrack.ts';
import { connectionFields } from './ctTuples.ts';
import type { FlowRun } from './flowEngine.ts';
import type { Cause } from './flowTypes.ts';
import { describePacket, type SimPacket } from './simPacket.ts';
import { markChangeDetail, untrackedDetail, type SkbState } from './skbState.ts';
import type { FilterHook, FilterOutcome, FilterPacket, SimNode } from './world.ts';

export function runFilterHook(run: FlowRun, node: SimNode, hook: FilterHook, p: SimPacket, ct: CtLookup | null, skb: SkbState, fields: Partial<FilterPacket>): FilterOutcome | null {
  if (!node.filter) return { verdict: 'accept', conditions: [] };
  const fp: FilterPacket = {
    src: p.src,
    dst: p.dst,
    proto: p.proto,
    ctState: skb.untracked ? 'UNTRACKED' : (ct?.state ?? 'NEW'),
    pktType: p.broadcast ? 'broadcast' : 'unicast',
    ...fields,
  };
  if (p.proto !== 'icmp') {
    fp.sport = p.sport;
    fp.dport = p.dport;
    if (p.proto === 'tcp') fp.tcpFlags = p.kind === 'request' ? ['SYN'] : p.kind === 'answer' ? ['SYN', 'ACK'] : p.kind === 'reset' ? ['RST', 'ACK'] : ['ACK'];
  } else {
    fp.icmpType = p.icmpType;
    fp.icmpCode = p.icmpCode;
  }
  if (skb.mark) fp.mark = skb.mark;
  // An untracked packet has no entry: no ct mark, status or tuples.
  const tracked = skb.untracked ? null : ct;
  const entry = tracked?.entry ?? null;
  if (entry?.connmark) fp.connmark = entry.connmark;
  if (entry?.snat || entry?.dnat) fp.ctStatus = [...(entry.snat ? (['SNAT'] as const) : []), ...(entry.dnat ? (['DNAT'] as const) : [])];
  // The connection's tuples and the packet's direction in it, as the entry holds them now (ctTuples.ts).
  Object.assign(fp, connectionFields(tracked));
  const out = node.filter.run(hook, fp);
  for (const c of out.conditions) if (!run.conditions.includes(c)) run.conditions.push(c);
  const where = hook.toUpperCase();
  if (out.verdict === 'accept') {
    const detail = out.decidedBy ? `accepted by ${out.decidedBy.position === 0 ? `the ${out.decidedBy.chain} policy` : out.decidedBy.text}` : 'no rule stopped it';
    run.step(node, p.direction, hook, out.nat ? 'nat' : 'pass', out.nat ? `${detail}; ${out.nat.kind}${out.nat.rule ? ` by ${out.nat.rule.text}` : ''}` : detail, p, out.decidedBy);
    keepSkbState(run, node, p, ct, skb, out);
    return out;
  }
  const ref = out.decidedBy;
  const cause: Cause = out.verdict === 'reject' ? 'rule-reject' : ref && ref.position === 0 ? 'chain-policy' : 'rule-drop';
  const text = ref ? (ref.position === 0 ? `policy ${ref.chain} DROP (${ref.table})` : ref.text) : `${where} ${out.verdict}`;
  run.path.push({ direction: p.direction, node: node.label, stage: hook, detail: `${out.verdict === 'reject' ? 'rejected' : 'dropped'} by ${text}`, outcome: out.verdict === 'reject' ? 'reject' : 'drop', packet: describePacket(p), ...(ref ? { rule: ref } : {}) });
  // The rule that untracked the packet explains why a later rule's --ctstate did not match.
  noteUntracked(run, node, p, ct, skb, out);
  if (!run.failure) run.failure = { cause, decidedBy: ref ? decidedByRule(ref) : null, node: node.label, stage: where, direction: p.direction, detail: text };
  if (out.verdict === 'reject' && p.direction === 'request' && p.kind === 'request') rejectAnswer(run, node, hook, p, out);
  return null;
}

/** What the accepted hook left (untracked, marks) goes on with the packet (skb) and the connection (ct entry). */
function keepSkbState(run: FlowRun, node: SimNode, p: SimPacket, ct: CtLookup | null, skb: SkbState, out: FilterOutcome): void {
  noteUntracked(run, node, p, ct, skb, out);
  if (out.mark !== undefined) skb.mark = out.mark;
  // No entry (INVALID, not tracked): the evaluator changed no ct mark either.
  if (out.connmark !== undefined && ct?.entry && !skb.untracked) ct.entry.connmark = out.connmark;
  for (const c of out.markChanges ?? []) run.step(node, p.direction, 'mark', 'pass', markChangeDetail(c), p, c.rule);
}

/** A notrack of this hook: the packet stays untracked on this node, and the path names the rule. */
function noteUntracked(run: FlowRun, node: SimNode, p: SimPacket, ct: CtLookup | null, skb: SkbState, out: FilterOutcome): void {
  if (!out.untrackedBy || skb.untracked) return;
  skb.untracked = true;
  // The entry classify() opened for this packet never exists in the kernel: the reply finds none.
  if (ct?.entry && ct.state === 'NEW' && !ct.isReply) run.ct.forget(node.id, ct.entry);
  run.step(node, p.direction, 'notrack', 'pass', untrackedDetail(out.untrackedBy), p, out.untrackedBy);
}

/** The ICMP error or RST a REJECT sends back to the packet's source (ipt_REJECT / nft reject). */
function rejectAnswer(run: FlowRun, node: SimNode, hook: FilterHook, p: SimPacket, out: FilterOutcome): void {
  const kind = out.reject ?? { kind: 'icmp', type: 3, code: 3 };
  if (kind.kind === 'tcp-reset' && p.proto === 'tcp') {
    // nf_send_reset: the RST carries the rejected packet's addresses swapped.
    run.sendLocal(node, { kind: 'reset', src: p.dst, dst: p.src, proto: 'tcp', sport: p.dport, dport: p.sport, direction: 'reply' }, true);
    return;
  }
  const icmp = kind.kind === 'icmp' ? kind : { type: 3, code: 3 };
  // In INPUT the packet's route is local: icmp_send answers from the address it was sent to.
  run.sendIcmpError(node, p, icmp.type, icmp.code, hook === 'input' ? p.dst : null);
}
