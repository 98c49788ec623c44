// What the sender of a probe sees, in the words its tools print
// (firewall-layers.md §5 facts 8–9):
//  - ping (iputils 20221126, ping4_common.c / ping6_common.c pr_icmph):
//    "From 192.168.10.1 icmp_seq=1 Destination Port Unreachable";
//  - a TCP client: connect() fails with the errno the kernel maps the ICMP code
//    to (net/ipv4/icmp.c icmp_err_convert, net/ipv6/icmp.c icmpv6_err_convert;
//    in SYN_SENT every destination-unreachable aborts the connect, tcp_ipv4.c
//    tcp_v4_err), printed as strerror: "Connection refused", "No route to host";
//  - a UDP client: the same errno on its next recv() (connected socket) — but only
//    for the codes the kernel calls fatal (icmp_err_convert[].fatal; udp.c
//    __udp4_lib_err ignores the others without IP_RECVERR): net/host unreachable
//    leave a UDP client waiting (checked in test/reality);
//  - DROP: nothing comes back — a timeout.
// The ICMP error's source is the primary address of the interface the error
// leaves by (icmp_errors_use_inbound_ifaddr=0), or the probed address when the
// rejected packet was addressed to the host itself: the caller passes it in.

import type { Family } from '../model.ts';
import type { HookVerdict } from './hookResult.ts';

export type ProbeKind = 'icmp' | 'tcp' | 'udp';

export interface SenderSymptom {
  kind: 'reply' | 'icmp-error' | 'tcp-reset' | 'timeout' | 'undetermined';
  /** For icmp-error: the ICMP type/code and who sent it. */
  icmp?: { family: Family; type: number; code: number; from: string | null };
  /** errno name a TCP connect() fails with (ECONNREFUSED …), when it fails. */
  errno?: string;
  /** errno a connected UDP socket gets; absent when the ICMP code is not fatal (the client just waits). */
  udpErrno?: string;
  /** The line ping prints ("From 192.168.10.1 icmp_seq=1 Destination Port Unreachable"); for a timeout "100% packet loss". */
  ping: string;
  /** What a TCP client reports: strerror of the failed connect ("Connection refused"), "connected", or "Connection timed out". */
  tcp: string;
  /** What a UDP client sees. */
  udp: string;
  /** The line for the probe that was sent. */
  summary: string;
  /** One sentence for people: what came back and what the client tool prints. */
  explain: string;
}

/** [ping text, errno, strerror, fatal] per ICMPv4 destination-unreachable code (icmp.c icmp_err_convert). */
const V4_UNREACH: [string, string, string, boolean][] = [
  ['Destination Net Unreachable', 'ENETUNREACH', 'Network is unreachable', false],
  ['Destination Host Unreachable', 'EHOSTUNREACH', 'No route to host', false],
  ['Destination Protocol Unreachable', 'ENOPROTOOPT', 'Protocol not available', true],
  ['Destination Port Unreachable', 'ECONNREFUSED', 'Connection refused', true],
  ['Frag needed and DF set', 'EMSGSIZE', 'Message too long', false],
  ['Source Route Failed', 'EOPNOTSUPP', 'Operation not supported', false],
  ['Destination Net Unknown', 'ENETUNREACH', 'Network is unreachable', true],
  ['Destination Host Unknown', 'EHOSTDOWN', 'Host is down', true],
  ['Source Host Isolated', 'ENONET', 'Machine is not on the network', true],
  ['Destination Net Prohibited', 'ENETUNREACH', 'Network is unreachable', true],
  ['Destination Host Prohibited', 'EHOSTUNREACH', 'No route to host', true],
  ['Destination Net Unreachable for Type of Service', 'ENETUNREACH', 'Network is unreachable', false],
  ['Destination Host Unreachable for Type of Service', 'EHOSTUNREACH', 'No route to host', false],
  ['Packet filtered', 'EHOSTUNREACH', 'No route to host', true],
  ['Precedence Violation', 'EHOSTUNREACH', 'No route to host', true],
  ['Precedence Cutoff', 'EHOSTUNREACH', 'No route to host', true],
];

/** ICMPv6 destination-unreachable (type 1) codes (net/ipv6/icmp.c tab_unreach). */
const V6_UNREACH: [string, string, string, boolean][] = [
  ['Destination unreachable: No route', 'ENETUNREACH', 'Network is unreachable', false],
  ['Destination unreachable: Administratively prohibited', 'EACCES', 'Permission denied', true],
  ['Destination unreachable: Beyond scope of source address', 'EHOSTUNREACH', 'No route to host', false],
  ['Destination unreachable: Address unreachable', 'EHOSTUNREACH', 'No route to host', false],
  ['Destination unreachable: Port unreachable', 'ECONNREFUSED', 'Connection refused', true],
  ['Destination unreachable: Source address failed ingress/egress policy', 'EACCES', 'Permission denied', true],
  ['Destination unreachable: Reject route to destination', 'EACCES', 'Permission denied', true],
];

