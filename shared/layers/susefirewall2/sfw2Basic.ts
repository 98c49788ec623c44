// The parts of a SuSEfirewall2 run that do not depend on zones: reset_rules
// (policies + flush + delete every chain of every loaded table — libvirt's and
// Docker's included), set_basic_rules (loopback, reject_func, bridged traffic,
// established/related), set_proc_stuff, and the `stop` / `close` actions.
// Order and rule shapes follow the SuSEfirewall2 script (openSUSE/susefirewall2)
// written in iptables-save form; firewall-layers.md §1 facts 4–7, 20.

import type { Family } from '../../netfilter/model.ts';
import { versionAtLeast, type ActionList } from '../layerActions.ts';
import type { Sfw2Config } from './sfw2Config.ts';

export interface Sfw2Environment {
  /** SuSEfirewall2 version (layer.version), e.g. '3.6.312'. */
  version: string;
  /** Interfaces in /sys/class/net when the script runs (host NICs, bridges of running networks). */
  interfaces: string[];
  /** Bridge devices among them (`/sys/class/net/*\/bridge` exists). */
  bridges: string[];
  /** FW_ZONE= of ifcfg files, by interface. */
  ifcfgZones?: Record<string, string>;
  /** iptables tables loaded in the kernel per family (/proc/net/ip_tables_names). */
  tables: Record<Family, string[]>;
  libvirtdActive: boolean;
  /** Layer setting `libvirtHup`: whether this build HUPs libvirtd (default by version). */
  libvirtHup?: boolean;
}

/** Families the script drives: ip6tables is skipped with FW_IPv6=no. */
export function sfw2Families(config: Sfw2Config): Family[] {
  return config.values.FW_IPv6 === 'no' ? ['ipv4'] : ['ipv4', 'ipv6'];
}

/** reset_rules: policies first, then `-F` and `-X` for every loaded table in sorted order. */
export function resetRules(out: ActionList, config: Sfw2Config, env: Sfw2Environment, policies: [string, string, string], why: string): void {
  for (const family of sfw2Families(config)) {
    out.ipt(family, `-P INPUT ${policies[0]}`, `${why}: INPUT policy ${policies[0]}`);
    out.ipt(family, `-P OUTPUT ${policies[1]}`, `${why}: OUTPUT policy ${policies[1]}`);
    out.ipt(family, `-P FORWARD ${policies[2]}`, `${why}: FORWARD policy ${policies[2]}`);
    // `sort < /proc/net/ip_tables_names`; without the file the script uses "filter nat raw".
    const tables = env.tables[family].length > 0 ? [...new Set(['filter', ...env.tables[family]])].sort() : ['filter', 'nat', 'raw'];
    for (const t of tables) {
      out.ipt(family, `-t ${t} -F`, `${why}: flush every rule of table ${t} (other tools' rules too)`);
      out.ipt(family, `-t ${t} -X`, `${why}: delete every user chain of table ${t} (libvirt's LIBVIRT_* and Docker's chains too)`);
    }
  }
}

/** set_basic_rules: DROP policies, flush, loopback, reject_func, bridging, established. */
export function basicRules(out: ActionList, config: Sfw2Config, env: Sfw2Environment): void {
  // In `test` mode DROP would be ACCEPT; virtwall models the normal start.
  resetRules(out, config, env, ['DROP', 'ACCEPT', 'DROP'], 'set_basic_rules');
  const families = sfw2Families(config);
  for (const f of families) {
    out.ipt(f, '-A INPUT -i lo -j ACCEPT', 'loopback is always allowed');
    out.ipt(f, '-A OUTPUT -o lo -j ACCEPT', 'loopback is always allowed');
    out.ipt(f, '-t raw -A PREROUTING -i lo -j CT --notrack', 'loopback is not tracked');
    out.ipt(f, '-t raw -A OUTPUT -o lo -j CT --notrack', 'loopback is not tracked');
  }
  out.ipt('ipv4', '-N reject_func', 'reject_func: REJECT by protocol');
  out.ipt('ipv4', '-A reject_func -p tcp -j REJECT --reject-with tcp-reset', 'reject_func: TCP gets a reset');
  out.ipt('ipv4', '-A reject_func -p udp -j REJECT --reject-with icmp-port-unreachable', 'reject_func: UDP gets port-unreachable');
  out.ipt('ipv4', '-A reject_func -j REJECT --reject-with icmp-proto-unreachable', 'reject_func: other protocols get proto-unreachable');
  if (families.includes('ipv6')) {
    out.ipt('ipv6', '-N reject_func', 'reject_func: REJECT by protocol');
    out.ipt('ipv6', '-A reject_func -p tcp -j REJECT --reject-with tcp-reset', 'reject_func: TCP gets a reset');
    out.ipt('ipv6', '-A reject_func -p udp -j REJECT --reject-with icmp6-port-unreachable', 'reject_func: UDP gets port-unreachable');
    out.ipt('ipv6', '-A reject_func -j REJECT --reject-with icmp6-addr-unreachable', 'reject_func: other protocols get addr-unreachable');
    out.ipt('ipv6', '-A reject_func -j DROP', 'reject_func: DROP as a safety net');
  }
  // allow_bridgetraffic: `auto`/empty only when some /sys/class/net/*/bridge exists at this moment.
  const bridging = config.forwardAllowBridging === 'yes' || (config.forwardAllowBridging === 'auto' && env.bridges.length > 0);
  if (bridging) {
    const why =
      config.forwardAllowBridging === 'yes'
        ? 'FW_FORWARD_ALLOW_BRIDGING=yes: accept bridged (not routed) traffic'
        : `FW_FORWARD_ALLOW_BRIDGING=auto and bridge ${env.bridges.join(', ')} exists: accept bridged (not routed) traffic`;
    for (const f of families) out.ipt(f, '-A FORWARD -m physdev --physdev-is-bridged -j ACCEPT', why);
  }
  for (const f of families) {
    for (const e of config.forwardAlwaysInoutDev) {
      out.ipt(f, `-A FORWARD -i ${e.text} -o ${e.text} -j ACCEPT`, `FW_FORWARD_ALWAYS_INOUT_DEV entry ${e.index}: ${e.text} (deprecated)`);
    }
  }
  for (const f of families) out.ipt(f, '-A INPUT -m conntrack --ctstate ESTABLISHED -j ACCEPT', 'allow_basic_established: replies to the host');
  out.ipt('ipv4', '-A INPUT -p icmp -m conntrack --ctstate RELATED -j ACCEPT', 'allow_basic_established: ICMP errors related to the host\'s connections');
  if (families.includes('ipv6')) out.ipt('ipv6', '-A INPUT -p ipv6-icmp -m conntrack --ctstate RELATED -j ACCEPT', 'allow_basic_established: ICMPv6 errors related to the host\'s connections');
}

