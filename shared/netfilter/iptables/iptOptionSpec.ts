// How a match or target module's options are described, and the value
// normalizers they share. A rule is kept as iptables-save prints it (the form
// the kernel stores): options in the module's save order, values converted the
// way the extension's save function writes them (port names → numbers, marks
// in hex, `--syn` → `--tcp-flags FIN,SYN,RST,ACK SYN`, ...). Then
// `iptables -D` by specification and parse → print → parse compare equal.

import type { Family } from '../model.ts';

export interface ModuleContext {
  family: Family;
  /** The rule's `-p` value (canonical name or number) when given and not negated. */
  protocol: string | undefined;
}

/** What a normalizer returns: new values, a renamed option, or null to drop an option that matches everything. */
export type Normalized = string[] | { name: string; values: string[] } | null;

export interface OptionSpec {
  /** Names accepted after `--` (or `-` for one letter); the first is the one iptables-save prints. */
  names: string[];
  /** Number of values (0 for flags). */
  arity: number;
  negatable?: boolean;
  /** Throws Error(message naming the value) for a bad value. */
  normalize?: (values: string[], ctx: ModuleContext) => Normalized;
}

export interface ModuleSpec {
  name: string;
  options: OptionSpec[];
  /** Families the module exists in (libipt_/libip6t_ only); both when absent. */
  family?: Family;
  /** Cross-option checks and defaults after all options were read; throws Error. */
  finalize?: (options: { name: string; values: string[]; negated: boolean }[], ctx: ModuleContext) => void;
}

export function optionError(option: string, value: string, why: string): Error {
  return new Error(`--${option}: "${value}" ${why}`);
}

// ------------------------------------------------------------ shared values

/** A few /etc/services names scripts use; iptables resolves them and prints the number. */
export const SERVICE_PORTS: Readonly<Record<string, number>> = {
  'ftp-data': 20, ftp: 21, ssh: 22, telnet: 23, smtp: 25, domain: 53, bootps: 67, bootpc: 68, tftp: 69,
  http: 80, www: 80, kerberos: 88, pop3: 110, sunrpc: 111, ntp: 123, 'netbios-ns': 137, 'netbios-dgm': 138,
  'netbios-ssn': 139, imap: 143, imap2: 143, snmp: 161, 'snmp-trap': 162, ldap: 389, https: 443,
  'microsoft-ds': 445, isakmp: 500, syslog: 514, submission: 587, ipp: 631, ldaps: 636, rsync: 873,
  imaps: 993, pop3s: 995, openvpn: 1194, nfs: 2049, mysql: 3306, 'ms-wbt-server': 3389, postgresql: 5432,
  mdns: 5353, 'dhcpv6-client': 546, 'dhcpv6-server': 547, 'http-alt': 8080, 'ipsec-nat-t': 4500, bgp: 179,
  dns: 53,
};

export function parsePort(text: string, option: string): number {
  if (/^\d{1,5}$/.test(text)) {
    const n = Number(text);
    if (n <= 65535) return n;
  }
  const named = SERVICE_PORTS[text];
  if (named !== undefined) return named;
  throw optionError(option, text, 'is not a port number (0-65535) or a known service name');
}

/** `22`, `ssh`, `1000:2000`, `:1023`, `1024:` → `22`, `0:1023`, `1024:65535` (libxt_tcp save). */
export function canonicalPortRange(text: string, option: string): string {
  const colon = text.indexOf(':');
  if (colon < 0) return String(parsePort(text, option));
  const lo = colon === 0 ? 0 : parsePort(text.slice(0, colon), option);
  const hiText = text.slice(colon + 1);
  const hi = hiText === '' ? 65535 : parsePort(hiText, option);
  if (lo > hi) throw optionError(option, text, 'is a range whose start is above its end');
  return lo === hi ? String(lo) : `${lo}:${hi}`;
}

/** strtoul(…, 0) as iptables reads marks: decimal, 0x hex, 0 octal. */
export function parseUint32(text: string, option: string): number {
  let n: number;
  if (/^0[xX][0-9a-fA-F]{1,8}$/.test(text)) n = parseInt(text.slice(2), 16);
  else if (/^0[0-7]+$/.test(text)) n = parseInt(text.slice(1), 8);
  else if (/^\d{1,10}$/.test(text)) n = Number(text);
  else throw optionError(option, text, 'is not a number');
  if (n > 0xffffffff) throw optionError(option, text, 'is larger than 32 bits');
  return n;
}

