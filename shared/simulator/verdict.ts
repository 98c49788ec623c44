// The engine's result → the verdict the admin reads: what the guest sees (in
// ping's and the TCP client's words, via the evaluator's senderSymptom tables),
// the cause, the deciding rule with its layer and event, the hop, the path, the
// assumptions about nodes on the path, and a one-line headline.

import { icmpErrorSymptom } from '../netfilter/eval/senderSymptom.ts';
import { decidedByRule, describeDecider } from './decidedBy.ts';
import type { EngineResult } from './flowEngine.ts';
import type { Cause, FlowRequest, FlowVerdict, Symptom } from './flowTypes.ts';
import { formatIpv4 } from './ipv4.ts';
import type { Service, World } from './world.ts';

function symptomOf(result: EngineResult, service: Service): Symptom {
  if (result.localError) {
    const e = result.localError;
    const clientText = e.text === 'Destination Host Unreachable' ? 'No route to host' : 'Network is unreachable';
    return { kind: 'local-error', from: formatIpv4(e.from), pingText: e.text, clientText };
  }
  const a = result.arrived;
  if (!a) return { kind: 'timeout', clientText: service.proto === 'tcp' ? 'Connection timed out' : service.proto === 'udp' ? 'no reply (timeout)' : '100% packet loss' };
  if (a.kind === 'answer') return { kind: 'reply', from: formatIpv4(a.src) };
  if (a.kind === 'reset') return { kind: 'tcp-reset', from: formatIpv4(a.src), clientText: 'Connection refused' };
  const from = formatIpv4(a.src);
  if (a.icmpType === 3) {
    const s = icmpErrorSymptom(service.proto, 'ipv4', a.icmpCode ?? 0, from);
    const pingText = s.ping.replace(/^From \S+ icmp_seq=1 /, '');
    const clientText = service.proto === 'udp' ? (s.udpErrno ? s.tcp : 'no reply (timeout): the error is not reported to a UDP socket') : s.tcp;
    return { kind: 'icmp-error', icmpType: 3, icmpCode: a.icmpCode, from, pingText, clientText };
  }
  return { kind: 'icmp-error', icmpType: a.icmpType, icmpCode: a.icmpCode, from, pingText: a.icmpType === 11 ? 'Time to live exceeded' : `ICMP type ${a.icmpType} code ${a.icmpCode}`, clientText: 'No route to host' };
}

export function guestSeesText(s: Symptom, service: Service): string {
  switch (s.kind) {
    case 'reply': return 'reply';
    case 'timeout': return 'timeout';
    case 'tcp-reset': return `error:Connection refused (TCP RST from ${s.from})`;
    case 'icmp-error':
    case 'local-error':
      if (service.proto === 'tcp') return `error:${s.clientText} (${s.pingText} from ${s.from})`;
      return `error:${s.pingText} from ${s.from}`;
  }
}

function serviceWords(service: Service): string {
  return service.proto === 'icmp' ? 'ping' : `${service.proto.toUpperCase()} ${service.port}`;
}

function seesWords(s: Symptom, service: Service): string {
  switch (s.kind) {
    case 'reply': return service.proto === 'tcp' ? 'connected' : 'reply';
    case 'timeout': return 'no answer (timeout)';
    case 'tcp-reset': return `Connection refused (RST from ${s.from})`;
    default: return service.proto === 'tcp' ? `${s.clientText} (${s.pingText} from ${s.from})` : `${s.pingText} from ${s.from}`;
  }
}

export function buildVerdict(world: World, request: FlowRequest, src: number, dst: number, service: Service, result: EngineResult): FlowVerdict {
  const symptom = symptomOf(result, service);
  const f = result.failure;
  const ok = symptom.kind === 'reply';
  const cause: Cause = ok ? 'ok' : (f?.cause ?? 'no-return-route');
  const decidedBy = ok ? (result.acceptedBy ? decidedByRule(result.acceptedBy) : null) : (f?.decidedBy ?? null);
  const labels = new Set(result.path.map((p) => p.node));
  const assumptions = world.assumptions.filter((a) => a.nodes.length === 0 || a.nodes.some((id) => labels.has(world.nodes.get(id)?.label ?? ''))).map((a) => a.text);
  let why: string;
  if (ok) why = decidedBy ? `accepted by ${describeDecider(decidedBy)}` : 'nothing on the way blocks it';
  else if (!f) why = 'the answer is lost on the way back';
  else {
    const where = `${f.node}, ${f.stage}${f.direction === 'reply' ? ' (on the way back)' : ''}`;
    why = decidedBy && decidedBy.table !== undefined ? `${describeDecider(decidedBy)} at ${where}` : `${f.detail} (${where})`;
  }
  const headline = `${formatIpv4(src)} → ${formatIpv4(dst)}, ${serviceWords(service)}: ${seesWords(symptom, service)} — ${why}`;
  return {
    request,
    guestSees: guestSeesText(symptom, service),
    symptom,
    cause,
    decidedBy,
    hop: ok || !f ? null : { node: f.node, stage: f.stage, direction: f.direction },
    path: result.path,
    assumptions,
    headline,
    conditions: result.conditions,
    notes: world.notes,
  };
}
