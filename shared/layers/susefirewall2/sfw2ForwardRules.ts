// The forward_<zone> chains, the masquerading rules and the per-zone default
// drop (drop_all) — in the order firewall-layers.md §1 fact 13 gives: ping,
// safe ICMP replies, class routing, FW_FORWARD_DROP, FW_FORWARD_REJECT,
// FW_FORWARD, masquerading, drop_all. Every FW_FORWARD entry is replicated into
// every forward_<zone> chain (forwarding_rules loops over $forward_zones).
// Shapes match the seed dump (the 2017 routed case), e.g.
//   -A forward_ext -s 192.168.90.0/24 -d 192.168.10.0/24 -m conntrack --ctstate NEW,RELATED,ESTABLISHED -j ACCEPT

import type { Family } from '../../netfilter/model.ts';
import type { ActionList } from '../layerActions.ts';
import type { Sfw2Config, Sfw2ForwardRule, Sfw2MasqNet } from './sfw2Config.ts';
import { chainTag, type Sfw2Logging } from './sfw2Logging.ts';

const upper = (zone: string): string => (['int', 'ext', 'dmz'].includes(zone) ? zone.toUpperCase() : zone);
const icmpMatch = (f: Family, type: string): string => (f === 'ipv4' ? `-p icmp -m icmp --icmp-type ${type}` : `-p ipv6-icmp -m icmp6 --icmpv6-type ${type}`);
/** `-s 0/0` is not printed by iptables-save; `!net` becomes `! -s net`. */
const addr = (flag: '-s' | '-d', net: string | undefined): string => {
  if (!net || net === '0/0') return '';
  return net.startsWith('!') ? `! ${flag} ${net.slice(1)} ` : `${flag} ${net} `;
};

// safe_icmp_replies / safe_icmpv6_replies of the script, as iptables-save prints them.
const SAFE_ICMP = ['0', '3', '11', '12', '14', '18', '3/2', '5'];
const SAFE_ICMPV6 = ['129', '1', '2', '3', '4'];

/** allow_forward_icmp_echo: FW_ALLOW_PING_<Z>=yes lets other zones ping into zone Z. */
export function forwardPing(out: ActionList, config: Sfw2Config, zones: string[], devices: Record<string, string[]>, families: Family[], log: Sfw2Logging): void {
  const proto = (f: Family): string => (f === 'ipv4' ? '-p icmp' : '-p ipv6-icmp');
  const type = (f: Family, t4: string, t6: string): string => (f === 'ipv4' ? `-m icmp --icmp-type ${t4}` : `-m icmp6 --icmpv6-type ${t6}`);
  for (const zone of zones) {
    if (!config.allowPing[zone]) continue;
    const why = `FW_ALLOW_PING_${upper(zone)}=yes`;
    for (const dev of devices[zone] ?? []) {
      for (const other of zones) {
        if (other === zone) continue;
        for (const f of families) {
          if (log.acceptAll) out.ipt(f, `-A forward_${other} -o ${dev} ${icmpMatch(f, f === 'ipv4' ? '8' : '128')} ${log.target(`-${chainTag(`forward_${other}`)}-ACC-PING`)}`, why);
          out.ipt(f, `-A forward_${other} -o ${dev} ${proto(f)} -m conntrack --ctstate NEW ${type(f, '8', '128')} -j ACCEPT`, why);
        }
      }
    }
    for (const f of families) out.ipt(f, `-A forward_${zone} ${proto(f)} -m conntrack --ctstate ESTABLISHED ${type(f, '0', '129')} -j ACCEPT`, why);
  }
}

/** allow_related_forward_icmp: ICMP errors and echo replies of known connections. */
export function relatedForwardIcmp(out: ActionList, zones: string[], families: Family[]): void {
  for (const zone of zones) {
    for (const t of SAFE_ICMP) out.ipt('ipv4', `-A forward_${zone} -p icmp -m conntrack --ctstate RELATED,ESTABLISHED -m icmp --icmp-type ${t} -j ACCEPT`, 'allow_related_forward_icmp: safe ICMP replies');
    if (families.includes('ipv6')) {
      for (const t of SAFE_ICMPV6) out.ipt('ipv6', `-A forward_${zone} -p ipv6-icmp -m conntrack --ctstate RELATED,ESTABLISHED -m icmp6 --icmpv6-type ${t} -j ACCEPT`, 'allow_related_forward_icmp: safe ICMPv6 replies');
    }
  }
}

