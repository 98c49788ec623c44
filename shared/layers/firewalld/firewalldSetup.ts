// firewalld's effective configuration at start: firewalld.conf, the zones and
// policies (files in /etc/firewalld override the shipped ones of the same
// name), and which interface or source is bound to which zone — from the zone
// files, from the layer settings (`interface:eth1` = `public`, what
// NetworkManager's connection.zone or ifcfg ZONE= would say), and from libvirt,
// which puts each network's bridge into zone `libvirt` (≥ 5.1), `libvirt-routed`
// for routed networks (≥ 8.10, when the policies exist) or the `<bridge
// zone=…>` zone (bridge_driver_linux.c networkAddFirewallRules;
// firewall-layers.md §0 fact 8, §2 facts 10–11). Version gates: nftables backend
// from 0.6, rich-rule priority 0.7, policies 0.9, `<forward/>` 1.0.

import type { LabNetwork } from '../../lab/labModel.ts';
import { forwardModeOf } from '../../libvirt/networkModel.ts';
import { parseNetworkXml } from '../../libvirt/parseNetworkXml.ts';
import { writtenBridgeName } from '../../libvirt/networkAddressing.ts';
import { versionAtLeast, type ConfigProblem } from '../layerActions.ts';
import { lastAssignment, parseShellVariables } from '../susefirewall2/shellVariableFile.ts';
import { ETC_POLICIES_DIR, ETC_ZONES_DIR, FIREWALLD_CONF_PATH, LIBVIRT_POLICIES, LIBVIRT_ZONES, SHIPPED_POLICIES, SHIPPED_ZONES } from './firewalldShippedFiles.ts';
import { readStrictForwardPorts } from './firewalldStrictForwardPorts.ts';
import { firewalldTableFlags } from './firewalldTableOwner.ts';
import { policyForwardPortProblems } from './firewalldPolicyForwardPorts.ts';
import { parsePolicyXml, parseZoneXml, type FirewalldPolicy, type FirewalldZone } from './firewalldXml.ts';

export interface FirewalldConf {
  backend: 'nftables' | 'iptables';
  defaultZone: string;
  flushAllOnReload: boolean;
  strictForwardPorts: boolean;
  logDenied: 'off' | 'all' | 'unicast' | 'broadcast' | 'multicast';
  ipv6Rpfilter: string;
  /** RFC3964_IPv4=yes (default): IPv6 to 6to4 addresses of private/special IPv4 ranges is rejected (forward, output). */
  rfc3964Ipv4: boolean;
  /** `add table inet firewalld { flags …; }`: owner,persist when firewalld ≥ 2.2 wants and the host's nft supports them (firewalldTableOwner.ts). */
  tableFlags: string[];
}

export interface ZoneBinding {
  zone: string;
  interface?: string;
  source?: string;
  /** Why it is bound ("zone file public.xml line 5", "libvirt 9.0: network deb bridge virbr3"). */
  reason: string;
}

export interface FirewalldSetup {
  version: string;
  conf: FirewalldConf;
  zones: Map<string, FirewalldZone>;
  policies: Map<string, FirewalldPolicy>;
  bindings: ZoneBinding[];
  problems: ConfigProblem[];
  notes: string[];
}

export interface FirewalldSetupInput {
  version: string;
  files: Record<string, string>;
  settings: Record<string, string | number | boolean>;
  /** libvirt version on the host ('' = none), for its zone files and bridge assignment. */
  libvirtVersion: string;
  networks: LabNetwork[];
}

