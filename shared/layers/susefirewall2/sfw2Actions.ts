// A SuSEfirewall2 run as the list of what it does, in the script's main-mode
// order: set_basic_rules (flush of every table) → forwarding/proc sysctls →
// create_chains → input rules (services, FW_REDIRECT) → forward rules →
// masquerading (FW_MASQ_NETS, FW_FORWARD_MASQ) → drop_all →
// fork_to_chains (the INPUT/FORWARD dispatch, appended) → finish_chains (final
// LOG + DROP, TCPMSS inserted on top) → fw_after_finished: `killall -HUP
// libvirtd` when libvirtd is active, from 3.6.346 on (commit 674e168,
// bsc#884398; firewall-layers.md §1 facts 4–19).

import type { Provenance } from '../../netfilter/model.ts';
import { ActionList, versionAtLeast, type LayerAction } from '../layerActions.ts';
import type { Sfw2Config } from './sfw2Config.ts';
import { basicRules, closeActions, procSettings, sfw2Families, stopActions, type Sfw2Environment } from './sfw2Basic.ts';
import { assignZones } from './sfw2Interfaces.ts';
import { allowIcmp, dropBroadcast, protectFromInternal, trustedNets, zoneServices } from './sfw2InputRules.ts';
import { classRouting, dropAll, forwardingRules, forwardPing, masqueradingRules, relatedForwardIcmp } from './sfw2ForwardRules.ts';
import { acceptServices, allowRelated, rejectOrDropServices } from './sfw2ServiceRules.ts';
import { forwardMasqueradingRules, redirectRules } from './sfw2NatRules.ts';
import { sfw2Logging } from './sfw2Logging.ts';

export type { Sfw2Environment } from './sfw2Basic.ts';

/** Variables whose rules the generator does not produce; a non-empty value is reported, never silently ignored. */
const UNMODELLED = /^FW_(SERVICES_\w+_RPC|HTB_TUNE_DEV|TRUSTED_NETS_ZONES)$/;
const UNMODELLED_DEFAULTS: Record<string, string> = {};
/** warn_highports: the script only warns about these (3.x ignores them). */
const OBSOLETE = /^FW_ALLOW_INCOMING_HIGHPORTS_(TCP|UDP)$/;

/** The first SuSEfirewall2 release that HUPs libvirtd after building its rules. */
export const SFW2_LIBVIRT_HUP_VERSION = '3.6.346';

/**
 * Whether this SuSEfirewall2 HUPs libvirtd. Upstream: from 3.6.346 (commit 674e168). The
 * SLE12-SP3 branch shipped in Leap 42.3 as 3.6.312.333 carries the neighbouring March-2017 fixes,
 * and the story's host (Leap 42.3) showed libvirt's REJECT back on top after SuSEfirewall2 started,
 * so the 3.6.312 line is assumed to have it too (unconfirmed, firewall-layers.md §1 fact 19).
 * `override` is the layer setting `libvirtHup` (true/false) for hosts known to differ.
 */
export function sfw2HupsLibvirtd(version: string, override?: boolean): boolean {
  if (override !== undefined) return override;
  return versionAtLeast(version, SFW2_LIBVIRT_HUP_VERSION) || /^3\.6\.312(\.|$)/.test(version);
}

export function sfw2Provenance(version: string): Provenance {
  return { layer: 'susefirewall2', layerLabel: `SuSEfirewall2 ${version}`.trim() };
}