/** allow_class_routing: `yes` = every zone may route to its own interfaces. */
export function classRouting(out: ActionList, config: Sfw2Config, zones: string[], devices: Record<string, string[]>, families: Family[]): void {
  const v = config.allowClassRouting;
  if (v === '' || v === 'no') return;
  const classZones = v === 'yes' ? zones : v.split(/\s+/).filter((z) => zones.includes(z));
  for (const zone of classZones) {
    for (const dev of devices[zone] ?? []) for (const f of families) out.ipt(f, `-A forward_${zone} -o ${dev} -j ACCEPT`, `FW_ALLOW_CLASS_ROUTING=${v}: routing within zone ${zone}`);
  }
}

function zoneAllowed(rule: Sfw2ForwardRule, zone: string): boolean {
  const zin = rule.flags.find((f) => f.startsWith('zonein='));
  return !zin || zin.slice('zonein='.length) === zone;
}

/** forwarding_rules: FW_FORWARD (ACCEPT), FW_FORWARD_REJECT, FW_FORWARD_DROP. */
export function forwardingRules(out: ActionList, rules: Sfw2ForwardRule[], target: 'ACCEPT' | 'REJECT' | 'DROP', zones: string[], log: Sfw2Logging): void {
  const tag = target.slice(0, 3);
  const jump = target === 'REJECT' ? 'REJECT --reject-with icmp-port-unreachable' : target;
  for (const rule of rules) {
    const f = rule.family;
    const why = `${rule.entry.variable} entry ${rule.entry.index}: ${rule.entry.text}`;
    const proto = rule.protocol ? `-p ${rule.protocol === 'icmpv6' ? 'ipv6-icmp' : rule.protocol} ` : '';
    const icmp = rule.protocol === 'icmp' || rule.protocol === 'icmpv6';
    const module = icmp ? (f === 'ipv4' ? '-m icmp --icmp-type' : '-m icmp6 --icmpv6-type') : `-m ${rule.protocol} --dport`;
    const port = rule.port ? `${module} ${rule.port} ` : '';
    const rport = rule.port ? (icmp ? port : `-m ${rule.protocol} --sport ${rule.port} `) : '';
    const jumpFor = (fam: Family): string => (fam === 'ipv6' && target === 'REJECT' ? 'REJECT --reject-with icmp6-port-unreachable' : jump);
    for (const zone of zones) {
      if (!zoneAllowed(rule, zone)) continue;
      const chain = `forward_${zone}`;
      const fwd = `${addr('-s', rule.source)}${addr('-d', rule.destination)}${proto}`;
      const back = `${addr('-s', rule.destination)}${addr('-d', rule.source)}${proto}`;
      if (log.acceptCrit) out.ipt(f, `-A ${chain} ${fwd}${log.limit}${port}-m conntrack --ctstate NEW ${log.target(`-${chainTag(chain)}-${tag}-FORW`)}`, why);
      if (log.acceptAll) out.ipt(f, `-A ${chain} ${fwd}${port}${log.target(`-${chainTag(chain)}-${tag}-FORW`)}`, why);
      out.ipt(f, `-A ${chain} ${fwd}-m conntrack --ctstate NEW,RELATED,ESTABLISHED ${port}-j ${jumpFor(f)}`, why);
      out.ipt(f, `-A ${chain} ${back}-m conntrack --ctstate RELATED,ESTABLISHED ${rport}-j ${jumpFor(f)}`, `${why} (replies)`);
    }
  }
}

