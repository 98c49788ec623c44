// The per-zone service lists of /etc/sysconfig/SuSEfirewall2 read entry by
// entry, as the script splits them (`IFS=, eval set -- $service`):
//   FW_SERVICES_ACCEPT_<ZONE>          net,proto[,dport[,sport[,flags]]]   (accept_services)
//   FW_SERVICES_DROP_<ZONE>            net,proto[,dport[,sport]]           (reject_or_drop_services DROP)
//   FW_SERVICES_REJECT_<ZONE>          net,proto[,dport[,sport]]           (reject_or_drop_services REJECT)
//   FW_SERVICES_ACCEPT_RELATED_<ZONE>  net,proto[,port[,sport]]            (allow_related)
// An empty net means 0/0. The family follows the script's `case "$net"`: a
// `:` makes it IPv6 only, a dotted quad IPv4 only, anything else (0/0) both.
// Flags (ACCEPT only): hitcount=N, blockseconds=N, recentname=NAME — they turn
// into an `-m recent` rate limit; any other flag makes the script skip the entry.

import type { Family } from '../../netfilter/model.ts';
import type { ShellAssignment } from './shellVariableFile.ts';
import { checkProtoPort } from './sfw2Entries.ts';
import { canonicalPort, entriesOf, EntryChecker, fieldPosition, networkFamily, type Sfw2Entry } from './sfw2Values.ts';

export type Sfw2ServiceKind = 'ACCEPT' | 'DROP' | 'REJECT' | 'ACCEPT_RELATED';

/** `-m recent` options of an FW_SERVICES_ACCEPT_* entry. */
export interface Sfw2Recent {
  hitcount?: string;
  seconds?: string;
  name?: string;
}

export interface Sfw2ServiceRule {
  entry: Sfw2Entry;
  /** The source network, `0/0` when the field is empty. */
  network: string;
  families: Family[];
  protocol?: string;
  /** Destination port (tcp/udp) or ICMP type (icmp), canonical. */
  port?: string;
  /** Source port (tcp/udp), canonical. */
  sport?: string;
  recent?: Sfw2Recent;
}

/** Which ip(6)tables the script runs for a net (`*:*` → ip6tables, `[0-9]*.*.*.*` → iptables, else both). */
export function serviceFamilies(net: string): Family[] {
  if (net.includes(':')) return ['ipv6'];
  if (/^[0-9].*\..*\..*\./.test(net)) return ['ipv4'];
  return ['ipv4', 'ipv6'];
}

export function readServiceRules(a: ShellAssignment | undefined, kind: Sfw2ServiceKind, check: EntryChecker): Sfw2ServiceRule[] {
  const out: Sfw2ServiceRule[] = [];
  for (const entry of entriesOf(a)) {
    const [net = '', protocol = '', port = '', sport = '', ...flags] = entry.fields;
    const network = net || '0/0';
    if (network.startsWith('!')) {
      check.error(entry, entry.at, `'${net}' cannot be negated here (the script passes it to -s as written, which iptables refuses)`);
      continue;
    }
    if (!networkFamily(network)) {
      check.error(entry, entry.at, `'${net}' is not a network address`);
      continue;
    }
    if (protocol === '_rpc_') {
      check.warn(entry.at, `${entry.variable} entry ${entry.index} (${entry.text}): _rpc_ services need the portmapper's live port list; not modelled, no rule generated`);
      continue;
    }
    let families = serviceFamilies(network);
    const rule: Sfw2ServiceRule = { entry, network, families };
    if (!checkProtoPort(a, entry, protocol, port, families.includes('ipv4') ? 'ipv4' : 'ipv6', 1, check, rule)) continue;
    if (sport) {
      if (rule.protocol !== 'tcp' && rule.protocol !== 'udp') {
        check.error(entry, fieldPosition(a, entry, 3), 'a source port is only valid with tcp or udp');
        continue;
      }
      const sp = canonicalPort(sport);
      if (sp === null) {
        check.error(entry, fieldPosition(a, entry, 3), `'${sport}' is not a port or port range`);
        continue;
      }
      rule.sport = sp;
    }
    // `-p icmp --icmp-type` exists only for iptables and `-p icmpv6` only for ip6tables: the
    // script runs both for 0/0, and the other tool refuses the rule; only the working one is kept.
    if (rule.protocol === 'icmp') families = families.filter((f) => f === 'ipv4');
    if (rule.protocol === 'icmpv6' || rule.protocol === 'ipv6-icmp') families = families.filter((f) => f === 'ipv6');
    rule.families = families;
    if (flags.length > 0) {
      if (kind !== 'ACCEPT') {
        check.warn(entry.at, `${entry.variable} entry ${entry.index} (${entry.text}): fields after the source port are ignored by SuSEfirewall2`);
      } else {
        const recent = readRecentFlags(a, entry, flags, check);
        if (recent === null) continue;
        if (Object.keys(recent).length > 0) rule.recent = recent;
      }
    }
    out.push(rule);
  }
  return out;
}

/** accept_services' flag loop: every flag must be hitcount=, blockseconds= or recentname=. */
function readRecentFlags(a: ShellAssignment | undefined, entry: Sfw2Entry, flags: string[], check: EntryChecker): Sfw2Recent | null {
  const recent: Sfw2Recent = {};
  for (const [i, flag] of flags.entries()) {
    const at = fieldPosition(a, entry, 4 + i);
    const m = /^(hitcount|blockseconds|recentname)=(.*)$/.exec(flag);
    if (!m) {
      // An empty field between flags (`,,`) is passed on as an empty parameter, which is unknown too.
      check.error(entry, at, `unknown parameter '${flag}' (hitcount=, blockseconds= or recentname=); SuSEfirewall2 skips the entry`);
      return null;
    }
    const [, key, value] = m;
    if (key === 'recentname') {
      if (!/^[A-Za-z0-9_.-]{1,200}$/.test(value)) {
        check.error(entry, at, `'${value}' is not a recent list name`);
        return null;
      }
      recent.name = value;
    } else {
      if (!/^\d+$/.test(value)) {
        check.error(entry, at, `${key} needs a number, not '${value}'`);
        return null;
      }
      if (key === 'hitcount') recent.hitcount = value;
      else recent.seconds = value;
    }
  }
  return recent;
}