/** `SuSEfirewall2 start` (also what SuSEfirewall2.service runs at boot). */
export function sfw2StartActions(config: Sfw2Config, env: Sfw2Environment): LayerAction[] {
  const out = new ActionList(sfw2Provenance(env.version));
  const families = sfw2Families(config);
  const log = sfw2Logging(config);
  const assignment = assignZones(config, { interfaces: env.interfaces, ifcfgZones: env.ifcfgZones });
  for (const w of assignment.warnings) out.note('warning', `SuSEfirewall2: ${w}`);
  if (config.customRules) out.note('warning', `FW_CUSTOMRULES=${config.customRules}: custom hook functions are not modelled; add their commands as an own-script layer`);
  for (const name of Object.keys(config.values).filter((n) => UNMODELLED.test(n) && config.values[n] !== '' && !(n in UNMODELLED_DEFAULTS && UNMODELLED_DEFAULTS[n] === config.values[n]))) {
    out.note('warning', `${name}="${config.values[name]}" is not modelled by virtwall; the rules it would add are missing from this simulation`);
  }
  // forwarding_rules' ipsec flag (policy matches) and zoneout= (conditional <target>_if_out_<zone> chains) are not generated.
  for (const rule of [...config.forwardDrop, ...config.forwardReject, ...config.forward]) {
    const flags = rule.flags.filter((f) => f === 'ipsec' || f.startsWith('zoneout='));
    if (flags.length) out.note('warning', `${rule.entry.variable} entry ${rule.entry.index} (${rule.entry.text}): flag ${flags.join(', ')} is not modelled by virtwall; the rule is simulated without it (it matches more than the real one)`);
  }
  for (const name of Object.keys(config.values).filter((n) => OBSOLETE.test(n) && config.values[n] !== '')) {
    out.note('warning', `SuSEfirewall2: ${name} is obsolete, ignored (no rule is generated for "${config.values[name]}")`);
  }

  const { zones, devices, defaultZone } = assignment;
  const zoneOf: Record<string, string> = {};
  for (const z of zones) for (const d of devices[z]) zoneOf[d] = z;
  const forwardZones = zones.filter(() => config.route.ipv4 || config.route.ipv6);

  basicRules(out, config, env);
  procSettings(out, config, env);

  // create_chains: input_<zone> and forward_<zone> for every active zone, both families.
  for (const f of families) for (const target of ['input', 'forward']) for (const z of zones) out.ipt(f, `-N ${target}_${z}`, `zone ${z}`);

  const inputZones = protectFromInternal(out, config, zones, devices, families, log);
  dropBroadcast(out, config, inputZones, log);
  allowIpsec(out, config);
  allowIcmp(out, config, inputZones, families);
  if (forwardZones.length > 0) forwardPing(out, config, forwardZones, devices, families, log);
  trustedNets(out, config, inputZones, log);
  if (!config.legacyAcceptFirst) {
    rejectOrDropServices(out, config, 'DROP', inputZones, log);
    rejectOrDropServices(out, config, 'REJECT', inputZones, log);
  }
  allowRelated(out, config, inputZones, log);
  zoneServices(out, config, inputZones, families, log);
  acceptServices(out, config, inputZones, log);
  if (config.legacyAcceptFirst) {
    rejectOrDropServices(out, config, 'DROP', inputZones, log);
    rejectOrDropServices(out, config, 'REJECT', inputZones, log);
  }
  redirectRules(out, config, inputZones, log);

  if (forwardZones.length > 0) {
    relatedForwardIcmp(out, forwardZones, families);
    classRouting(out, config, forwardZones, devices, families);
    forwardingRules(out, config.forwardDrop, 'DROP', forwardZones, log);
    forwardingRules(out, config.forwardReject, 'REJECT', forwardZones, log);
    forwardingRules(out, config.forward, 'ACCEPT', forwardZones, log);
    if (config.masquerade) {
      const masqDevs = config.masqDev.flatMap((e) => (e.text.startsWith('zone:') ? (devices[e.text.slice(5)] ?? []) : env.interfaces.includes(e.text) ? [e.text] : []));
      masqueradingRules(out, config, forwardZones, devices, masqDevs, zoneOf);
      forwardMasqueradingRules(out, config, forwardZones, masqDevs, log);
    } else if (config.forwardMasq.length > 0) {
      out.note('warning', 'FW_FORWARD_MASQ needs FW_MASQUERADE set to yes to work! (no port forwarding rule generated)');
    }
  } else if (config.forward.length > 0 || config.masquerade || config.forwardMasq.length > 0) {
    out.note('warning', 'FW_ROUTE is not yes: FW_FORWARD, FW_MASQUERADE and FW_FORWARD_MASQ have no effect (no forward_* dispatch; forwarded packets meet the FORWARD DROP policy)');
  }

  dropAll(out, config, [...inputZones.map((z) => ({ chain: `input_${z}`, zone: z })), ...forwardZones.map((z) => ({ chain: `forward_${z}`, zone: z }))], families, log);

  // fork_to_chains: dispatch by input interface, appended after everything above.
  for (const f of families) {
    for (const z of zones) {
      if (config.protectFrom[z] === 'notrack') continue;
      for (const d of devices[z]) out.ipt(f, `-A INPUT -i ${d} -j input_${z}`, `${assignment.reasons[d] ?? d} → input_${z}`);
    }
    if (defaultZone) out.ipt(f, `-A INPUT -j input_${defaultZone}`, `default zone ${defaultZone}: everything else to the host`);
    const routed = f === 'ipv4' ? config.route.ipv4 : config.route.ipv6;
    if (routed) {
      // No default-zone catch-all for FORWARD: an interface in no zone falls through to the final DROP.
      for (const z of zones) for (const d of devices[z]) out.ipt(f, `-A FORWARD -i ${d} -j forward_${z}`, `${assignment.reasons[d] ?? d} → forward_${z}`);
    }
  }

  // finish_chains.
  for (const f of families) {
    if (log.dropAny) out.ipt(f, `-A INPUT ${log.limit}${log.target('-IN-ILL-TARGET')}`, 'finish_chains: log what no zone accepted');
    out.ipt(f, `-A INPUT -j ${config.rejectAll ? 'reject_func' : 'DROP'}`, 'finish_chains: nothing else reaches the host');
    if (log.dropAny) out.ipt(f, `-A FORWARD ${log.limit}${log.target('-FWD-ILL-ROUTING')}`, 'finish_chains: log forwarded packets no zone handled');
    const routed = f === 'ipv4' ? config.route.ipv4 : config.route.ipv6;
    if (routed) out.ipt(f, `-A FORWARD -j ${config.rejectAll ? 'reject_func' : 'DROP'}`, `finish_chains: FW_ROUTE=${config.route.raw}: forwarded packets not accepted by a zone are dropped`);
    out.ipt(f, '-A OUTPUT -m conntrack --ctstate NEW,RELATED,ESTABLISHED -j ACCEPT', 'finish_chains: the host may send');
    if (log.dropAny) out.ipt(f, `-A OUTPUT ${log.limit}${log.target('-OUT-ERROR')}`, 'finish_chains: log odd outgoing packets');
  }
  if (config.route.ipv4) out.ipt('ipv4', '-I FORWARD -p tcp -m tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu', 'finish_chains: MSS clamping for routed TCP (non-terminating)');

  // fw_after_finished (3.6.346+): reinstate libvirt's rules, which the flush deleted.
  if (sfw2HupsLibvirtd(env.version, env.libvirtHup)) {
    if (env.libvirtdActive) out.signal('sighup', `SuSEfirewall2 ${env.version} fw_after_finished: killall -HUP libvirtd to reinstate its firewall rules (bsc#884398)`);
    else out.note('info', 'SuSEfirewall2 would HUP libvirtd after its start, but libvirtd is not active: libvirt\'s rules stay deleted until libvirtd starts or reloads.');
  } else {
    out.note('warning', `SuSEfirewall2 ${env.version || '(version unknown)'} does not HUP libvirtd (upstream from 3.6.346): the flush deleted libvirt's rules and nothing reinstates them until libvirtd restarts or reloads, or a network is restarted.`);
  }
  return out.actions;
}

