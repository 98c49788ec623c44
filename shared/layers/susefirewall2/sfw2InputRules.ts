// The input_<zone> chains: what reaches the host itself (guest DHCP/DNS to the
// host included — scenario S4's side effect). Functions and their order follow
// the SuSEfirewall2 script's main block: protect_from_internal, drop_broadcast,
// allow_icmp, process_trusted_nets, allow_ip/tcp/udp_services. Rule text is in
// iptables-save form (compare the seed's input_ext / input_int lines).

import type { Family } from '../../netfilter/model.ts';
import type { ActionList } from '../layerActions.ts';
import type { Sfw2Config } from './sfw2Config.ts';
import { chainTag, type Sfw2Logging } from './sfw2Logging.ts';
import { canonicalPort, entryWhy } from './sfw2Values.ts';

const upper = (zone: string): string => (['int', 'ext', 'dmz'].includes(zone) ? zone.toUpperCase() : zone);
const icmpMatch = (f: Family, type: string): string => (f === 'ipv4' ? `-p icmp -m icmp --icmp-type ${type}` : `-p ipv6-icmp -m icmp6 --icmpv6-type ${type}`);

/**
 * protect_from_internal: FW_PROTECT_FROM_<ZONE>=no accepts everything to the host from that
 * zone (defaults: FW_PROTECT_FROM_INT=no); such zones get no further input rules.
 * Returns the input zones that remain for the other functions.
 */
export function protectFromInternal(out: ActionList, config: Sfw2Config, zones: string[], devices: Record<string, string[]>, families: Family[], log: Sfw2Logging): string[] {
  const remaining: string[] = [];
  for (const zone of zones) {
    const mode = config.protectFrom[zone] ?? 'yes';
    const why = `FW_PROTECT_FROM_${upper(zone)}=${mode}`;
    if (mode === 'notrack') {
      for (const dev of devices[zone] ?? []) {
        for (const f of families) {
          out.ipt(f, `-t raw -I PREROUTING -i ${dev} -j CT --notrack`, why);
          out.ipt(f, `-t raw -I OUTPUT -o ${dev} -j CT --notrack`, why);
          out.ipt(f, `-I INPUT -i ${dev} -j ACCEPT`, `${why}: everything from ${dev} to the host accepted`);
          out.ipt(f, `-I OUTPUT -o ${dev} -j ACCEPT`, why);
        }
      }
    } else if (mode === 'no') {
      for (const f of families) {
        if (log.acceptAll) out.ipt(f, `-A input_${zone} ${log.target(`-${chainTag(`input_${zone}`)}-ACC-ALL`)}`, why);
        out.ipt(f, `-A input_${zone} -j ACCEPT`, `${why}: the host accepts everything from zone ${zone}`);
      }
    } else remaining.push(zone);
  }
  return remaining;
}

/** drop_broadcast: FW_ALLOW_FW_BROADCAST_<Z> ports accepted, other broadcasts dropped (IPv4 only). */
export function dropBroadcast(out: ActionList, config: Sfw2Config, zones: string[], log: Sfw2Logging): void {
  for (const zone of zones) {
    const allow = config.allowFwBroadcast[zone] ?? [];
    const ignore = config.ignoreFwBroadcast[zone] ?? [];
    const chain = `input_${zone}`;
    for (const port of allow) {
      if (port === 'yes' || port === 'no') continue;
      const p = canonicalPort(port) ?? port;
      if (log.acceptAll) out.ipt('ipv4', `-A ${chain} -p udp -m pkttype --pkt-type broadcast -m udp --dport ${p} ${log.target(`-ACC-BCAST${zone[0]}`)}`, `FW_ALLOW_FW_BROADCAST_${upper(zone)}: ${port}`);
      out.ipt('ipv4', `-A ${chain} -p udp -m pkttype --pkt-type broadcast -m udp --dport ${p} -j ACCEPT`, `FW_ALLOW_FW_BROADCAST_${upper(zone)}: ${port}`);
    }
    if (!ignore.includes('yes')) {
      for (const port of ignore) {
        if (port === 'no') continue;
        out.ipt('ipv4', `-A ${chain} -p udp -m pkttype --pkt-type broadcast -m udp --dport ${canonicalPort(port) ?? port} -j DROP`, `FW_IGNORE_FW_BROADCAST_${upper(zone)}: ${port}`);
      }
      if (!allow.includes('yes') && log.dropAll) out.ipt('ipv4', `-A ${chain} -m pkttype --pkt-type broadcast ${log.target(`-DROP-BCAST${zone[0]}`)}`, 'drop_broadcast');
    }
    if (!allow.includes('yes')) out.ipt('ipv4', `-A ${chain} -m pkttype --pkt-type broadcast -j DROP`, `FW_ALLOW_FW_BROADCAST_${upper(zone)} is not yes: broadcasts to the host dropped`);
  }
}

