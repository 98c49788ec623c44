// The two NAT list variables of /etc/sysconfig/SuSEfirewall2, checked the way
// the script checks them (IPv4 only: both functions run $IPTABLES alone):
//   FW_FORWARD_MASQ  <source net>,<host to forward to>,<tcp|udp>,<port>[,<port on the host>[,<address the packet was sent to>]]
//                    (forward_masquerading_rules: the target must be a single host, no `/`)
//   FW_REDIRECT      <source net>,<destination net>,<tcp|udp>[,<dport>[,<local port>]]
//                    (redirect_rules: `!` in front of a network means "everything except")

import ipaddr from 'ipaddr.js';
import type { ShellAssignment } from './shellVariableFile.ts';
import { canonicalPort, entriesOf, EntryChecker, fieldPosition, networkFamily, type Sfw2Entry } from './sfw2Values.ts';

export interface Sfw2ForwardMasq {
  entry: Sfw2Entry;
  source: string;
  /** The internal host the connection is forwarded to. */
  target: string;
  protocol: 'tcp' | 'udp';
  /** The port the client connects to (`80`, `8000:8010`). */
  port: string;
  /** The port on the internal host (defaults to `port`). */
  targetPort: string;
  /** Only packets sent to this address (the 6th field). */
  localAddress?: string;
}

export interface Sfw2Redirect {
  entry: Sfw2Entry;
  source: string;
  destination: string;
  protocol: 'tcp' | 'udp';
  port?: string;
  /** The local port (`--to-ports`). */
  toPort?: string;
}

const ipv4Net = (v: string): boolean => networkFamily(v) === 'ipv4' || networkFamily(v) === 'any';

export function readForwardMasq(a: ShellAssignment | undefined, check: EntryChecker): Sfw2ForwardMasq[] {
  const out: Sfw2ForwardMasq[] = [];
  for (const entry of entriesOf(a)) {
    const [source = '', target = '', protocol = '', port = '', targetPort = '', localAddress = '', extra] = entry.fields;
    const at = (i: number) => fieldPosition(a, entry, i);
    if (target === '' || target.includes('/')) {
      check.error(entry, at(1), 'target must be a single host (no network, no empty field)');
      continue;
    }
    if (extra !== undefined) check.error(entry, at(6), 'too many arguments');
    else if (!source) check.error(entry, entry.at, 'source network must not be empty');
    else if (!ipv4Net(source)) check.error(entry, entry.at, `'${source}' is not an IPv4 network address`);
    else if (!ipaddr.IPv4.isValidFourPartDecimal(target)) check.error(entry, at(1), `'${target}' is not an IPv4 address`);
    else if (protocol !== 'tcp' && protocol !== 'udp') check.error(entry, at(2), `the protocol must be tcp or udp, not '${protocol}'`);
    else if (!port) check.error(entry, at(3), 'port missing');
    // The sysconfig: "only port numbers are possible but no service names" (DNAT's --to-destination takes numbers).
    else if (!/^\d+(:\d+)?$/.test(port) || canonicalPort(port) === null) check.error(entry, at(3), `'${port}' is not a port number or range`);
    else if (targetPort && (!/^\d+(:\d+)?$/.test(targetPort) || canonicalPort(targetPort) === null)) check.error(entry, at(4), `'${targetPort}' is not a port number or range`);
    else if (localAddress && !ipaddr.IPv4.isValidFourPartDecimal(localAddress)) check.error(entry, at(5), `'${localAddress}' is not an IPv4 address`);
    else {
      out.push({
        entry,
        source,
        target,
        protocol,
        port: canonicalPort(port)!,
        targetPort: canonicalPort(targetPort || port)!,
        ...(localAddress ? { localAddress } : {}),
      });
    }
  }
  return out;
}

export function readRedirects(a: ShellAssignment | undefined, check: EntryChecker): Sfw2Redirect[] {
  const out: Sfw2Redirect[] = [];
  for (const entry of entriesOf(a)) {
    const [source = '', destination = '', protocol = '', port = '', toPort = '', extra] = entry.fields;
    const at = (i: number) => fieldPosition(a, entry, i);
    if (extra !== undefined) check.error(entry, at(5), 'too many arguments');
    else if (!source || !destination || !protocol) check.error(entry, entry.at, 'missing parameter: <source net>,<destination net>,<tcp|udp> needed');
    else if (protocol !== 'tcp' && protocol !== 'udp') check.error(entry, at(2), `FW_REDIRECT supports only tcp and udp, not '${protocol}'`);
    else if (!ipv4Net(source)) check.error(entry, entry.at, `'${source}' is not an IPv4 network address`);
    else if (!ipv4Net(destination)) check.error(entry, at(1), `'${destination}' is not an IPv4 network address`);
    else if (port && canonicalPort(port) === null) check.error(entry, at(3), `'${port}' is not a port or port range`);
    else if (toPort && (!/^\d+(-\d+)?$/.test(toPort) || Number(toPort.split('-')[0]) > 65535)) check.error(entry, at(4), `'${toPort}' is not a local port (REDIRECT --to-ports takes numbers)`);
    else {
      out.push({ entry, source, destination, protocol, ...(port ? { port: canonicalPort(port)! } : {}), ...(toPort ? { toPort } : {}) });
    }
  }
  return out;
}
