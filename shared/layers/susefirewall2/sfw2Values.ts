// Value syntax of the SuSEfirewall2 variables: yes/no switches, comma-separated
// list entries (`<src>,<dst>[,proto[,port[,flags]]]`), networks and ports —
// and their validation, with positions into the sysconfig file so a bad entry
// is reported as "FW_FORWARD entry 2: '192.168.10.0/33' is not a network".
// Syntax from SuSEfirewall2.sysconfig (openSUSE/susefirewall2) and the parsing
// in the SuSEfirewall2 script (`IFS=, eval set -- $nets`, check_proto_port).

import ipaddr from 'ipaddr.js';
import type { ConfigProblem } from '../layerActions.ts';
import { valueWords, type ShellAssignment, type SourcePosition } from './shellVariableFile.ts';

/** One blank-separated entry of a list variable, split at commas. */
export interface Sfw2Entry {
  variable: string;
  /** 1-based position in the list (for provenance: "FW_FORWARD entry 2"). */
  index: number;
  text: string;
  fields: string[];
  at: SourcePosition;
  /** Set when the entry comes from somewhere else than the variable itself (an FW_CONFIGURATIONS_* service file). */
  origin?: string;
}

/** "FW_SERVICES_EXT_TCP entry 2: ssh", or for a service file "FW_CONFIGURATIONS_EXT entry 1 (sshd, …): TCP entry 1: ssh". */
export function entryWhy(e: Sfw2Entry): string {
  return `${e.origin ? `${e.origin}: ` : ''}${e.variable} entry ${e.index}: ${e.text}`;
}

export function entriesOf(a: ShellAssignment | undefined): Sfw2Entry[] {
  if (!a) return [];
  return valueWords(a).map((w, i) => ({ variable: a.name, index: i + 1, text: w.word, fields: w.word.split(','), at: w.at }));
}

/** Where the n-th comma field of an entry starts (for column-accurate errors). */
export function fieldPosition(a: ShellAssignment | undefined, entry: Sfw2Entry, field: number): SourcePosition {
  if (!a) return entry.at;
  const wordOffset = a.positions.indexOf(entry.at);
  let offset = 0;
  for (let i = 0; i < field; i++) offset += entry.fields[i].length + 1;
  return a.positions[wordOffset + offset] ?? entry.at;
}

/** `0/0` (any), IPv4/IPv6 addresses, CIDR prefixes and dotted netmasks, optionally negated with `!`. */
export function networkFamily(value: string): 'ipv4' | 'ipv6' | 'any' | null {
  const v = value.startsWith('!') ? value.slice(1) : value;
  if (v === '0/0') return 'any';
  const [addr, mask] = v.split('/');
  if (!ipaddr.isValid(addr)) return null;
  const parsed = ipaddr.parse(addr);
  const family = parsed.kind() === 'ipv4' ? 'ipv4' : 'ipv6';
  if (mask === undefined) return family;
  if (/^\d+$/.test(mask)) return Number(mask) <= (family === 'ipv4' ? 32 : 128) ? family : null;
  if (family === 'ipv4' && ipaddr.IPv4.isValidFourPartDecimal(mask)) {
    return ipaddr.IPv4.parse(mask).prefixLengthFromSubnetMask() !== null ? family : null;
  }
  return null;
}

/** IANA names iptables resolves via /etc/services (iptables-save prints the number). */
const SERVICE_PORTS: Record<string, number> = {
  ftp: 21, ssh: 22, telnet: 23, smtp: 25, domain: 53, bootps: 67, bootpc: 68, tftp: 69, http: 80, www: 80,
  pop3: 110, sunrpc: 111, ntp: 123, 'netbios-ns': 137, 'netbios-dgm': 138, 'netbios-ssn': 139, imap: 143,
  snmp: 161, ldap: 389, https: 443, 'microsoft-ds': 445, syslog: 514, submission: 587, ipp: 631, imaps: 993,
  pop3s: 995, mysql: 3306, postgresql: 5432, mdns: 5353,
};

/** A port, port name or range `a:b` as iptables-save prints it (names resolved), or null if invalid. */
export function canonicalPort(value: string): string | null {
  const one = (p: string): number | null => {
    if (/^\d+$/.test(p)) return Number(p) <= 65535 ? Number(p) : null;
    return SERVICE_PORTS[p] ?? null;
  };
  const parts = value.split(':');
  if (parts.length === 1) {
    const p = one(value);
    return p === null ? null : String(p);
  }
  if (parts.length !== 2) return null;
  // `1024:` means up to 65535 (iptables prints it as 1024:65535).
  const lo = parts[0] === '' ? 0 : one(parts[0]);
  const hi = parts[1] === '' ? 65535 : one(parts[1]);
  if (lo === null || hi === null || lo > hi) return null;
  return `${lo}:${hi}`;
}

