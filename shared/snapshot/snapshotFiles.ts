// Reading a snapshot folder written by `virtwall collect` (collectScript.ts):
// every file is optional; what is missing or unreadable is listed so the
// verdicts can say what the snapshot could not see. Formats:
// - ip-addr.json / ip-link.json / ip-route.json: `ip -j` (iproute2) output;
// - sysctl.txt: `key = value` lines (interface names with dots appear as
//   sysctl prints them, with `/`);
// - ss-listen.txt: `ss -H -l -n -t -u` (Netid State Recv-Q Send-Q Local Peer);
// - versions.txt: `tool: version` lines; iptables' line says (nf_tables) or (legacy).

export interface SnapshotAddress {
  iface: string;
  address: string;
  prefix: number;
}

export interface SnapshotLink {
  name: string;
  up: boolean;
  kind?: string;
  /** The bridge this link is a port of. */
  master?: string;
  addresses: SnapshotAddress[];
}

export interface SnapshotRoute {
  dst: string;
  gateway?: string;
  dev?: string;
  metric: number;
  prefsrc?: string;
  type: 'unicast' | 'blackhole' | 'unreachable' | 'prohibit' | 'other';
  text: string;
}

export interface SnapshotListen {
  proto: 'tcp' | 'udp';
  /** null = every address. */
  address: string | null;
  port: number;
}

export interface SnapshotData {
  links: SnapshotLink[];
  routes: SnapshotRoute[];
  sysctl: Map<string, string>;
  listens: SnapshotListen[] | null;
  versions: Map<string, string>;
  /** What the snapshot could not see (missing.txt lines, absent or unreadable files). */
  missing: string[];
  files: Record<string, string>;
}

type Json = Record<string, unknown>;