export function parseFirewalldConf(text: string | undefined, version: string, problems: ConfigProblem[], nftVersion?: string, notes: string[] = []): FirewalldConf {
  const vars = parseShellVariables(text ?? '', FIREWALLD_CONF_PATH);
  problems.push(...vars.problems);
  const get = (k: string) => lastAssignment(vars, k);
  const yesNo = (k: string, fallback: boolean): boolean => {
    const v = get(k)?.value;
    if (v === undefined || v === '') return fallback;
    if (/^(yes|true)$/i.test(v)) return true;
    if (/^(no|false)$/i.test(v)) return false;
    const a = get(k);
    problems.push({ severity: 'warning', file: FIREWALLD_CONF_PATH, line: a?.line ?? 1, column: a?.column ?? 1, message: `${k}=${v} is not yes or no; read as ${fallback ? 'yes' : 'no'}` });
    return fallback;
  };
  const backendRaw = get('FirewallBackend')?.value ?? '';
  let backend: FirewalldConf['backend'] = versionAtLeast(version, '0.6') ? 'nftables' : 'iptables';
  if (backendRaw === 'nftables' || backendRaw === 'iptables') backend = backendRaw;
  else if (backendRaw !== '') {
    const a = get('FirewallBackend');
    problems.push({ severity: 'error', file: FIREWALLD_CONF_PATH, line: a?.line ?? 1, column: (a?.column ?? 1) + 'FirewallBackend='.length, message: `FirewallBackend=${backendRaw} is not nftables or iptables` });
  }
  if (backend === 'nftables' && !versionAtLeast(version, '0.6')) {
    problems.push({ severity: 'warning', file: FIREWALLD_CONF_PATH, line: get('FirewallBackend')?.line ?? 1, column: 1, message: `firewalld ${version} has no nftables backend (added in 0.6.0); it uses iptables` });
    backend = 'iptables';
  }
  const log = get('LogDenied')?.value ?? 'off';
  const owner = firewalldTableFlags(version, get('NftablesTableOwner'), nftVersion, problems);
  if (owner.note && backend === 'nftables') notes.push(owner.note);
  return {
    backend,
    defaultZone: get('DefaultZone')?.value || 'public',
    flushAllOnReload: yesNo('FlushAllOnReload', true),
    strictForwardPorts: readStrictForwardPorts(get('StrictForwardPorts'), version, problems),
    logDenied: (['off', 'all', 'unicast', 'broadcast', 'multicast'] as const).find((l) => l === log) ?? 'off',
    ipv6Rpfilter: get('IPv6_rpfilter')?.value ?? 'yes',
    rfc3964Ipv4: yesNo('RFC3964_IPv4', true),
    tableFlags: owner.flags,
  };
}

const baseName = (path: string): string => path.slice(path.lastIndexOf('/') + 1).replace(/\.xml$/, '');

/** Which zone libvirt puts each running network's bridge into when firewalld runs. */
export function libvirtZoneBindings(networks: LabNetwork[], libvirtVersion: string, firewalldVersion: string, zones: Map<string, FirewalldZone>, policies: Map<string, FirewalldPolicy>): { bindings: ZoneBinding[]; notes: string[] } {
  const bindings: ZoneBinding[] = [];
  const notes: string[] = [];
  for (const n of networks) {
    const parsed = parseNetworkXml(n.xml);
    if (!parsed.network) continue;
    const bridge = writtenBridgeName(parsed.network);
    if (!bridge) continue;
    const mode = forwardModeOf(parsed.network);
    const label = `libvirt ${libvirtVersion}: network ${parsed.network.name} bridge ${bridge}`;
    if (parsed.network.bridge?.zone) {
      bindings.push({ zone: parsed.network.bridge.zone, interface: bridge, reason: `${label}, <bridge zone='${parsed.network.bridge.zone}'>` });
      continue;
    }
    if (!['none', 'nat', 'route'].includes(mode)) continue;
    if (!versionAtLeast(libvirtVersion, '5.1')) {
      notes.push(`${label}: libvirt < 5.1 does not put the bridge into a firewalld zone; it falls into the default zone`);
      continue;
    }
    const routed = mode === 'route' && versionAtLeast(libvirtVersion, '8.10') && versionAtLeast(firewalldVersion, '0.9') && zones.has('libvirt-routed') && policies.has('libvirt-routed-out');
    const zone = routed ? 'libvirt-routed' : 'libvirt';
    if (!zones.has(zone)) notes.push(`${label}: zone ${zone} does not exist; with the nftables backend libvirt refuses to start the network`);
    bindings.push({ zone, interface: bridge, reason: `${label} (${mode === 'none' ? 'isolated' : mode}) put into zone ${zone} by libvirt` });
  }
  return { bindings, notes };
}