/**
 * allow_ipsec (FW_IPSEC_TRUST): packets that came through an IPsec (ESP) tunnel are handled by the
 * trusted zone's chains, whatever interface they arrived on. Appended to INPUT/FORWARD before the
 * interface dispatch, so they win over it; IPv4 only (the script uses $IPTABLES). The jumps to
 * forward_<zone> are added even with FW_ROUTE=no (that chain is then empty and returns).
 */
function allowIpsec(out: ActionList, config: Sfw2Config): void {
  const z = config.ipsecTrust;
  if (!z) return;
  const why = `FW_IPSEC_TRUST=${config.values.FW_IPSEC_TRUST}: IPsec packets belong to zone ${z}`;
  out.ipt('ipv4', `-A INPUT -m policy --dir in --pol ipsec --proto esp -j input_${z}`, why);
  out.ipt('ipv4', `-A FORWARD -m policy --dir in --pol ipsec --proto esp -j forward_${z}`, why);
  out.ipt('ipv4', `-A FORWARD -m policy --dir out --pol ipsec --proto esp -j forward_${z}`, why);
}

export function sfw2StopActions(config: Sfw2Config, env: Sfw2Environment): LayerAction[] {
  const out = new ActionList(sfw2Provenance(env.version));
  stopActions(out, config, env);
  return out.actions;
}

/** SuSEfirewall2_init.service: `close` (or a full start with FW_BOOT_FULL_INIT=yes). */
export function sfw2InitActions(config: Sfw2Config, env: Sfw2Environment): LayerAction[] {
  if (config.bootFullInit) return sfw2StartActions(config, env);
  const out = new ActionList(sfw2Provenance(env.version));
  closeActions(out, config, env);
  return out.actions;
}