function summaryFor(probe: ProbeKind, s: Omit<SenderSymptom, 'summary' | 'explain'>): string {
  return probe === 'icmp' ? s.ping : probe === 'tcp' ? s.tcp : s.udp;
}

const TOOL: Record<ProbeKind, string> = { icmp: 'ping', tcp: 'a TCP client', udp: 'a UDP client' };

export function replySymptom(probe: ProbeKind, from: string): SenderSymptom {
  const s = { kind: 'reply' as const, ping: `64 bytes from ${from}: icmp_seq=1`, tcp: 'connected', udp: `reply from ${from}` };
  return { ...s, summary: summaryFor(probe, s), explain: `a reply from ${from} (as far as this hook decides)` };
}

export function timeoutSymptom(probe: ProbeKind): SenderSymptom {
  const s = { kind: 'timeout' as const, errno: 'ETIMEDOUT', ping: '100% packet loss', tcp: 'Connection timed out', udp: 'no reply (timeout)' };
  return { ...s, summary: summaryFor(probe, s), explain: `nothing comes back: ${TOOL[probe]} waits and reports "${summaryFor(probe, s)}"` };
}

export function tcpResetSymptom(probe: ProbeKind): SenderSymptom {
  if (probe !== 'tcp') {
    // nf_reject_ipv4.c nf_send_reset: nothing is sent for a non-TCP packet; it is still dropped.
    const t = timeoutSymptom(probe);
    return { ...t, summary: `${t.summary} (a TCP reset cannot answer ${probe})`, explain: `${t.explain} — a TCP reset cannot answer ${probe}, the packet is just dropped` };
  }
  const s = { kind: 'tcp-reset' as const, errno: 'ECONNREFUSED', ping: '(no ICMP answer)', tcp: 'Connection refused', udp: '(no answer)' };
  return { ...s, summary: s.tcp, explain: 'a TCP RST (sent in the name of the destination): "Connection refused"' };
}

/** An ICMP destination-unreachable (IPv4 type 3 / IPv6 type 1) with `code`, sent by `from`. */
export function icmpErrorSymptom(probe: ProbeKind, family: Family, code: number, from: string | null): SenderSymptom {
  const table = family === 'ipv4' ? V4_UNREACH : V6_UNREACH;
  const type = family === 'ipv4' ? 3 : 1;
  const row = table[code] ?? [`Destination unreachable, code ${code}`, 'EHOSTUNREACH', 'No route to host', false];
  const fromText = from ?? '(the router)';
  const s = {
    kind: 'icmp-error' as const,
    icmp: { family, type, code, from },
    errno: row[1],
    ...(row[3] ? { udpErrno: row[1] } : {}),
    ping: `From ${fromText} icmp_seq=1 ${row[0]}`,
    tcp: row[2],
    udp: row[3] ? `${row[2]} (ICMP ${row[0]} from ${fromText})` : `no reply (timeout): ICMP ${row[0]} from ${fromText} is not reported to UDP sockets`,
  };
  const what = `ICMP ${family === 'ipv4' ? '' : 'v6 '}type ${type} code ${code} (${row[0]}) from ${fromText}`;
  const explain = probe === 'icmp' ? `${what}; ping prints "${s.ping}"` : probe === 'tcp' ? `${what}; connect() fails: "${s.tcp}"` : row[3] ? `${what}; the UDP socket gets "${row[2]}"` : `${what}; not reported to a UDP socket: the client times out`;
  return { ...s, summary: summaryFor(probe, s), explain };
}

export interface SymptomInput {
  probe: ProbeKind;
  family: Family;
  verdict: HookVerdict;
  /** Who answers an accepted probe (the destination); default "the destination". */
  replyFrom?: string;
  /** Source of a REJECT's ICMP error (see the file comment). */
  errorFrom?: string | null;
}

/** The sender's view of one verdict on its probe. Accept means "passes this hook": a reply if nothing else stops it. */
export function senderSymptom(input: SymptomInput): SenderSymptom {
  const v = input.verdict;
  switch (v.kind) {
    case 'accept': return replySymptom(input.probe, input.replyFrom ?? 'the destination');
    case 'drop': return timeoutSymptom(input.probe);
    case 'reject':
      if (v.with.kind === 'tcp-reset') return tcpResetSymptom(input.probe);
      return icmpErrorSymptom(input.probe, v.with.family, v.with.code, input.errorFrom ?? null);
    case 'undetermined': {
      const s = { kind: 'undetermined' as const, ping: `undetermined: ${v.reason}`, tcp: `undetermined: ${v.reason}`, udp: `undetermined: ${v.reason}` };
      return { ...s, summary: s.ping, explain: s.ping };
    }
  }
}
