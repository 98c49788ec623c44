// The list variables of /etc/sysconfig/SuSEfirewall2 read entry by entry, as
// the script splits them (`IFS=, eval set -- $nets`) and checks them
// (check_proto_port): FW_FORWARD / FW_FORWARD_REJECT / FW_FORWARD_DROP
// `<src>,<dst>[,proto[,port[,flags]]]`, FW_MASQ_NETS / FW_NOMASQ_NETS
// `<src>[,<dst>[,proto[,port]]]`, FW_TRUSTED_NETS `<net>[,proto[,port]]`.
// Every bad field is reported at its own column.

import type { ShellAssignment } from './shellVariableFile.ts';
import { canonicalIcmpType, canonicalPort, entriesOf, EntryChecker, fieldPosition, isProtocol, networkFamily, type Sfw2Entry } from './sfw2Values.ts';

/** `<src>,<dst>[,proto[,port[,flags]]]` (FW_FORWARD, FW_FORWARD_REJECT, FW_FORWARD_DROP). */
export interface Sfw2ForwardRule {
  entry: Sfw2Entry;
  source: string;
  destination: string;
  family: 'ipv4' | 'ipv6';
  protocol?: string;
  /** Port (tcp/udp) or ICMP type (icmp), canonical. */
  port?: string;
  flags: string[];
}

/** `<src>[,<dst>[,proto[,port]]]` (FW_MASQ_NETS, FW_NOMASQ_NETS). */
export interface Sfw2MasqNet {
  entry: Sfw2Entry;
  source: string;
  destination?: string;
  protocol?: string;
  port?: string;
}

/** `<net>[,proto[,port]]` (FW_TRUSTED_NETS). */
export interface Sfw2TrustedNet {
  entry: Sfw2Entry;
  network: string;
  family: 'ipv4' | 'ipv6' | 'any';
  protocol?: string;
  port?: string;
}

export function readForwardRules(a: ShellAssignment | undefined, check: EntryChecker): Sfw2ForwardRule[] {
  const out: Sfw2ForwardRule[] = [];
  for (const entry of entriesOf(a)) {
    const [source = '', destination = '', protocol = '', port = '', ...flags] = entry.fields;
    if (!source || !destination) {
      check.error(entry, entry.at, 'too few parameters: <source network>,<destination network> needed');
      continue;
    }
    const sf = networkFamily(source);
    const df = networkFamily(destination);
    if (!sf) check.error(entry, fieldPosition(a, entry, 0), `'${source}' is not a network address`);
    if (!df) check.error(entry, fieldPosition(a, entry, 1), `'${destination}' is not a network address`);
    if (!sf || !df) continue;
    const family = source.includes(':') || destination.includes(':') ? 'ipv6' : 'ipv4';
    const rule: Sfw2ForwardRule = { entry, source, destination, family, flags: flags.filter((f) => f !== '') };
    if (!checkProtoPort(a, entry, protocol, port, family, 2, check, rule)) continue;
    const badFlag = rule.flags.find((f) => f !== 'ipsec' && !/^zone(in|out)=/.test(f));
    if (badFlag) check.error(entry, fieldPosition(a, entry, 4), `unsupported flag '${badFlag}'`);
    out.push(rule);
  }
  return out;
}

export function readMasqNets(a: ShellAssignment | undefined, check: EntryChecker): Sfw2MasqNet[] {
  const out: Sfw2MasqNet[] = [];
  for (const entry of entriesOf(a)) {
    const [source = '', destination = '', protocol = '', port = '', extra] = entry.fields;
    if (extra !== undefined) check.error(entry, fieldPosition(a, entry, 4), 'too many arguments');
    if (!source) {
      check.error(entry, entry.at, 'source network must not be empty');
      continue;
    }
    if (!networkFamily(source)) check.error(entry, entry.at, `'${source}' is not a network address`);
    if (destination && !networkFamily(destination)) check.error(entry, fieldPosition(a, entry, 1), `'${destination}' is not a network address`);
    const net: Sfw2MasqNet = { entry, source, ...(destination ? { destination } : {}) };
    if (checkProtoPort(a, entry, protocol, port, 'ipv4', 2, check, net)) out.push(net);
  }
  return out;
}

export function readTrustedNets(a: ShellAssignment | undefined, check: EntryChecker): Sfw2TrustedNet[] {
  const out: Sfw2TrustedNet[] = [];
  for (const entry of entriesOf(a)) {
    const [network = '', protocol = '', port = '', extra] = entry.fields;
    if (extra !== undefined) check.error(entry, fieldPosition(a, entry, 3), 'too many arguments');
    const family = networkFamily(network);
    if (!family) {
      check.error(entry, entry.at, `'${network}' is not a network address`);
      continue;
    }
    if (!protocol && port) {
      check.error(entry, fieldPosition(a, entry, 2), `need to specify protocol for port ${port}`);
      continue;
    }
    const net: Sfw2TrustedNet = { entry, network, family };
    if (checkProtoPort(a, entry, protocol, port, family === 'ipv6' ? 'ipv6' : 'ipv4', 1, check, net)) out.push(net);
  }
  return out;
}

export type ProtoPortTarget = { protocol?: string; port?: string };

/** check_proto_port: a port needs tcp/udp (port or range) or icmp (type); other protocols take none. */
export function checkProtoPort(
  a: ShellAssignment | undefined,
  entry: Sfw2Entry,
  protocol: string,
  port: string,
  family: 'ipv4' | 'ipv6',
  protoField: number,
  check: EntryChecker,
  target: ProtoPortTarget,
): boolean {
  if (!protocol) {
    if (port) {
      check.error(entry, fieldPosition(a, entry, protoField), 'proto must not be empty when a port is given');
      return false;
    }
    return true;
  }
  if (!isProtocol(protocol)) {
    check.error(entry, fieldPosition(a, entry, protoField), `'${protocol}' is not a protocol`);
    return false;
  }
  target.protocol = protocol;
  if (!port) return true;
  if (protocol === 'tcp' || protocol === 'udp') {
    const p = canonicalPort(port);
    if (p === null) {
      check.error(entry, fieldPosition(a, entry, protoField + 1), `'${port}' is not a port or port range`);
      return false;
    }
    target.port = p;
    return true;
  }
  if (protocol === 'icmp' || protocol === 'icmpv6') {
    const t = canonicalIcmpType(port, protocol === 'icmpv6' ? 'ipv6' : family);
    if (t === null) {
      check.error(entry, fieldPosition(a, entry, protoField + 1), `'${port}' is not an ICMP type`);
      return false;
    }
    target.port = t;
    return true;
  }
  check.error(entry, fieldPosition(a, entry, protoField + 1), 'port is only valid with tcp, udp or icmp');
  return false;
}