export function buildFirewalldSetup(input: FirewalldSetupInput): FirewalldSetup {
  const problems: ConfigProblem[] = [];
  const notes: string[] = [];
  const { version } = input;
  // Layer setting `nftables`: the host's nftables version (decides the table flags).
  const nftVersion = typeof input.settings.nftables === 'string' ? input.settings.nftables : undefined;
  const conf = parseFirewalldConf(input.files[FIREWALLD_CONF_PATH], version, problems, nftVersion, notes);
  const zones = new Map<string, FirewalldZone>();
  const policies = new Map<string, FirewalldPolicy>();

  const shippedZone = (name: string): boolean => LIBVIRT_ZONES[name] === undefined || versionAtLeast(input.libvirtVersion, LIBVIRT_ZONES[name]);
  for (const [name, text] of Object.entries(SHIPPED_ZONES)) {
    if (!shippedZone(name)) continue;
    const { zone } = parseZoneXml(text, `/usr/lib/firewalld/zones/${name}.xml`, name);
    if (!zone) continue;
    // Shipped zones carry <forward/> only from firewalld 1.0.0 on.
    if (!versionAtLeast(version, '1.0') && LIBVIRT_ZONES[name] === undefined) zone.forward = null;
    zones.set(name, zone);
  }
  for (const [path, text] of Object.entries(input.files)) {
    if (!path.startsWith(ETC_ZONES_DIR) || !path.endsWith('.xml')) continue;
    const { zone, problems: p } = parseZoneXml(text, path, baseName(path));
    problems.push(...p);
    if (zone) zones.set(zone.name, zone);
  }
  if (versionAtLeast(version, '0.9')) {
    for (const [name, text] of Object.entries(SHIPPED_POLICIES)) {
      if (LIBVIRT_POLICIES[name] !== undefined && !versionAtLeast(input.libvirtVersion, LIBVIRT_POLICIES[name])) continue;
      const { policy } = parsePolicyXml(text, `/usr/lib/firewalld/policies/${name}.xml`, name);
      if (policy) policies.set(name, policy);
    }
  }
  for (const [path, text] of Object.entries(input.files)) {
    if (!path.startsWith(ETC_POLICIES_DIR) || !path.endsWith('.xml')) continue;
    if (!versionAtLeast(version, '0.9')) {
      problems.push({ severity: 'warning', file: path, line: 1, column: 1, message: `firewalld ${version} has no policies (added in 0.9.0); ${path} is ignored` });
      continue;
    }
    const { policy, problems: p } = parsePolicyXml(text, path, baseName(path));
    problems.push(...p);
    if (policy) policies.set(policy.name, policy);
  }
  for (const z of zones.values()) {
    if (z.forward && !versionAtLeast(version, '1.0')) {
      problems.push({ severity: 'warning', file: z.file, line: z.forward.line, column: 1, message: `<forward/> needs firewalld 1.0 (this is ${version}); ignored` });
      z.forward = null;
    }
    for (const r of z.richRules) {
      if (r.priority !== 0 && !versionAtLeast(version, '0.7')) {
        problems.push({ severity: 'error', file: z.file, line: r.line, column: 1, message: `rich rule priority needs firewalld 0.7 (this is ${version}); firewalld ${version} refuses the zone file` });
        r.priority = 0;
      }
    }
  }
  problems.push(...policyForwardPortProblems(policies, zones));
  if (!zones.has(conf.defaultZone)) problems.push({ severity: 'error', file: FIREWALLD_CONF_PATH, line: 1, column: 1, message: `DefaultZone=${conf.defaultZone} does not exist` });

  // Bindings: zone files first, then settings (NetworkManager/ifcfg), then libvirt's bridges.
  const bindings: ZoneBinding[] = [];
  const bound = new Map<string, string>();
  const bind = (b: ZoneBinding): void => {
    const key = b.interface ? `if:${b.interface}` : `src:${b.source}`;
    const prev = bound.get(key);
    if (prev && prev !== b.zone) {
      notes.push(`${b.interface ?? b.source} is already in zone ${prev}; ${b.reason} moves it to ${b.zone}`);
      const i = bindings.findIndex((x) => (x.interface ?? x.source) === (b.interface ?? b.source));
      bindings.splice(i, 1);
    } else if (prev) return;
    if (!zones.has(b.zone)) {
      notes.push(`${b.reason}: zone ${b.zone} does not exist`);
      return;
    }
    bound.set(key, b.zone);
    bindings.push(b);
  };
  for (const z of zones.values()) {
    for (const i of z.interfaces) bind({ zone: z.name, interface: i.value, reason: `${z.file} line ${i.line}: <interface name="${i.value}"/>` });
    for (const s of z.sources) bind({ zone: z.name, source: s.value, reason: `${z.file} line ${s.line}: <source address="${s.value}"/>` });
  }
  for (const [k, v] of Object.entries(input.settings)) {
    const m = /^interface:(.+)$/.exec(k);
    if (m && typeof v === 'string') bind({ zone: v, interface: m[1], reason: `layer setting: interface ${m[1]} in zone ${v} (NetworkManager connection.zone / ifcfg ZONE=)` });
  }
  if (input.libvirtVersion) {
    const lv = libvirtZoneBindings(input.networks, input.libvirtVersion, version, zones, policies);
    notes.push(...lv.notes);
    for (const b of lv.bindings) bind(b);
  }
  return { version, conf, zones, policies, bindings, problems, notes };
}
