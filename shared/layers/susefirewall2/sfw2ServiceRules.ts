// The input_<zone> rules of the generic service lists, as the SuSEfirewall2
// script (openSUSE/susefirewall2) builds them, written in iptables-save form:
//   reject_or_drop_services DROP|REJECT  FW_SERVICES_DROP_/REJECT_<ZONE>: NEW packets → DROP / reject_func
//   allow_related                        FW_SERVICES_ACCEPT_RELATED_<ZONE>: RELATED packets of a
//                                        connection the host started (`port` is the peer's: --sport)
//   accept_services                      FW_SERVICES_ACCEPT_<ZONE>, optionally rate-limited with -m recent
// Main-block order: process_trusted_nets, DROP, REJECT, allow_related,
// allow_ip/tcp/udp/rpc_services, accept_services (DROP/REJECT after the
// accepts with FW_LEGACY_ACCEPT_FIRST=yes). Match order follows the script's
// command lines (a LOG rule's `-m limit` comes from $LOG).

import type { Family } from '../../netfilter/model.ts';
import type { ActionList } from '../layerActions.ts';
import type { Sfw2Config, Sfw2ServiceRule } from './sfw2Config.ts';
import { chainTag, type Sfw2Logging } from './sfw2Logging.ts';
import { entryWhy, saveNetwork } from './sfw2Values.ts';

/** `-s net ` (nothing for 0/0, which iptables-save does not print). */
function source(rule: Sfw2ServiceRule): string {
  return rule.network === '0/0' ? '' : `-s ${saveNetwork(rule.network)} `;
}

function proto(rule: Sfw2ServiceRule): string {
  if (!rule.protocol) return '';
  return `-p ${rule.protocol === 'icmpv6' ? 'ipv6-icmp' : rule.protocol} `;
}

/**
 * The port matches: check_proto_port's $port/$sport (`--dport port --sport sport`) for new
 * connections, its $rport/$rsport (`--sport port --dport sport`) for allow_related.
 * libxt_tcp/udp save the source port first.
 */
function ports(rule: Sfw2ServiceRule, f: Family, related: boolean): string {
  const p = rule.protocol;
  if (p === 'icmp' || p === 'icmpv6' || p === 'ipv6-icmp') {
    if (!rule.port) return '';
    return f === 'ipv4' ? `-m icmp --icmp-type ${rule.port} ` : `-m icmp6 --icmpv6-type ${rule.port} `;
  }
  const dport = related ? rule.sport : rule.port;
  const sport = related ? rule.port : rule.sport;
  if (!dport && !sport) return '';
  return `-m ${p} ${sport ? `--sport ${sport} ` : ''}${dport ? `--dport ${dport} ` : ''}`;
}

/** reject_or_drop_services: NEW packets of FW_SERVICES_DROP_/REJECT_<ZONE> entries. */
export function rejectOrDropServices(out: ActionList, config: Sfw2Config, action: 'DROP' | 'REJECT', zones: string[], log: Sfw2Logging): void {
  // `eval target=\$$action`: $DROP is DROP (reject_func with FW_REJECT=yes), $REJECT is reject_func.
  const target = action === 'REJECT' || config.rejectAll ? 'reject_func' : 'DROP';
  for (const zone of zones) {
    const chain = `input_${zone}`;
    for (const rule of config.serviceRules[action][zone] ?? []) {
      const why = `${entryWhy(rule.entry)} → ${target === 'reject_func' ? 'rejected (reject_func)' : 'dropped silently'}`;
      for (const f of rule.families) {
        const m = `${source(rule)}${proto(rule)}${ports(rule, f, false)}`;
        if (log.dropAll) out.ipt(f, `-A ${chain} ${m}-m conntrack --ctstate NEW ${log.limit}${log.target(`-${chainTag(chain)}-${action}`)}`, why);
        out.ipt(f, `-A ${chain} ${m}-m conntrack --ctstate NEW -j ${target}`, why);
      }
    }
  }
}