const ICMP_TYPES: Record<string, string> = {
  'echo-reply': '0', 'destination-unreachable': '3', 'source-quench': '4', redirect: '5', 'echo-request': '8',
  'time-exceeded': '11', 'parameter-problem': '12', 'timestamp-request': '13', 'timestamp-reply': '14',
  'address-mask-request': '17', 'address-mask-reply': '18', 'protocol-unreachable': '3/2', 'port-unreachable': '3/3',
  'network-unreachable': '3/0', 'host-unreachable': '3/1', 'fragmentation-needed': '3/4',
};
const ICMPV6_TYPES: Record<string, string> = {
  'destination-unreachable': '1', 'packet-too-big': '2', 'time-exceeded': '3', 'parameter-problem': '4',
  'echo-request': '128', 'echo-reply': '129', 'router-solicitation': '133', 'router-advertisement': '134',
  'neighbour-solicitation': '135', 'neighbor-solicitation': '135', 'neighbour-advertisement': '136',
  'neighbor-advertisement': '136', redirect: '137',
};

/** `--icmp-type NAME` as iptables-save prints it (numbers; `3/2` for a code). */
export function canonicalIcmpType(value: string, family: 'ipv4' | 'ipv6'): string | null {
  const table = family === 'ipv4' ? ICMP_TYPES : ICMPV6_TYPES;
  if (table[value] !== undefined) return table[value];
  return /^\d+(\/\d+)?$/.test(value) ? value : null;
}

const PROTOCOLS = new Set(['tcp', 'udp', 'icmp', 'icmpv6', 'ipv6-icmp', 'esp', 'ah', 'gre', 'sctp', 'udplite', 'ospf', 'vrrp', 'igmp', 'ipip', 'pim']);

export function isProtocol(value: string): boolean {
  return PROTOCOLS.has(value) || (/^\d+$/.test(value) && Number(value) <= 255);
}

/** Collects problems of one variable's entries with the file's positions. */
export class EntryChecker {
  constructor(
    private readonly file: string,
    readonly problems: ConfigProblem[],
  ) {}

  error(entry: Sfw2Entry, at: SourcePosition, message: string): void {
    this.problems.push({ severity: 'error', file: this.file, line: at.line, column: at.column, message: `${entry.variable} entry ${entry.index} (${entry.text}): ${message}` });
  }

  warn(at: SourcePosition, message: string): void {
    this.problems.push({ severity: 'warning', file: this.file, line: at.line, column: at.column, message });
  }
}

/**
 * yes/no variables. The script tests either `[ "$X" = yes ]` (empty or anything else means no)
 * or `[ "$X" != no ]` (empty or anything else means yes); `test` says which one it uses.
 */
export function yesNo(a: ShellAssignment | undefined, test: 'is-yes' | 'not-no', check: EntryChecker): boolean {
  const value = a?.value ?? '';
  const result = test === 'is-yes' ? value === 'yes' : value !== 'no';
  if (a && value !== '' && value !== 'yes' && value !== 'no') {
    check.warn({ line: a.line, column: a.column }, `${a.name}="${value}" is neither yes nor no; SuSEfirewall2 treats it as ${result ? 'yes' : 'no'}`);
  }
  return result;
}

/**
 * A network as iptables-save prints it after `-s`/`-d`: masked address and prefix length
 * (`192.168.122.10` → `192.168.122.10/32`, `10.1.2.3/255.0.0.0` → `10.0.0.0/8`), `!` kept in front.
 * Only for values networkFamily accepted.
 */
export function saveNetwork(value: string): string {
  const neg = value.startsWith('!');
  const v = neg ? value.slice(1) : value;
  if (v === '0/0') return value;
  const [addr, mask] = v.split('/');
  const parsed = ipaddr.parse(addr);
  const bits = parsed.kind() === 'ipv4' ? 32 : 128;
  const prefix = mask === undefined ? bits : /^\d+$/.test(mask) ? Number(mask) : (ipaddr.IPv4.parse(mask).prefixLengthFromSubnetMask() ?? bits);
  const network = parsed.kind() === 'ipv4' ? ipaddr.IPv4.networkAddressFromCIDR(`${addr}/${prefix}`) : ipaddr.IPv6.networkAddressFromCIDR(`${addr}/${prefix}`);
  return `${neg ? '!' : ''}${network.toString()}/${prefix}`;
}
