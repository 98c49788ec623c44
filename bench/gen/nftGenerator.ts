// A deterministic `nft list ruleset`-shaped text (nftables layout of a host
// firewall, like firewalld's inet table or a hand-written /etc/nftables.conf:
// an inet filter table with named sets, base chains with policies, per-zone
// regular chains reached by jump/goto, ct state first, port sets, reject
// kinds, rate-limited log, plus an ip nat table). Canonical: parse → print
// gives it back byte for byte; `nft -c -f` accepts it.

import { seededRandom, type Random } from './seededRandom.ts';

export interface NftGenOptions {
  rules: number;
  seed: number;
}

const ZONES = ['public', 'internal', 'dmz', 'lab', 'mgmt', 'guests', 'vpn', 'storage'];
const PORTS = [22, 25, 53, 80, 110, 123, 143, 443, 587, 631, 993, 3306, 5432, 8080, 8443];

function portSet(r: Random): string {
  const set = new Set<number>();
  const n = r.int(2, 5);
  while (set.size < n) set.add(r.pick(PORTS));
  // nft lists set elements sorted.
  return `{ ${[...set].sort((a, b) => a - b).join(', ')} }`;
}

function zoneRule(r: Random, z: number, i: number): string {
  const net = `10.${z}.${r.int(0, 255)}.0/24`;
  const host = `10.${z}.${r.int(0, 255)}.${r.int(1, 254)}`;
  switch (r.int(0, 11)) {
    case 0:
      return `tcp dport ${portSet(r)} ct state new accept`;
    case 1:
      return `ip saddr ${net} tcp dport ${r.pick(PORTS)} accept`;
    case 2:
      return `ip daddr ${host} udp dport ${r.pick([53, 67, 123, 161])} counter accept`;
    case 3:
      return `ip saddr 10.${z}.${r.int(0, 127)}.1-10.${z}.${r.int(128, 255)}.254 drop`;
    case 4:
      return `iifname "eth${r.int(0, 3)}" ip saddr != ${net} counter drop`;
    case 5:
      return `limit rate ${r.pick([3, 5, 10])}/minute log prefix "${ZONES[z]}-${i}: " level info`;
    case 6:
      return 'meta l4proto tcp reject with tcp reset';
    case 7:
      return `ip daddr ${net} reject with icmp ${r.pick(['host-prohibited', 'admin-prohibited', 'port-unreachable', 'net-unreachable'])}`;
    case 8:
      return `reject with icmpx ${r.pick(['admin-prohibited', 'port-unreachable', 'host-unreachable', 'no-route'])}`;
    case 9:
      return `meta pkttype { broadcast, multicast } drop`;
    case 10:
      return `ip saddr @blocklist counter drop comment "zone ${ZONES[z]} rule ${i}"`;
    default:
      return `th dport ${r.int(1024, 65535)} meta mark 0x0000000${r.int(1, 9)} return`;
  }
}

export function generateNftList(options: NftGenOptions): string {
  const r = seededRandom(options.seed);
  const zones = Math.max(1, Math.min(ZONES.length, Math.ceil(options.rules / 250)));
  const perZone = Math.ceil(options.rules / zones);
  const out: string[] = [];
  out.push('table inet filter {');
  out.push('\tset blocklist {', '\t\ttype ipv4_addr', '\t\tflags interval', `\t\telements = { 192.0.2.0/24, 198.51.100.${r.int(1, 254)} }`, '\t}', '');
  out.push('\tchain input {', '\t\ttype filter hook input priority filter; policy drop;');
  out.push('\t\tct state established,related accept', '\t\tct state invalid drop', '\t\tiif "lo" accept', '\t\ticmp type echo-request limit rate 5/second accept', '\t\ticmpv6 type { echo-request, nd-neighbor-solicit, nd-router-advert } accept');
  for (let z = 0; z < zones; z++) out.push(`\t\tiifname "eth${z}" jump in_${ZONES[z]}`);
  out.push('\t\tlimit rate 3/minute log prefix "IN-DROP: "', '\t\treject with icmpx admin-prohibited', '\t}', '');
  out.push('\tchain forward {', '\t\ttype filter hook forward priority filter; policy drop;', '\t\tct state established,related accept');
  for (let z = 0; z < zones; z++) out.push(`\t\tiifname "eth${z}" goto fw_${ZONES[z]}`);
  out.push('\t\tcounter drop', '\t}', '');
  out.push('\tchain output {', '\t\ttype filter hook output priority filter; policy accept;', '\t}');
  for (let z = 0; z < zones; z++) {
    for (const prefix of ['in', 'fw']) {
      out.push('', `\tchain ${prefix}_${ZONES[z]} {`);
      for (let i = 0; i < perZone / 2; i++) out.push(`\t\t${zoneRule(r, z, i)}`);
      out.push('\t}');
    }
  }
  out.push('}');
  out.push('table ip nat {');
  out.push('\tchain prerouting {', '\t\ttype nat hook prerouting priority dstnat; policy accept;');
  for (let i = 0; i < 5; i++) out.push(`\t\tiifname "eth0" tcp dport ${8000 + i} dnat to 10.0.${r.int(0, 255)}.${r.int(1, 254)}:${r.pick(PORTS)}`);
  out.push('\t}', '');
  out.push('\tchain postrouting {', '\t\ttype nat hook postrouting priority srcnat; policy accept;', '\t\tip saddr 10.0.0.0/8 oifname "eth0" masquerade', '\t\tip saddr 172.16.0.0/12 oifname "eth1" snat to 203.0.113.1', '\t}');
  out.push('}');
  return `${out.join('\n')}\n`;
}