/**
 * IP forwarding at start (switch_on_ip_forwarding) and set_proc_stuff. Versions before the 2017
 * rework (3.6.346) also wrote 0 when FW_ROUTE is off; later ones only force it on
 * (firewall-layers.md §1 fact 6).
 */
export function procSettings(out: ActionList, config: Sfw2Config, env: Sfw2Environment): void {
  const modern = versionAtLeast(env.version, '3.6.346');
  if (config.route.ipv4) out.sysctl('net.ipv4.ip_forward', '1', `FW_ROUTE=${config.route.raw}: switch on IPv4 forwarding`);
  else if (!modern) out.sysctl('net.ipv4.ip_forward', '0', `FW_ROUTE=${config.route.raw || 'no'}: SuSEfirewall2 < 3.6.346 switches IPv4 forwarding off at start`);
  if (config.route.ipv6 && config.route.raw !== 'yes') out.sysctl('net.ipv6.conf.all.forwarding', '1', `FW_ROUTE=${config.route.raw}: switch on IPv6 forwarding`);
  if (!config.kernelSecurity) return;
  // set_proc_stuff: for i in /proc/sys/net/ipv4/conf/* (all, default and every interface present now).
  const confs = ['all', 'default', ...env.interfaces];
  for (const c of confs) {
    out.sysctl(`net.ipv4.conf.${c}.log_martians`, '1', 'FW_KERNEL_SECURITY (default yes): log martians');
    if (!config.route.ipv4 && !modern) out.sysctl(`net.ipv4.conf.${c}.forwarding`, '0', `FW_ROUTE=${config.route.raw || 'no'}: forwarding off per interface`);
    out.sysctl(`net.ipv4.conf.${c}.rp_filter`, '1', 'FW_KERNEL_SECURITY (default yes): strict reverse-path filter on every interface');
  }
}

/** `SuSEfirewall2 stop`: flush everything, ACCEPT policies, forwarding off unless kept. */
export function stopActions(out: ActionList, config: Sfw2Config, env: Sfw2Environment): void {
  if (!config.stopKeepRoutingState) {
    out.sysctl('net.ipv4.ip_forward', '0', 'SuSEfirewall2 stop: disable_ip_forwarding (FW_STOP_KEEP_ROUTING_STATE is not yes)');
    if (sfw2Families(config).includes('ipv6')) out.sysctl('net.ipv6.conf.all.forwarding', '0', 'SuSEfirewall2 stop: disable_ip_forwarding (IPv6)');
  }
  resetRules(out, config, env, ['ACCEPT', 'ACCEPT', 'ACCEPT'], 'SuSEfirewall2 stop (reset_rules)');
  out.note('info', 'SuSEfirewall2 stop deleted every rule and chain, libvirt\'s included; they come back only when libvirt reloads (HUP, restart, network start).');
}

/** SuSEfirewall2_init (boot phase 1): `close` = basic rules, ip_forward 0. */
export function closeActions(out: ActionList, config: Sfw2Config, env: Sfw2Environment): void {
  basicRules(out, config, env);
  out.sysctl('net.ipv4.ip_forward', '0', 'SuSEfirewall2_init (close): forwarding off until the full start');
}
