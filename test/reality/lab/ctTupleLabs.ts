// Labs for the kernel comparison of conntrack tuple matches: rules that decide
// by the connection's original or reply tuple rather than by the packet —
// `-m conntrack --ctorigdstport/--ctorigdst` and nft `ct original proto-dst`
// after a DNAT and a REDIRECT (firewalld's StrictForwardPorts rule is one),
// `--ctrepldst/--ctreplsrc` and `ct reply ip daddr` after an SNAT (which the
// first packet's FORWARD does not see yet), ICMP echo's tuple port fields
// (type << 8 | code), and a REJECT's ICMP error (RELATED) seeing the tuple of
// the connection it is about. Each rule has a control the tuple alone decides,
// so a simulator that read the packet instead, or the finished entry too
// early, disagrees with the kernel on the matrix. (nft 1.0.6 takes
// `ct original proto-dst N` only after a protocol — `meta l4proto tcp` — in
// `nft -f` text, though it lists firewalld's bare form.)
//
// Topology (defaultLab): guest0 192.168.10.20 on virbr1 (routed network), the
// host's eth1 192.168.90.10, gateway 192.168.90.1 (icmp, tcp/22, tcp/443,
// udp/53), internet 203.0.113.10.

import { defaultLab } from '../../../shared/lab/defaultLab.ts';
import { sequentialIds } from '../../../shared/lab/labIds.ts';
import { parseIptablesSave } from '../../../shared/netfilter/iptables/parseIptablesSave.ts';
import type { Ruleset } from '../../../shared/netfilter/model.ts';
import { parseNft } from '../../../shared/netfilter/nft/parseNft.ts';
import type { HostRuntime } from '../../../shared/simulator/hostRuntime.ts';
import type { GeneratedLab } from './generatedLabs.ts';

const BR = 'virbr1';
const NET = '192.168.10.0/24';

export interface CtTupleCase {
  name: string;
  backend: 'legacy' | 'nft';
  /** iptables-save text and/or an nft ruleset. */
  save?: string;
  nft?: string;
}

const nat = (pre: string[], post: string[]) => ['*nat', ':PREROUTING ACCEPT [0:0]', ':INPUT ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', ':POSTROUTING ACCEPT [0:0]', ...pre, ...post, 'COMMIT'];
const filter = (input: string, forward: string, rules: string[]) => ['*filter', `:INPUT ${input} [0:0]`, `:FORWARD ${forward} [0:0]`, ':OUTPUT ACCEPT [0:0]', ...rules, 'COMMIT'];
const text = (...parts: string[][]) => parts.flat().join('\n') + '\n';
const DNS = [`-A INPUT -i ${BR} -p udp -m udp --dport 53 -j ACCEPT`, `-A INPUT -i ${BR} -p udp -m udp --dport 67 -j ACCEPT`];
// The host's tcp/443 goes to the gateway's ssh, its udp/53 to the gateway's DNS; the network gateway's tcp/443 to the host's ssh.
const DNAT_RULES = [
  '-A PREROUTING -d 192.168.90.10/32 -p tcp -m tcp --dport 443 -j DNAT --to-destination 192.168.90.1:22',
  '-A PREROUTING -d 192.168.90.10/32 -p udp -m udp --dport 53 -j DNAT --to-destination 192.168.90.1',
  '-A PREROUTING -d 192.168.10.1/32 -p tcp -m tcp --dport 443 -j REDIRECT --to-ports 22',
];

