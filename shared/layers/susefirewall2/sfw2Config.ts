// /etc/sysconfig/SuSEfirewall2 as a structured config: the variables the
// generator uses, with the built-in defaults applied the way the script does
// (set_defaults() fills empty variables from SuSEfirewall2.defaults:
// FW_MASQ_DEV="zone:ext", FW_MASQ_NETS="0/0", FW_PROTECT_FROM_INT="no",
// FW_IGNORE_FW_BROADCAST_EXT="yes", FW_REJECT_INT="yes"), and every list entry
// validated with its position in the file.

import type { ConfigProblem } from '../layerActions.ts';
import { lastAssignment, parseShellVariables, setShellVariables, type ShellVariableFile } from './shellVariableFile.ts';
import { canonicalPort, entriesOf, EntryChecker, yesNo, type Sfw2Entry } from './sfw2Values.ts';
import { readForwardRules, readMasqNets, readTrustedNets, type Sfw2ForwardRule, type Sfw2MasqNet, type Sfw2TrustedNet } from './sfw2Entries.ts';
import { readServiceRules, type Sfw2ServiceKind, type Sfw2ServiceRule } from './sfw2ServiceEntries.ts';
import { readForwardMasq, readRedirects, type Sfw2ForwardMasq, type Sfw2Redirect } from './sfw2NatEntries.ts';
import { readConfigurations, serviceFileLookup, type Sfw2ServiceFileLookup } from './sfw2Configurations.ts';

export type { Sfw2ForwardRule, Sfw2MasqNet, Sfw2TrustedNet } from './sfw2Entries.ts';
export type { Sfw2ServiceRule } from './sfw2ServiceEntries.ts';
export type { Sfw2ForwardMasq, Sfw2Redirect } from './sfw2NatEntries.ts';

export const SFW2_SYSCONFIG_PATH = '/etc/sysconfig/SuSEfirewall2';

/** SuSEfirewall2.defaults (openSUSE/susefirewall2): applied when the variable is empty. */
const DEFAULTS: Record<string, string> = {
  FW_MASQ_DEV: 'zone:ext',
  FW_MASQ_NETS: '0/0',
  FW_PROTECT_FROM_INT: 'no',
  FW_IGNORE_FW_BROADCAST_EXT: 'yes',
  FW_REJECT_INT: 'yes',
};

export interface Sfw2ZoneServices {
  tcp: Sfw2Entry[];
  udp: Sfw2Entry[];
  ip: Sfw2Entry[];
}

export interface Sfw2Config {
  /** int ext dmz plus FW_ZONES, in the script's order. */
  zones: string[];
  /** FW_DEV_<ZONE> words as written (`any`, `auto`, names). */
  devices: Record<string, Sfw2Entry[]>;
  /** FW_ZONE_DEFAULT: '' = automatic (ext unless a zone has `any`), 'no' = none. */
  zoneDefault: string;
  autodetectInterfaces: boolean;
  route: { ipv4: boolean; ipv6: boolean; raw: string };
  forward: Sfw2ForwardRule[];
  forwardReject: Sfw2ForwardRule[];
  forwardDrop: Sfw2ForwardRule[];
  masquerade: boolean;
  masqDev: Sfw2Entry[];
  masqNets: Sfw2MasqNet[];
  nomasqNets: Sfw2MasqNet[];
  services: Record<string, Sfw2ZoneServices>;
  trustedNets: Sfw2TrustedNet[];
  /** FW_SERVICES_ACCEPT_/DROP_/REJECT_/ACCEPT_RELATED_<ZONE> by kind and zone (RELATED includes FW_CONFIGURATIONS_* files' RELATED). */
  serviceRules: Record<Sfw2ServiceKind, Record<string, Sfw2ServiceRule[]>>;
  /** FW_LEGACY_ACCEPT_FIRST=yes: FW_SERVICES_DROP/REJECT_* come after the accepting services. */
  legacyAcceptFirst: boolean;
  forwardMasq: Sfw2ForwardMasq[];
  redirect: Sfw2Redirect[];
  /** FW_IPSEC_TRUST as a zone ('' = no: IPsec packets belong to the zone of their interface). */
  ipsecTrust: string;
  allowPingFw: boolean;
  allowPing: Record<string, boolean>;
  reject: Record<string, boolean>;
  /** FW_REJECT: reject instead of drop everywhere (the DROP target becomes reject_func). */
  rejectAll: boolean;
  forwardAllowBridging: 'yes' | 'no' | 'auto';
  forwardAlwaysInoutDev: Sfw2Entry[];
  protectFrom: Record<string, 'yes' | 'no' | 'notrack'>;
  allowFwBroadcast: Record<string, string[]>;
  ignoreFwBroadcast: Record<string, string[]>;
  allowClassRouting: string;
  kernelSecurity: boolean;
  stopKeepRoutingState: boolean;
  bootFullInit: boolean;
  log: { dropCrit: boolean; dropAll: boolean; acceptCrit: boolean; acceptAll: boolean; limit: string; custom: string };
  customRules: string;
  /** Effective values after defaults, by variable name (for anything not structured above). */
  values: Record<string, string>;
}

