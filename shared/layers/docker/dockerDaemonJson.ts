// /etc/docker/daemon.json: the settings that decide what dockerd does to the
// host firewall (docs.docker.com "Packet filtering and firewalls", dockerd
// reference): iptables, ip6tables, ip-forward, ip-forward-no-drop (28.0+),
// firewall-backend (29+, experimental nftables), icc, userland-proxy, bip,
// ipv6, fixed-cidr-v6. Unknown keys are kept when the file is written back.

import ipaddr from 'ipaddr.js';
import type { ConfigProblem } from '../layerActions.ts';

export const DOCKER_DAEMON_JSON_PATH = '/etc/docker/daemon.json';

export interface DockerDaemonConfig {
  iptables: boolean;
  /** undefined = the version's default (on since 27.0). */
  ip6tables?: boolean;
  ipForward: boolean;
  ipForwardNoDrop: boolean;
  firewallBackend: 'iptables' | 'nftables';
  icc: boolean;
  userlandProxy: boolean;
  /** Bridge IP of docker0 with prefix, e.g. 172.17.0.1/16. */
  bip: string;
  /** docker0 subnet derived from bip, e.g. 172.17.0.0/16. */
  subnet: string;
  ipv6: boolean;
  /** fixed-cidr-v6: docker0's IPv6 subnet (network address form, e.g. fd00:d0c::/64), when set. */
  fixedCidrV6?: string;
  /** The object as read (unknown keys included). */
  raw: Record<string, unknown>;
}

export interface ParsedDaemonJson {
  config: DockerDaemonConfig;
  problems: ConfigProblem[];
}

const DEFAULT_BIP = '172.17.0.1/16';

function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** Where a key's value starts, for positioned messages (first occurrence). */
function keyPosition(text: string, key: string): { line: number; column: number } {
  const i = text.indexOf(`"${key}"`);
  return i < 0 ? { line: 1, column: 1 } : position(text, i);
}

export function parseDaemonJson(text: string, file = DOCKER_DAEMON_JSON_PATH): ParsedDaemonJson {
  const problems: ConfigProblem[] = [];
  let raw: Record<string, unknown> = {};
  if (text.trim() !== '') {
    try {
      const v: unknown = JSON.parse(text);
      if (v && typeof v === 'object' && !Array.isArray(v)) raw = v as Record<string, unknown>;
      else problems.push({ severity: 'error', file, line: 1, column: 1, message: 'daemon.json must contain a JSON object' });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const m = /position (\d+)/.exec(message);
      const at = m ? position(text, Number(m[1])) : { line: 1, column: 1 };
      problems.push({ severity: 'error', file, ...at, message: `daemon.json is not valid JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}` });
    }
  }
  const bool = (key: string, fallback: boolean | undefined): boolean | undefined => {
    const v = raw[key];
    if (v === undefined) return fallback;
    if (typeof v === 'boolean') return v;
    problems.push({ severity: 'error', file, ...keyPosition(text, key), message: `"${key}" must be true or false, not ${JSON.stringify(v)}` });
    return fallback;
  };
  const backend = raw['firewall-backend'];
  if (backend !== undefined && backend !== 'iptables' && backend !== 'nftables') {
    problems.push({ severity: 'error', file, ...keyPosition(text, 'firewall-backend'), message: `"firewall-backend" must be "iptables" or "nftables", not ${JSON.stringify(backend)}` });
  }
  let bip = DEFAULT_BIP;
  let subnet = '172.17.0.0/16';
  if (raw.bip !== undefined) {
    const v = String(raw.bip);
    try {
      const [addr, len] = ipaddr.parseCIDR(v);
      if (addr.kind() !== 'ipv4') throw new Error('not IPv4');
      bip = v;
      subnet = `${ipaddr.IPv4.networkAddressFromCIDR(v).toString()}/${len}`;
    } catch {
      problems.push({ severity: 'error', file, ...keyPosition(text, 'bip'), message: `"bip" must be an IPv4 address with prefix like 172.17.0.1/16, not ${JSON.stringify(raw.bip)}` });
    }
  }
  const config: DockerDaemonConfig = {
    iptables: bool('iptables', true) ?? true,
    ipForward: bool('ip-forward', true) ?? true,
    ipForwardNoDrop: bool('ip-forward-no-drop', false) ?? false,
    firewallBackend: backend === 'nftables' ? 'nftables' : 'iptables',
    icc: bool('icc', true) ?? true,
    userlandProxy: bool('userland-proxy', true) ?? true,
    bip,
    subnet,
    ipv6: bool('ipv6', false) ?? false,
    raw,
  };
  if (raw['fixed-cidr-v6'] !== undefined) {
    const v = String(raw['fixed-cidr-v6']);
    try {
      const [addr, len] = ipaddr.parseCIDR(v);
      if (addr.kind() !== 'ipv6') throw new Error('not IPv6');
      config.fixedCidrV6 = `${ipaddr.IPv6.networkAddressFromCIDR(v).toString()}/${len}`;
    } catch {
      problems.push({ severity: 'error', file, ...keyPosition(text, 'fixed-cidr-v6'), message: `"fixed-cidr-v6" must be an IPv6 prefix like fd00:d0c::/64, not ${JSON.stringify(raw['fixed-cidr-v6'])}` });
    }
  }
  const ip6 = bool('ip6tables', undefined);
  if (ip6 !== undefined) config.ip6tables = ip6;
  return { config, problems };
}

/** Writes keys back; unknown keys and key order are kept (formatting becomes 2-space JSON). */
export function writeDaemonJson(text: string, updates: Record<string, unknown>): string {
  let raw: Record<string, unknown> = {};
  try {
    const v: unknown = text.trim() ? JSON.parse(text) : {};
    if (v && typeof v === 'object' && !Array.isArray(v)) raw = v as Record<string, unknown>;
  } catch {
    raw = {};
  }
  for (const [k, v] of Object.entries(updates)) {
    if (v === undefined || v === null) delete raw[k];
    else raw[k] = v;
  }
  return `${JSON.stringify(raw, null, 2)}\n`;
}
