// What the simulator answers for one flow: what the guest sees, why, which rule
// of which layer decided, where on the path it happened, the whole path both
// ways and the assumptions taken. Plain JSON (the CLI prints it with --json, the
// UI shows it, the matrix stores one per cell).

import type { Provenance, RuleRef } from '../netfilter/model.ts';
import type { Service } from './world.ts';

export interface FlowRequest {
  /** The guest's address, or its id / name in a lab. */
  from: string;
  to: string;
  /** `icmp`, `tcp/443`, `udp/53`. */
  service: string;
}

export type Cause =
  | 'ok'
  | 'rule-reject'
  | 'rule-drop'
  | 'chain-policy'
  | 'forwarding-off'
  | 'no-route'
  | 'no-return-route'
  | 'rp-filter'
  | 'no-dhcp-lease'
  | 'not-listening'
  /** The destination address exists nowhere on its segment (ARP gets no answer). */
  | 'no-neighbour'
  /** The guest's network is not running (or the guest is not attached). */
  | 'network-inactive'
  /** The question is about IPv6 (the guest has only an IPv6 address): IPv6 is not simulated, so there is no verdict. */
  | 'ipv6-not-simulated';

export interface DecidedBy {
  /** 'libvirt', 'susefirewall2', 'own-script', 'imported', ... (provenance.layer); 'kernel' for routing decisions. */
  layer: string;
  layerLabel?: string;
  /** 'iptables-legacy', 'iptables-nft', 'nft' */
  ruleset?: string;
  table?: string;
  chain?: string;
  /** 1-based; 0 = the chain's policy. */
  position?: number;
  /** The rule as written, or the kernel behaviour ("net.ipv4.conf.virbr3.forwarding = 0"). */
  rule: string;
  /** The event that placed the rule (provenance.event). */
  event?: string;
  eventId?: string;
  reason?: string;
  provenance?: Provenance;
}

export type PathDirection = 'request' | 'reply';

export interface PathStep {
  direction: PathDirection;
  /** Node label: `kali 192.168.10.20`, `KVM host`, `gateway 192.168.90.1`. */
  node: string;
  /** prerouting, routing, forward, input, output, postrouting, bridge, wire, deliver, send, answer, nat, error. */
  stage: string;
  /** What happened, in words: "accepted by -A FORWARD -s 192.168.10.0/24 -i virbr3 -j ACCEPT". */
  detail: string;
  outcome: 'pass' | 'drop' | 'reject' | 'deliver' | 'nat' | 'lost';
  /** The packet as it was at this step: `192.168.10.20 → 192.168.90.1 icmp echo-request`. */
  packet: string;
  rule?: RuleRef;
}

export interface Symptom {
  kind: 'reply' | 'icmp-error' | 'tcp-reset' | 'timeout' | 'local-error';
  icmpType?: number;
  icmpCode?: number;
  /** Where the error or RST came from, as the guest sees it. */
  from?: string;
  /** As iputils ping prints it: "Destination Port Unreachable". */
  pingText?: string;
  /** What a TCP/UDP client reports: "Connection refused", "No route to host", "Connection timed out". */
  clientText?: string;
}

export interface FlowVerdict {
  request: FlowRequest;
  /** `reply`, `timeout`, or `error:<detail>` (ping's wording and the sender of the error; for TCP the client's message). */
  guestSees: string;
  symptom: Symptom;
  cause: Cause;
  decidedBy: DecidedBy | null;
  /** Where it happened: "KVM host, FORWARD (request)". Null when the flow succeeded. */
  hop: { node: string; stage: string; direction: PathDirection } | null;
  path: PathStep[];
  assumptions: string[];
  headline: string;
  /** Conditional outcomes from the evaluator ("accepted if rule 12 (-m limit …) matches, dropped otherwise"). */
  conditions: string[];
  notes: string[];
}

export class FlowRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FlowRequestError';
  }
}

/** `icmp`, `tcp/PORT`, `udp/PORT` (case-insensitive); anything else is a clear error naming the value. */
export function parseService(text: string): Service {
  const t = text.trim().toLowerCase();
  if (t === 'icmp' || t === 'ping') return { proto: 'icmp', text: 'icmp' };
  const m = /^(tcp|udp)\/(\d{1,5})$/.exec(t);
  if (!m) throw new FlowRequestError(`service ${JSON.stringify(text)}: expected icmp, tcp/PORT or udp/PORT`);
  const port = Number(m[2]);
  if (port < 1 || port > 65535) throw new FlowRequestError(`service ${JSON.stringify(text)}: port ${port} is outside 1-65535`);
  return { proto: m[1] as 'tcp' | 'udp', port, text: `${m[1]}/${port}` };
}

export function serviceKey(s: Service): string {
  return s.text;
}