/** allow_icmp: source-quench, ping to the host (FW_ALLOW_PING_FW), stateless ICMPv6. */
export function allowIcmp(out: ActionList, config: Sfw2Config, zones: string[], families: Family[]): void {
  for (const zone of zones) {
    if (config.values.FW_ALLOW_FW_SOURCEQUENCH !== 'no') out.ipt('ipv4', `-A input_${zone} ${icmpMatch('ipv4', '4')} -j ACCEPT`, 'FW_ALLOW_FW_SOURCEQUENCH: accept source-quench');
  }
  if (config.allowPingFw) {
    for (const zone of zones) for (const f of families) out.ipt(f, `-A input_${zone} ${icmpMatch(f, f === 'ipv4' ? '8' : '128')} -j ACCEPT`, 'FW_ALLOW_PING_FW=yes: the host answers ping');
  }
  if (families.includes('ipv6')) {
    for (const type of ['133', '134', '135', '136', '137']) for (const zone of zones) out.ipt('ipv6', `-A input_${zone} ${icmpMatch('ipv6', type)} -j ACCEPT`, 'stateless ICMPv6 (neighbour discovery) accepted');
    out.ipt('ipv6', '-A OUTPUT -p ipv6-icmp -j ACCEPT', 'ICMPv6 out always accepted');
  }
}

/** process_trusted_nets: `net[,proto[,port]]` → NEW/ESTABLISHED/RELATED accepted in every input chain. */
export function trustedNets(out: ActionList, config: Sfw2Config, zones: string[], log: Sfw2Logging): void {
  for (const net of config.trustedNets) {
    const f: Family = net.family === 'ipv6' ? 'ipv6' : 'ipv4';
    const src = net.network === '0/0' ? '' : `-s ${net.network.replace(/^!/, '! ')} `;
    const proto = net.protocol ? `-p ${net.protocol} ` : '';
    const port = net.protocol && net.port ? `-m ${net.protocol} --dport ${net.port} ` : '';
    const why = `FW_TRUSTED_NETS entry ${net.entry.index}: ${net.entry.text}`;
    for (const zone of zones) {
      const chain = `input_${zone}`;
      if (log.acceptCrit) out.ipt(f, `-A ${chain} ${src}${proto}${log.limit}-m conntrack --ctstate NEW ${port}${log.target(`-${chainTag(chain)}-ACC-TRUST`)}`, why);
      if (log.acceptAll) out.ipt(f, `-A ${chain} ${src}${proto}${port}${log.target(`-${chainTag(chain)}-ACC-TRUST`)}`, why);
      out.ipt(f, `-A ${chain} ${src}${proto}-m conntrack --ctstate NEW,RELATED,ESTABLISHED ${port}-j ACCEPT`, why);
    }
  }
}

/** allow_ip_services, allow_tcp_services, allow_udp_services: FW_SERVICES_<ZONE>_IP/TCP/UDP (no state match). */
export function zoneServices(out: ActionList, config: Sfw2Config, zones: string[], families: Family[], log: Sfw2Logging): void {
  for (const zone of zones) {
    const chain = `input_${zone}`;
    const s = config.services[zone];
    if (!s) continue;
    for (const f of families) {
      for (const e of s.ip) {
        if (log.acceptAll) out.ipt(f, `-A ${chain} -p ${e.text} ${log.target(`-${chainTag(chain)}-ACC-IP`)}`, entryWhy(e));
        out.ipt(f, `-A ${chain} -p ${e.text} -j ACCEPT`, entryWhy(e));
      }
    }
    for (const f of families) {
      for (const e of s.tcp) {
        const port = canonicalPort(e.text) ?? e.text;
        const why = entryWhy(e);
        if (log.acceptCrit) out.ipt(f, `-A ${chain} -p tcp ${log.limit}-m tcp --dport ${port} --tcp-flags FIN,SYN,RST,ACK SYN ${log.target(`-${chainTag(chain)}-ACC-TCP`)}`, why);
        if (log.acceptAll) out.ipt(f, `-A ${chain} -p tcp -m tcp --dport ${port} ${log.target(`-${chainTag(chain)}-ACC-TCP`)}`, why);
        out.ipt(f, `-A ${chain} -p tcp -m tcp --dport ${port} -j ACCEPT`, why);
      }
    }
    for (const f of families) {
      for (const e of s.udp) {
        const port = canonicalPort(e.text) ?? e.text;
        const why = entryWhy(e);
        if (log.acceptAll) out.ipt(f, `-A ${chain} -p udp -m udp --dport ${port} ${log.target(`-${chainTag(chain)}-ACC-UDP`)}`, why);
        out.ipt(f, `-A ${chain} -p udp -m udp --dport ${port} -j ACCEPT`, why);
      }
    }
  }
}