export function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

/** `value[/mask]` → `0xV` or `0xV/0xM` (mask omitted when all ones, as libxt_mark prints it). */
export function canonicalMarkMask(text: string, option: string): string {
  const [v, m, extra] = text.split('/');
  if (extra !== undefined) throw optionError(option, text, 'is not value[/mask]');
  const value = parseUint32(v, option);
  if (m === undefined) return hex(value);
  const mask = parseUint32(m, option);
  return mask === 0xffffffff ? hex(value) : `${hex(value)}/${hex(mask)}`;
}

/** Comma list of names from `allowed` (case-insensitive), printed in `allowed` order (the extensions print bit order). */
export function canonicalFlagList(text: string, option: string, allowed: readonly string[], aliases: Record<string, string> = {}): string {
  const seen = new Set<string>();
  for (const raw of text.split(',')) {
    const upper = raw.trim().toUpperCase();
    const name = aliases[upper] ?? allowed.find((a) => a.toUpperCase() === upper);
    if (!name) throw optionError(option, raw, `is not one of ${allowed.join(', ')}`);
    seen.add(name);
  }
  return allowed.filter((a) => seen.has(a)).join(',');
}

const LIMIT_SCALE = 10000;
const RATE_UNITS: readonly { name: string; seconds: number }[] = [
  { name: 'day', seconds: 86400 },
  { name: 'hour', seconds: 3600 },
  { name: 'min', seconds: 60 },
  { name: 'sec', seconds: 1 },
];
const UNIT_WORDS: readonly [string, number][] = [['second', 1], ['minute', 60], ['hour', 3600], ['day', 86400]];

/**
 * `--limit 3/minute` → `3/min`, `60/min` → `1/sec` (libxt_limit: the kernel keeps a period
 * of XT_LIMIT_SCALE·unit/rate; print_rate picks the largest unit that shows it exactly).
 */
export function canonicalLimitRate(text: string, option: string): string {
  const m = /^(\d+)(?:\/([a-zA-Z]+))?$/.exec(text);
  if (!m) throw optionError(option, text, 'is not a rate like 3/min');
  const rate = Number(m[1]);
  let unitSeconds = 1;
  if (m[2]) {
    const unit = m[2].toLowerCase();
    const found = UNIT_WORDS.find(([w]) => w.startsWith(unit));
    if (!found) throw optionError(option, text, 'has an unknown unit (use sec, min, hour or day)');
    unitSeconds = found[1];
  }
  if (rate === 0) throw optionError(option, text, 'is a zero rate');
  const period = Math.floor((LIMIT_SCALE * unitSeconds) / rate);
  if (period === 0) throw optionError(option, text, 'is too fast (more than 10000/sec)');
  let i = 1;
  for (; i < RATE_UNITS.length; i++) {
    const mult = RATE_UNITS[i].seconds * LIMIT_SCALE;
    if (period > mult || Math.floor(mult / period) < mult % period) break;
  }
  const chosen = RATE_UNITS[i - 1];
  return `${Math.floor((chosen.seconds * LIMIT_SCALE) / period)}/${chosen.name}`;
}

export function canonicalUint(text: string, option: string, max: number): string {
  if (!/^\d+$/.test(text) || Number(text) > max) throw optionError(option, text, `is not a number from 0 to ${max}`);
  return String(Number(text));
}

export function canonicalUintRange(text: string, option: string, max: number): string {
  const [a, b, extra] = text.split(':');
  if (extra !== undefined) throw optionError(option, text, 'is not N or N:M');
  const lo = Number(canonicalUint(a, option, max));
  const hi = b === undefined ? lo : Number(canonicalUint(b, option, max));
  if (lo > hi) throw optionError(option, text, 'is a range whose start is above its end');
  return lo === hi ? String(lo) : `${lo}:${hi}`;
}

export function requireNonEmpty(text: string, option: string, maxLength: number): string {
  if (text.length > maxLength) throw optionError(option, text.slice(0, 40), `is longer than ${maxLength} characters`);
  return text;
}