export interface ParsedSfw2Config {
  config: Sfw2Config;
  problems: ConfigProblem[];
  variables: ShellVariableFile;
}

const upper = (zone: string): string => (['int', 'ext', 'dmz'].includes(zone) ? zone.toUpperCase() : zone);

export interface Sfw2ParseOptions {
  /** Where FW_CONFIGURATIONS_* names are looked up (default: the shipped copies only). */
  serviceFile?: Sfw2ServiceFileLookup;
}

export function parseSfw2Config(text: string, file = SFW2_SYSCONFIG_PATH, options: Sfw2ParseOptions = {}): ParsedSfw2Config {
  const variables = parseShellVariables(text, file);
  const problems = [...variables.problems];
  const check = new EntryChecker(file, problems);
  const get = (name: string) => {
    const a = lastAssignment(variables, name);
    if (a && a.value !== '') return a;
    if (DEFAULTS[name] === undefined) return a;
    const d = DEFAULTS[name];
    return { name, value: d, positions: [...d].map(() => ({ line: a?.line ?? 0, column: a?.column ?? 0 })), line: a?.line ?? 0, column: a?.column ?? 0, start: 0, end: 0, quote: '"' as const };
  };
  const str = (name: string): string => get(name)?.value ?? '';
  const entries = (name: string): Sfw2Entry[] => entriesOf(get(name));

  const zones = ['int', 'ext', 'dmz'];
  for (const e of entries('FW_ZONES')) {
    if (['int', 'ext', 'dmz'].includes(e.text.toLowerCase())) check.warn(e.at, `FW_ZONES=${e.text} ignored: built-in zone`);
    else if (!/^[A-Za-z0-9]+$/.test(e.text)) check.warn(e.at, `ignoring invalid zone name ${e.text} in FW_ZONES`);
    else zones.push(e.text);
  }

  const forwardRules = (name: string) => readForwardRules(get(name), check);
  const masqNets = (name: string) => readMasqNets(get(name), check);
  const trusted = readTrustedNets(get('FW_TRUSTED_NETS'), check);

  const services: Record<string, Sfw2ZoneServices> = {};
  const perZone = <T>(f: (z: string) => T): Record<string, T> => Object.fromEntries(zones.map((z) => [z, f(z)]));
  const lookup = options.serviceFile ?? serviceFileLookup();
  const serviceRules: Record<Sfw2ServiceKind, Record<string, Sfw2ServiceRule[]>> = { ACCEPT: {}, DROP: {}, REJECT: {}, ACCEPT_RELATED: {} };
  const extraBroadcast: Record<string, string[]> = {};
  for (const z of zones) {
    const tcp = entries(`FW_SERVICES_${upper(z)}_TCP`);
    const udp = entries(`FW_SERVICES_${upper(z)}_UDP`);
    for (const e of [...tcp, ...udp]) if (canonicalPort(e.text) === null) check.error(e, e.at, `'${e.text}' is not a port, port range or service name`);
    // parse_configurations appends the service files' ports after the variables' own.
    const conf = readConfigurations(entries(`FW_CONFIGURATIONS_${upper(z)}`), lookup, check, problems);
    for (const e of conf.rpc) check.warn(e.at, `${e.origin}: RPC service ${e.text} needs the portmapper's live port list; not modelled, no rule generated`);
    services[z] = { tcp: [...tcp, ...conf.tcp], udp: [...udp, ...conf.udp], ip: [...entries(`FW_SERVICES_${upper(z)}_IP`), ...conf.ip] };
    extraBroadcast[z] = conf.broadcast.map((e) => e.text);
    for (const kind of ['ACCEPT', 'DROP', 'REJECT', 'ACCEPT_RELATED'] as const) serviceRules[kind][z] = readServiceRules(get(`FW_SERVICES_${kind}_${upper(z)}`), kind, check);
    for (const r of conf.related) serviceRules.ACCEPT_RELATED[z].push(...readServiceRules(r.assignment, 'ACCEPT_RELATED', r.check).map((rule) => ({ ...rule, entry: { ...rule.entry, origin: r.origin } })));
  }

  const ipsec = str('FW_IPSEC_TRUST');
  let ipsecTrust = ipsec === 'yes' ? 'int' : ipsec === 'no' ? '' : ipsec;
  if (ipsecTrust && !zones.includes(ipsecTrust)) {
    const a = get('FW_IPSEC_TRUST');
    check.warn({ line: a?.line ?? 1, column: a?.column ?? 1 }, `FW_IPSEC_TRUST: ${ipsec} is no valid zone (yes, no or a zone name); IPsec packets stay in the zone of their interface`);
    ipsecTrust = '';
  }

  const route = str('FW_ROUTE');
  // FW_ROUTE: yes/no (3.6.x); later releases also accept IPv4, IPv6, "IPv4,IPv6" (firewall-layers.md §1 fact 6).
  const routeWords = route.split(/[\s,]+/).filter(Boolean);
  const routeCfg = { ipv4: route === 'yes' || routeWords.includes('IPv4'), ipv6: route === 'yes' || routeWords.includes('IPv6'), raw: route };
  if (route && !['yes', 'no'].includes(route) && !routeWords.every((w) => w === 'IPv4' || w === 'IPv6')) {
    const a = get('FW_ROUTE');
    check.warn({ line: a?.line ?? 1, column: a?.column ?? 1 }, `FW_ROUTE="${route}" is not yes, no, IPv4 or IPv6; routing stays off`);
  }

  const tri = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const v = str(name);
    if (v === '') return fallback;
    if ((allowed as readonly string[]).includes(v)) return v as T;
    const a = get(name);
    check.warn({ line: a?.line ?? 1, column: a?.column ?? 1 }, `${name}="${v}" is not one of ${allowed.join(', ')}`);
    return fallback;
  };

  const config: Sfw2Config = {
    zones,
    devices: perZone((z) => entries(`FW_DEV_${upper(z)}`)),
    zoneDefault: ['yes', 'auto'].includes(str('FW_ZONE_DEFAULT')) ? '' : str('FW_ZONE_DEFAULT'),
    autodetectInterfaces: yesNo(get('FW_AUTODETECT_INTERFACES'), 'not-no', check),
    route: routeCfg,
    forward: forwardRules('FW_FORWARD'),
    forwardReject: forwardRules('FW_FORWARD_REJECT'),
    forwardDrop: forwardRules('FW_FORWARD_DROP'),
    masquerade: yesNo(get('FW_MASQUERADE'), 'is-yes', check),
    masqDev: entries('FW_MASQ_DEV'),
    masqNets: masqNets('FW_MASQ_NETS'),
    nomasqNets: masqNets('FW_NOMASQ_NETS'),
    services,
    trustedNets: trusted,
    serviceRules,
    legacyAcceptFirst: yesNo(get('FW_LEGACY_ACCEPT_FIRST'), 'is-yes', check),
    forwardMasq: readForwardMasq(get('FW_FORWARD_MASQ'), check),
    redirect: readRedirects(get('FW_REDIRECT'), check),
    ipsecTrust,
    allowPingFw: yesNo(get('FW_ALLOW_PING_FW'), 'is-yes', check),
    allowPing: perZone((z) => yesNo(get(`FW_ALLOW_PING_${upper(z)}`), 'is-yes', check)),
    reject: perZone((z) => yesNo(get(`FW_REJECT_${upper(z)}`), 'is-yes', check)),
    rejectAll: yesNo(get('FW_REJECT'), 'is-yes', check),
    forwardAllowBridging: tri('FW_FORWARD_ALLOW_BRIDGING', ['yes', 'no', 'auto'] as const, 'auto'),
    forwardAlwaysInoutDev: entries('FW_FORWARD_ALWAYS_INOUT_DEV'),
    protectFrom: perZone((z) => tri(`FW_PROTECT_FROM_${upper(z)}`, ['yes', 'no', 'notrack'] as const, 'yes')),
    allowFwBroadcast: perZone((z) => {
      const own = str(`FW_ALLOW_FW_BROADCAST_${upper(z)}`).split(/\s+/).filter(Boolean);
      return own.includes('yes') ? own : [...own, ...extraBroadcast[z]];
    }),
    ignoreFwBroadcast: perZone((z) => str(`FW_IGNORE_FW_BROADCAST_${upper(z)}`).split(/\s+/).filter(Boolean)),
    allowClassRouting: str('FW_ALLOW_CLASS_ROUTING'),
    kernelSecurity: yesNo(get('FW_KERNEL_SECURITY'), 'not-no', check),
    stopKeepRoutingState: yesNo(get('FW_STOP_KEEP_ROUTING_STATE'), 'is-yes', check),
    bootFullInit: yesNo(get('FW_BOOT_FULL_INIT'), 'is-yes', check),
    log: {
      dropCrit: yesNo(get('FW_LOG_DROP_CRIT'), 'not-no', check),
      dropAll: yesNo(get('FW_LOG_DROP_ALL'), 'is-yes', check),
      acceptCrit: yesNo(get('FW_LOG_ACCEPT_CRIT'), 'is-yes', check),
      acceptAll: yesNo(get('FW_LOG_ACCEPT_ALL'), 'is-yes', check),
      limit: str('FW_LOG_LIMIT'),
      custom: str('FW_LOG'),
    },
    customRules: str('FW_CUSTOMRULES'),
    values: Object.fromEntries([...new Set([...variables.assignments.map((a) => a.name), ...Object.keys(DEFAULTS)])].map((n) => [n, str(n)])),
  };
  return { config, problems, variables };
}

/**
 * Writes variables back into the sysconfig text: only the given variables change, every other
 * line (comments, YaST metadata, unknown lines) stays byte for byte.
 */
export function writeSfw2Variables(text: string, updates: Record<string, string | null>, file = SFW2_SYSCONFIG_PATH): string {
  return setShellVariables(text, file, updates);
}