export const CT_TUPLE_CASES: CtTupleCase[] = [
  {
    name: 'DNAT and REDIRECT, iptables: FORWARD/INPUT accept by --ctorigdstport/--ctorigdst (firewalld\'s strict rule form); ICMP echo by its tuple fields 2048/0',
    backend: 'legacy',
    save: text(
      nat(DNAT_RULES, []),
      filter('DROP', 'DROP', [
        ...DNS,
        '-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
        '-A INPUT -m conntrack --ctstate DNAT --ctorigdstport 443 --ctdir ORIGINAL -j ACCEPT',
        '-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
        '-A FORWARD -m conntrack --ctstate DNAT --ctorigdstport 443 --ctdir ORIGINAL -j ACCEPT',
        '-A FORWARD -p udp -m conntrack --ctorigdst 192.168.90.10 -j ACCEPT',
        '-A FORWARD -p icmp -m conntrack --ctorigdstport 2048 --ctrepldstport 0 -j ACCEPT',
      ]),
    ),
  },
  {
    name: 'the same with iptables-nft, negated: ! --ctorigdstport 443 and ! --ctorigdst drop, the rest passes',
    backend: 'nft',
    save: text(
      nat(DNAT_RULES, []),
      filter('ACCEPT', 'ACCEPT', [
        '-A INPUT -i virbr1 -p tcp -m conntrack ! --ctorigdstport 443 -j DROP',
        '-A FORWARD -p tcp -m conntrack ! --ctorigdstport 443 ! --ctorigsrcport 0:1023 -j DROP',
        '-A FORWARD -p udp -m conntrack ! --ctorigdst 192.168.90.10 -j DROP',
        '-A FORWARD -p icmp -m conntrack ! --ctorigdstport 2000:3000 -j DROP',
      ]),
    ),
  },
  {
    name: 'nft: ct original proto-dst / ip daddr after DNAT and REDIRECT, ct reply ip saddr / proto-src on the answer, no blanket established rule',
    backend: 'nft',
    nft: `table ip fwdnat {
\tchain pre {
\t\ttype nat hook prerouting priority dstnat; policy accept;
\t\tip daddr 192.168.90.10 tcp dport 443 dnat to 192.168.90.1:22
\t\tip daddr 192.168.90.10 udp dport 53 dnat to 192.168.90.1
\t\tip daddr 192.168.10.1 tcp dport 443 redirect to :22
\t}
}
table inet tuples {
\tchain forward_tuples {
\t\ttype filter hook forward priority filter; policy drop;
\t\tmeta l4proto tcp ct original proto-dst 443 ct original ip daddr 192.168.90.10 ct direction original accept
\t\tmeta l4proto tcp ct reply ip saddr 192.168.90.1 ct reply proto-src 22 ct original proto-dst 443 ct direction reply accept
\t\tmeta l4proto udp ct original ip daddr 192.168.90.10 ct original proto-dst 53 accept
\t\tmeta l4proto icmp ct original proto-dst 2048 ct reply proto-dst 0 accept
\t}
\tchain input_tuples {
\t\ttype filter hook input priority filter; policy drop;
\t\tudp dport { 53, 67 } accept
\t\tmeta l4proto tcp ct original proto-dst 443 ct reply proto-src 22 accept
\t}
}
`,
  },
  {
    name: 'SNAT, iptables: --ctrepldst is the SNAT address for the answer but not yet in the first packet\'s FORWARD; --ctreplsrc',
    backend: 'legacy',
    save: text(
      nat([], [`-A POSTROUTING -s ${NET} -o eth1 -p tcp -j SNAT --to-source 192.168.90.10`]),
      filter('ACCEPT', 'DROP', [
        `-A FORWARD -i ${BR} -m conntrack --ctrepldst 192.168.90.10 -j DROP`,
        `-A FORWARD -i ${BR} -j ACCEPT`,
        '-A FORWARD -i eth1 -m conntrack --ctreplsrc 192.168.90.1 --ctrepldst 192.168.90.10 -j ACCEPT',
        '-A FORWARD -i eth1 -p icmp -m conntrack --ctreplsrc 203.0.113.10 -j ACCEPT',
        '-A FORWARD -i eth1 -p udp -m conntrack ! --ctorigsrc 192.168.90.1 --ctrepldst 192.168.10.0/24 --ctreplsrcport 53 -j ACCEPT',
      ]),
    ),
  },
  {
    name: 'nft SNAT: ct reply daddr (bare, ip table) on the answer and the first packet; masquerade',
    backend: 'nft',
    nft: `table ip tuples {
\tchain post {
\t\ttype nat hook postrouting priority srcnat; policy accept;
\t\tip saddr 192.168.10.0/24 oifname "eth1" meta l4proto { tcp, icmp } masquerade
\t}
\tchain forward_tuples {
\t\ttype filter hook forward priority filter; policy drop;
\t\tiifname "${BR}" ct reply daddr 192.168.90.10 drop
\t\tiifname "${BR}" accept
\t\tiifname "eth1" ct reply daddr 192.168.90.10 ct original saddr 192.168.10.0/24 accept
\t}
}
`,
  },
  {
    name: 'a REJECT\'s ICMP error is RELATED to the connection: OUTPUT drops it by the connection\'s original port / reply source',
    backend: 'legacy',
    save: text(
      filter('ACCEPT', 'ACCEPT', [
        '-A FORWARD -p tcp -j REJECT --reject-with icmp-host-prohibited',
        '-A FORWARD -p udp -j REJECT --reject-with icmp-port-unreachable',
        '-A OUTPUT -p icmp -m conntrack --ctstate RELATED --ctorigdstport 443 -j DROP',
        '-A OUTPUT -p icmp -m conntrack --ctstate RELATED --ctreplsrc 192.168.90.1 --ctorigdstport 53 -j DROP',
      ]),
    ),
  },
];

function networkXml(): string {
  return `<network><name>n0</name><forward mode='route'/><bridge name='${BR}'/><ip address='192.168.10.1' netmask='255.255.255.0'><dhcp><range start='192.168.10.100' end='192.168.10.200'/></dhcp></ip></network>`;
}

export function ctTupleLab(c: CtTupleCase, index: number): GeneratedLab {
  const lab = defaultLab(sequentialIds(), { returnRoutes: [NET] });
  lab.networks.push({ id: 'net0', xml: networkXml(), autostart: true });
  lab.guests.push({ id: 'g0', name: 'guest0', networkId: 'net0', address: '192.168.10.20', listens: ['tcp/22', 'tcp/443', 'udp/53'] });
  lab.host.listens = ['tcp/22', 'tcp/443'];
  lab.gateway.masquerade = ['192.168.90.0/24', NET];
  lab.host.iptablesBackend = c.backend;
  const rulesets: Ruleset[] = [];
  if (c.save) rulesets.push(parseIptablesSave(c.save, { family: 'ipv4', backend: c.backend }).ruleset);
  if (c.nft) rulesets.push(parseNft(c.nft).ruleset);
  const runtime: HostRuntime = {
    netfilter: rulesets,
    sysctls: { ipForward: true, interfaceForwarding: {}, rpFilter: { all: 0, default: 0, interfaces: {} }, bridgeNfCallIptables: false, setBy: {} },
    runningNetworkIds: ['net0'],
    notes: [],
  };
  return { seed: index, lab, rulesets, runtime, description: `ct tuple case ${index}: ${c.name}` };
}