/** allow_related: RELATED packets from `net` (e.g. an FTP data connection the host's client asked for). */
export function allowRelated(out: ActionList, config: Sfw2Config, zones: string[], log: Sfw2Logging): void {
  for (const zone of zones) {
    const chain = `input_${zone}`;
    for (const rule of config.serviceRules.ACCEPT_RELATED[zone] ?? []) {
      const why = `${entryWhy(rule.entry)} → RELATED packets accepted`;
      for (const f of rule.families) {
        const m = `${source(rule)}${proto(rule)}${ports(rule, f, true)}`;
        if (log.acceptAll) out.ipt(f, `-A ${chain} ${m}-m conntrack --ctstate RELATED ${log.target(`-${chainTag(chain)}-REL`)}`, why);
        out.ipt(f, `-A ${chain} ${m}-m conntrack --ctstate RELATED -j ACCEPT`, why);
      }
    }
  }
}

/** `-m recent` as libxt_recent saves it: check, --seconds, --hitcount, --rttl, then name, mask and side. */
function recentMatch(rule: Sfw2ServiceRule, f: Family, check: 'set' | 'rcheck' | 'update'): string {
  const r = rule.recent ?? {};
  const timing = check === 'set' ? '' : `${r.seconds ? ` --seconds ${r.seconds}` : ''}${r.hitcount ? ` --hitcount ${r.hitcount}` : ''}${check === 'update' ? ' --rttl' : ''}`;
  const mask = f === 'ipv4' ? '255.255.255.255' : 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff';
  return `-m recent --${check}${timing} --name ${r.name ?? 'DEFAULT'} --mask ${mask} --rsource `;
}

/**
 * accept_services: with hitcount/blockseconds/recentname, a NEW connection from an address already
 * on the recent list (hitcount times within blockseconds) is dropped, every other NEW one puts the
 * address on the list; then the entry is accepted without a state match.
 */
export function acceptServices(out: ActionList, config: Sfw2Config, zones: string[], log: Sfw2Logging): void {
  const drop = config.rejectAll ? 'reject_func' : 'DROP';
  for (const zone of zones) {
    const chain = `input_${zone}`;
    for (const rule of config.serviceRules.ACCEPT[zone] ?? []) {
      const why = entryWhy(rule.entry);
      const r = rule.recent;
      const limitText = r ? ` (more than ${r.hitcount ?? 'one'} new connection${r.hitcount === '1' ? '' : 's'}${r.seconds ? ` in ${r.seconds} s` : ''} per source address → ${drop})` : '';
      for (const f of rule.families) {
        const header = `${source(rule)}${proto(rule)}`;
        const m = `${header}${ports(rule, f, false)}`;
        if (r) {
          if (log.dropCrit) out.ipt(f, `-A ${chain} ${header}${log.limit}${ports(rule, f, false)}-m conntrack --ctstate NEW ${recentMatch(rule, f, 'rcheck')}${log.target(`-${chainTag(chain)}-DROPr`)}`, `${why}: log the rate limit's drops`);
          out.ipt(f, `-A ${chain} ${m}-m conntrack --ctstate NEW ${recentMatch(rule, f, 'update')}-j ${drop}`, `${why}: rate limit${limitText}`);
        }
        if (log.acceptCrit) out.ipt(f, `-A ${chain} ${m}-m conntrack --ctstate NEW ${log.limit}${log.target(`-${chainTag(chain)}-ACC`)}`, why);
        if (log.acceptAll) out.ipt(f, `-A ${chain} ${m}${log.target(`-${chainTag(chain)}-ACC`)}`, why);
        if (r) out.ipt(f, `-A ${chain} ${m}-m conntrack --ctstate NEW ${recentMatch(rule, f, 'set')}-j ACCEPT`, `${why}: remember the source address (recent list ${r.name ?? 'DEFAULT'})`);
        out.ipt(f, `-A ${chain} ${m}-j ACCEPT`, why);
      }
    }
  }
}