/** masquerading_rules: FW_NOMASQ_NETS exemptions, then per FW_MASQ_NETS × FW_MASQ_DEV forward accepts + MASQUERADE. */
export function masqueradingRules(out: ActionList, config: Sfw2Config, zones: string[], devices: Record<string, string[]>, masqDevs: string[], zoneOf: Record<string, string>): void {
  const protoPort = (n: Sfw2MasqNet, dir: 'dport' | 'sport'): string =>
    `${n.protocol ? `-p ${n.protocol} ` : ''}${n.protocol && n.port ? `-m ${n.protocol} --${dir} ${n.port} ` : ''}`;
  for (const n of config.nomasqNets) {
    for (const dev of masqDevs) {
      out.ipt('ipv4', `-t nat -A POSTROUTING ${addr('-s', n.source)}${addr('-d', n.destination)}-o ${dev} ${protoPort(n, 'dport')}-j ACCEPT`, `FW_NOMASQ_NETS entry ${n.entry.index}: ${n.entry.text} (not masqueraded)`);
    }
  }
  for (const n of config.masqNets) {
    const why = `FW_MASQ_NETS entry ${n.entry.index}: ${n.entry.text}`;
    for (const dev of masqDevs) {
      const z = zoneOf[dev];
      for (const dzone of zones) {
        for (const szone of zones) {
          if (z === szone) continue;
          for (const sdev of devices[szone] ?? []) {
            if (sdev === dev) continue;
            if (`forward_${z}` !== `forward_${dzone}`) {
              out.ipt('ipv4', `-A forward_${dzone} ${addr('-s', n.source)}${addr('-d', n.destination)}-i ${sdev} -o ${dev} ${n.protocol ? `-p ${n.protocol} ` : ''}-m conntrack --ctstate NEW,RELATED,ESTABLISHED ${n.protocol && n.port ? `-m ${n.protocol} --dport ${n.port} ` : ''}-j ACCEPT`, `${why}: ${sdev} → ${dev} (FW_MASQUERADE)`);
            } else {
              out.ipt('ipv4', `-A forward_${dzone} ${addr('-s', n.destination)}${addr('-d', n.source)}-i ${dev} -o ${sdev} ${protoPort(n, 'sport')}-m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`, `${why}: replies ${dev} → ${sdev} (FW_MASQUERADE)`);
            }
          }
        }
      }
      out.ipt('ipv4', `-t nat -A POSTROUTING ${addr('-s', n.source)}${addr('-d', n.destination)}-o ${dev} ${protoPort(n, 'dport')}-j MASQUERADE`, `${why}: masquerade out of ${dev} (FW_MASQUERADE=yes, FW_MASQ_DEV)`);
    }
  }
}

/** drop_all: non-unicast drop, critical-packet LOGs, then DROP or reject_func (FW_REJECT_<ZONE>). */
export function dropAll(out: ActionList, config: Sfw2Config, chains: { chain: string; zone: string }[], families: Family[], log: Sfw2Logging): void {
  for (const { chain, zone } of chains) {
    const reject = config.reject[zone] || config.rejectAll;
    const final = reject ? 'reject_func' : 'DROP';
    const why = reject ? `FW_REJECT_${upper(zone)}=yes: default for ${chain} is reject_func` : `FW_REJECT_${upper(zone)} is not yes: default for ${chain} is DROP`;
    const tag = `-${chainTag(chain)}-DROP-DEFLT`;
    for (const f of families) {
      out.ipt(f, `-A ${chain} -m comment --comment "sfw2.insert.pos" -m pkttype ! --pkt-type unicast -j DROP`, 'drop_all: non-unicast packets dropped without log');
      if (log.dropCrit) {
        out.ipt(f, `-A ${chain} -p tcp ${log.limit}-m tcp --tcp-flags FIN,SYN,RST,ACK SYN ${log.target(tag)}`, 'FW_LOG_DROP_CRIT: log dropped TCP SYN');
        out.ipt(f, `-A ${chain} -p ${f === 'ipv4' ? 'icmp' : 'ipv6-icmp'} ${log.limit}${log.target(tag)}`, 'FW_LOG_DROP_CRIT: log dropped ICMP');
        out.ipt(f, `-A ${chain} -p udp ${log.limit}-m conntrack --ctstate NEW ${log.target(tag)}`, 'FW_LOG_DROP_CRIT: log dropped new UDP');
      }
      if (log.dropAll) out.ipt(f, `-A ${chain} ${log.target(tag)}`, 'FW_LOG_DROP_ALL');
      out.ipt(f, `-A ${chain} -j ${final}`, why);
    }
  }
}
