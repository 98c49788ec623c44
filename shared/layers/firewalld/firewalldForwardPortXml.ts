// Reading `<forward-port port="2222" protocol="tcp" to-port="22" to-addr="192.168.10.50"/>`
// (firewalld.zone(5), firewalld.policy(5), and the rich rule element of the same
// name), checked as firewalld checks it (fw_policy.py check_forward_port): a port
// or range, tcp/udp/sctp/dccp, to-port and/or to-addr — a redirect to the same
// port without to-addr is refused — and to-addr a single IPv4 or IPv6 address,
// which firewalld normalises (normalizeIP6) before it writes the DNAT.

import { formatIpv6, parseIpv4, parseIpv6 } from '../../netfilter/iptables/iptAddresses.ts';
import { attributeValue, type XmlElement } from '../../xml/xmlTree.ts';
import type { Reader } from './firewalldXmlReader.ts';

export interface ForwardPort {
  port: string;
  protocol: string;
  toPort?: string;
  /** Normalised (IPv6 compressed as inet_ntop prints it). */
  toAddr?: string;
  /** The family of the DNAT: of to-addr, IPv4 without one (fw_policy.py _forward_port). */
  family: 'ipv4' | 'ipv6';
}

const PORT = /^\d{1,5}(-\d{1,5})?$/;
const portOk = (p: string) => PORT.test(p) && p.split('-').every((x) => Number(x) >= 1 && Number(x) <= 65535);

/** The element read, or null (with a positioned error) when firewalld would refuse it. */
export function readForwardPort(e: XmlElement, r: Reader): ForwardPort | null {
  const port = attributeValue(e, 'port') ?? '';
  const protocol = attributeValue(e, 'protocol') ?? '';
  const toPort = attributeValue(e, 'to-port') || undefined;
  const rawAddr = attributeValue(e, 'to-addr') || undefined;
  const bad = (message: string): null => {
    r.problem(e, 'error', `<forward-port>: ${message}; firewalld refuses it`);
    return null;
  };
  if (!portOk(port)) return bad(`port "${port}" is not a port or range`);
  if (!['tcp', 'udp', 'sctp', 'dccp'].includes(protocol)) return bad(`protocol "${protocol}" is not tcp, udp, sctp or dccp`);
  if (toPort !== undefined && !portOk(toPort)) return bad(`to-port "${toPort}" is not a port or range`);
  if (!rawAddr && (!toPort || toPort === port)) return bad(`port "${port}" forwarded to itself (give to-port or to-addr)`);
  if (rawAddr === undefined) return { port, protocol, ...(toPort ? { toPort } : {}), family: 'ipv4' };
  if (parseIpv4(rawAddr) !== null) return { port, protocol, ...(toPort ? { toPort } : {}), toAddr: rawAddr, family: 'ipv4' };
  const v6 = parseIpv6(rawAddr);
  if (!v6) return bad(`to-addr "${rawAddr}" is not a single IPv4 or IPv6 address`);
  return { port, protocol, ...(toPort ? { toPort } : {}), toAddr: formatIpv6(v6), family: 'ipv6' };
}

/** `port="2222" protocol="tcp" to-port="22" to-addr="…"` for provenance. */
export function forwardPortText(f: ForwardPort): string {
  return `port="${f.port}" protocol="${f.protocol}"${f.toPort ? ` to-port="${f.toPort}"` : ''}${f.toAddr ? ` to-addr="${f.toAddr}"` : ''}`;
}

/** Where it goes: `192.168.10.50:22`, `[fd00:10::50]:22`, `the host's port 22`. */
export function forwardPortTarget(f: ForwardPort): string {
  if (!f.toAddr) return `the host's own port ${f.toPort}`;
  const addr = f.family === 'ipv6' && f.toPort ? `[${f.toAddr}]` : f.toAddr;
  return f.toPort ? `${addr}:${f.toPort}` : `${f.toAddr} (port ${f.port})`;
}