function jsonArray(files: Record<string, string>, name: string, missing: string[]): Json[] {
  const text = files[name];
  if (text === undefined) {
    missing.push(`${name}: not in the snapshot`);
    return [];
  }
  try {
    const v: unknown = JSON.parse(text);
    if (Array.isArray(v)) return v.filter((x): x is Json => typeof x === 'object' && x !== null);
    missing.push(`${name}: not a JSON array`);
  } catch (e) {
    missing.push(`${name}: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  return [];
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function readLinks(files: Record<string, string>, missing: string[]): SnapshotLink[] {
  const byName = new Map<string, SnapshotLink>();
  for (const l of jsonArray(files, 'ip-link.json', missing)) {
    const name = str(l.ifname);
    if (!name) continue;
    const info = (l.linkinfo ?? {}) as Json;
    const flags = Array.isArray(l.flags) ? (l.flags as unknown[]) : [];
    byName.set(name, { name, up: flags.includes('UP'), kind: str(info.info_kind), master: str(l.master), addresses: [] });
  }
  for (const a of jsonArray(files, 'ip-addr.json', missing)) {
    const name = str(a.ifname);
    if (!name) continue;
    let link = byName.get(name);
    const flags = Array.isArray(a.flags) ? (a.flags as unknown[]) : [];
    if (!link) byName.set(name, (link = { name, up: flags.includes('UP'), addresses: [], ...(str(a.master) ? { master: str(a.master) } : {}) }));
    for (const ai of Array.isArray(a.addr_info) ? (a.addr_info as Json[]) : []) {
      if (ai.family !== 'inet') continue;
      const local = str(ai.local);
      const prefix = typeof ai.prefixlen === 'number' ? ai.prefixlen : Number(ai.prefixlen);
      if (local && Number.isInteger(prefix)) link.addresses.push({ iface: name, address: local, prefix });
    }
  }
  return [...byName.values()];
}

export function readRoutes(files: Record<string, string>, missing: string[]): SnapshotRoute[] {
  const out: SnapshotRoute[] = [];
  for (const r of jsonArray(files, 'ip-route.json', missing)) {
    const dst = str(r.dst);
    if (!dst) continue;
    const t = str(r.type) ?? 'unicast';
    const type: SnapshotRoute['type'] = t === 'unicast' || t === 'blackhole' || t === 'unreachable' || t === 'prohibit' ? t : 'other';
    const metric = typeof r.metric === 'number' ? r.metric : 0;
    const route: SnapshotRoute = { dst, metric, type, text: '' };
    // Multipath routes list their next hops; the simulator follows the first (the kernel hashes per flow).
    const hops = Array.isArray(r.nexthops) ? (r.nexthops as Json[]) : [];
    const gw = str(r.gateway) ?? (hops[0] ? str(hops[0].gateway) : undefined);
    const dev = str(r.dev) ?? (hops[0] ? str(hops[0].dev) : undefined);
    if (hops.length > 1) missing.push(`ip-route.json: ${dst} has ${hops.length} next hops; only the first is simulated`);
    const src = str(r.prefsrc);
    if (gw) route.gateway = gw;
    if (dev) route.dev = dev;
    if (src) route.prefsrc = src;
    route.text = [type !== 'unicast' ? type : '', dst, gw ? `via ${gw}` : '', dev ? `dev ${dev}` : '', str(r.protocol) ? `proto ${str(r.protocol)}` : '', src ? `src ${src}` : '', metric ? `metric ${metric}` : ''].filter(Boolean).join(' ');
    out.push(route);
  }
  return out;
}

export function readSysctl(text: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of (text ?? '').split('\n')) {
    const m = /^\s*([^#=\s][^=]*?)\s*=\s*(.*?)\s*$/.exec(line);
    if (m && m[2] !== '?') out.set(m[1], m[2]);
  }
  return out;
}

/** `0.0.0.0:22`, `*:22`, `[::]:22`, `192.168.10.1%virbr3:53`, `[fe80::1]%eth0:53`. */
function parseLocal(text: string): { address: string | null; port: number } | null {
  const colon = text.lastIndexOf(':');
  if (colon === -1) return null;
  const port = Number(text.slice(colon + 1));
  if (!Number.isInteger(port)) return null;
  let host = text.slice(0, colon).replace(/%[^%\]]*$/, '');
  if (host.startsWith('[')) host = host.slice(1, host.indexOf(']'));
  const any = host === '*' || host === '0.0.0.0' || host === '::';
  if (!any && host.includes(':')) return { address: 'v6-only', port };
  return { address: any ? null : host, port };
}

export function readListens(text: string | undefined): SnapshotListen[] | null {
  if (text === undefined) return null;
  const out: SnapshotListen[] = [];
  for (const line of text.split('\n')) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 5) continue;
    const proto = cols[0] === 'tcp' ? 'tcp' : cols[0] === 'udp' ? 'udp' : null;
    if (!proto) continue;
    const local = parseLocal(cols[4]);
    if (!local || local.address === 'v6-only') continue;
    out.push({ proto, address: local.address, port: local.port });
  }
  return out;
}

export function readVersions(text: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of (text ?? '').split('\n')) {
    const i = line.indexOf(':');
    if (i > 0) out.set(line.slice(0, i).trim(), line.slice(i + 1).trim());
  }
  return out;
}

/** Policy routing beyond the three default rules (local, main, default) is not simulated: say so. */
function policyRulesNote(files: Record<string, string>, missing: string[]): void {
  const text = files['ip-rule.json'];
  if (text === undefined) return;
  try {
    const rules = JSON.parse(text) as Json[];
    const extra = rules.filter((r) => !['local', 'main', 'default'].includes(String(r.table)) || r.src !== undefined && r.src !== 'all');
    if (extra.length) missing.push(`ip-rule.json: ${extra.length} policy routing rule(s) (e.g. table ${String(extra[0].table)}) are not simulated: only the main table is used`);
  } catch {
    missing.push('ip-rule.json: not valid JSON');
  }
}

export function readSnapshot(files: Record<string, string>): SnapshotData {
  const missing = (files['missing.txt'] ?? '').split('\n').map((l) => l.trim()).filter(Boolean);
  policyRulesNote(files, missing);
  const links = readLinks(files, missing);
  const routes = readRoutes(files, missing);
  if (files['sysctl.txt'] === undefined) missing.push('sysctl.txt: not in the snapshot');
  if (files['ss-listen.txt'] === undefined) missing.push('ss-listen.txt: not in the snapshot (what the host listens on is unknown)');
  for (const f of ['iptables-save.txt', 'nft-ruleset.txt']) if (files[f] === undefined && !missing.some((m) => m.startsWith(f))) missing.push(`${f}: not in the snapshot`);
  return { links, routes, sysctl: readSysctl(files['sysctl.txt']), listens: readListens(files['ss-listen.txt']), versions: readVersions(files['versions.txt']), missing, files };
}

/** net.ipv4.conf.IFACE.KEY as the collect script writes it, or as sysctl(8) prints it (dots in names become '/'). */
export function confValue(sysctl: ReadonlyMap<string, string>, iface: string, key: string): string | undefined {
  return sysctl.get(`net.ipv4.conf.${iface}.${key}`) ?? sysctl.get(`net.ipv4.conf.${iface.replace(/\./g, '/')}.${key}`);
}
