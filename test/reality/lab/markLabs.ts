// Labs for the kernel comparison of marks: the packet mark set at one hook and
// matched at a later one (mangle PREROUTING → filter FORWARD/INPUT, OUTPUT →
// POSTROUTING, through br_netfilter's bridged hooks), the connection mark saved
// on the request and restored on the reply (CONNMARK, nft `ct mark set` /
// `meta mark set ct mark`), the ct mark seen by a REJECT's own ICMP error, and a
// mark that must not leave the host (the gateway matches on it). Each case has a
// control the mark alone decides, so a simulator that dropped the mark between
// hooks disagrees with the kernel on the matrix.

import { defaultLab } from '../../../shared/lab/defaultLab.ts';
import { sequentialIds } from '../../../shared/lab/labIds.ts';
import { parseIptablesSave } from '../../../shared/netfilter/iptables/parseIptablesSave.ts';
import type { Ruleset } from '../../../shared/netfilter/model.ts';
import { parseNft } from '../../../shared/netfilter/nft/parseNft.ts';
import type { HostRuntime } from '../../../shared/simulator/hostRuntime.ts';
import type { GeneratedLab } from './generatedLabs.ts';

const BR = 'virbr1';
const NET = '192.168.10.0/24';

interface MarkCase {
  name: string;
  backend: 'legacy' | 'nft';
  /** iptables-save text (mangle/filter) and/or an nft ruleset. */
  save?: string;
  nft?: string;
  mode?: 'route' | 'nat';
  /** Two guests on the bridge (bridged traffic between them) with br_netfilter on. */
  bridged?: boolean;
  gatewayRuleset?: string;
}

const mangle = (rules: string[]) => ['*mangle', ':PREROUTING ACCEPT [0:0]', ':INPUT ACCEPT [0:0]', ':FORWARD ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', ':POSTROUTING ACCEPT [0:0]', ...rules, 'COMMIT'];
const filter = (input: string, forward: string, rules: string[]) => ['*filter', `:INPUT ${input} [0:0]`, `:FORWARD ${forward} [0:0]`, ':OUTPUT ACCEPT [0:0]', ...rules, 'COMMIT'];
const nat = ['*nat', ':PREROUTING ACCEPT [0:0]', ':INPUT ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', ':POSTROUTING ACCEPT [0:0]', `-A POSTROUTING -s ${NET} ! -d ${NET} -j MASQUERADE`, 'COMMIT'];
const text = (...parts: string[][]) => parts.flat().join('\n') + '\n';
// DNS and DHCP to the host stay open so DHCP-less guests are not the point.
const DNS = [`-A INPUT -i ${BR} -p udp -m udp --dport 53 -j ACCEPT`, `-A INPUT -i ${BR} -p udp -m udp --dport 67 -j ACCEPT`];

export const MARK_CASES: MarkCase[] = [
  {
    name: 'MARK in mangle PREROUTING, matched in filter FORWARD and INPUT (policies DROP); a POSTROUTING mark comes too late',
    backend: 'legacy',
    save: text(
      mangle([`-A PREROUTING -i ${BR} -p tcp -m tcp --dport 443 -j MARK --set-xmark 0x1/0xffffffff`, '-A POSTROUTING -p tcp -m tcp --dport 22 -j MARK --set-xmark 0x1/0xffffffff']),
      filter('DROP', 'DROP', [
        ...DNS, '-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT', '-A INPUT -m mark --mark 0x1 -j ACCEPT',
        '-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT', '-A FORWARD -m mark --mark 0x1 -j ACCEPT', '-A FORWARD -p icmp -j REJECT --reject-with icmp-host-prohibited',
      ]),
    ),
  },
  {
    name: 'the same with iptables-nft and a masqueraded (nat) network',
    backend: 'nft',
    mode: 'nat',
    save: text(
      mangle([`-A PREROUTING -i ${BR} -p tcp -m tcp --dport 443 -j MARK --set-xmark 0x1/0xffffffff`]),
      filter('DROP', 'DROP', [...DNS, '-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT', '-A INPUT -m mark --mark 0x1 -j ACCEPT', '-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT', '-A FORWARD -m mark --mark 0x1 -j ACCEPT']),
      nat,
    ),
  },
  {
    name: 'CONNMARK --save-mark on the request, --restore-mark on the reply; FORWARD has no ESTABLISHED rule',
    backend: 'legacy',
    save: text(
      mangle([
        '-A PREROUTING -j CONNMARK --restore-mark --nfmask 0xffffffff --ctmask 0xffffffff',
        `-A PREROUTING -i ${BR} -p tcp -m tcp --dport 443 -j MARK --set-xmark 0x5/0xffffffff`,
        `-A PREROUTING -i ${BR} -p icmp -j MARK --set-xmark 0x5/0xffffffff`,
        '-A PREROUTING -m mark --mark 0x5 -j CONNMARK --save-mark --nfmask 0xffffffff --ctmask 0xffffffff',
      ]),
      filter('ACCEPT', 'DROP', ['-A FORWARD -m mark --mark 0x5 -j ACCEPT']),
    ),
  },
  {
    name: 'CONNMARK --save-mark without --restore-mark: the reply is unmarked (control)',
    backend: 'nft',
    save: text(
      mangle([`-A PREROUTING -i ${BR} -p tcp -m tcp --dport 443 -j MARK --set-xmark 0x5/0xffffffff`, '-A PREROUTING -m mark --mark 0x5 -j CONNMARK --save-mark --nfmask 0xffffffff --ctmask 0xffffffff']),
      filter('ACCEPT', 'DROP', ['-A FORWARD -m mark --mark 0x5 -j ACCEPT', `-A FORWARD -i ${BR} -p icmp -j ACCEPT`, '-A FORWARD -p icmp -m conntrack --ctstate ESTABLISHED -j ACCEPT']),
    ),
  },
  {
    name: 'ct mark set on the request, -m connmark on the reply and on the host\'s input; a REJECT\'s ICMP error (RELATED) sees the ct mark in OUTPUT',
    backend: 'legacy',
    save: text(
      mangle([`-A PREROUTING -i ${BR} -p tcp -j CONNMARK --set-xmark 0x7/0xffffffff`, `-A PREROUTING -i ${BR} -p udp -j CONNMARK --set-xmark 0x6/0xffffffff`]),
      [
        '*filter', ':INPUT DROP [0:0]', ':FORWARD DROP [0:0]', ':OUTPUT ACCEPT [0:0]',
        ...DNS.filter((r) => r.includes('67')), '-A INPUT -m connmark --mark 0x7 -j ACCEPT', '-A INPUT -p udp -j REJECT --reject-with icmp-port-unreachable',
        `-A FORWARD -i ${BR} -p tcp -j ACCEPT`, '-A FORWARD -i eth1 -m connmark --mark 0x7 -j ACCEPT', '-A FORWARD -p udp -j REJECT --reject-with icmp-port-unreachable',
        '-A OUTPUT -p icmp -m connmark --mark 0x6 -j DROP', 'COMMIT',
      ],
    ),
  },
  {
    name: 'nft: meta mark set in prerouting, ct mark set meta mark, meta mark set ct mark on the reply; forward policy drop',
    backend: 'nft',
    nft: `table ip marks {
\tchain prerouting_marks {
\t\ttype filter hook prerouting priority mangle; policy accept;
\t\tiifname "eth1" meta mark set ct mark
\t\tiifname "${BR}" tcp dport { 22, 443 } meta mark set 0x3
\t\tmeta mark 0x3 ct mark set meta mark
\t\ticmp type echo-request ct mark set 0x4
\t}
\tchain forward_marks {
\t\ttype filter hook forward priority filter; policy drop;
\t\tmeta mark 0x3 accept
\t\tct mark 0x4 accept
\t}
\tchain input_marks {
\t\ttype filter hook input priority filter; policy drop;
\t\tudp dport { 53, 67 } accept
\t\tmeta mark 0x3 accept
\t}
}
`,
  },
  {
    name: 'nft: mark set in output, dropped in postrouting (the host\'s answers on tcp/22)',
    backend: 'nft',
    nft: `table ip marks {
\tchain output_marks {
\t\ttype filter hook output priority mangle; policy accept;
\t\ttcp sport 22 meta mark set 0x9
\t}
\tchain postrouting_marks {
\t\ttype filter hook postrouting priority filter; policy accept;
\t\tmeta mark 0x9 drop
\t}
}
`,
  },
  {
    name: 'bridged between two guests (br_netfilter): the PREROUTING mark decides FORWARD',
    backend: 'legacy',
    bridged: true,
    save: text(
      mangle([`-A PREROUTING -i ${BR} -p tcp -m tcp --dport 22 -j MARK --set-xmark 0x2/0xffffffff`]),
      filter('ACCEPT', 'DROP', ['-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT', '-A FORWARD -m mark --mark 0x2 -j ACCEPT']),
    ),
  },
  {
    name: 'the mark stays on the host: the gateway drops marked packets, and sees none',
    backend: 'legacy',
    save: text(mangle([`-A PREROUTING -i ${BR} -j MARK --set-xmark 0x1/0xffffffff`]), filter('ACCEPT', 'ACCEPT', [])),
    gatewayRuleset: text(['*filter', ':INPUT ACCEPT [0:0]', ':FORWARD ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', '-A INPUT -m mark --mark 0x1 -j DROP', '-A FORWARD -m mark --mark 0x1 -j DROP', 'COMMIT']),
  },
];

function networkXml(mode: 'route' | 'nat'): string {
  return `<network><name>n0</name><forward mode='${mode}'/><bridge name='${BR}'/><ip address='192.168.10.1' netmask='255.255.255.0'><dhcp><range start='192.168.10.100' end='192.168.10.200'/></dhcp></ip></network>`;
}

export function markLab(c: MarkCase, index: number): GeneratedLab {
  const lab = defaultLab(sequentialIds(), { returnRoutes: [NET] });
  const mode = c.mode ?? 'route';
  lab.networks.push({ id: 'net0', xml: networkXml(mode), autostart: true });
  lab.guests.push({ id: 'g0', name: 'guest0', networkId: 'net0', address: '192.168.10.20', listens: ['tcp/22', 'tcp/443', 'udp/53'] });
  if (c.bridged) lab.guests.push({ id: 'g1', name: 'guest1', networkId: 'net0', address: '192.168.10.21', listens: ['tcp/22', 'tcp/443'] });
  lab.host.listens = ['tcp/22', 'tcp/443'];
  lab.gateway.masquerade = ['192.168.90.0/24', NET];
  lab.host.iptablesBackend = c.backend;
  if (c.gatewayRuleset) lab.gateway.ruleset = c.gatewayRuleset;
  const rulesets: Ruleset[] = [];
  if (c.save) rulesets.push(parseIptablesSave(c.save, { family: 'ipv4', backend: c.backend }).ruleset);
  if (c.nft) rulesets.push(parseNft(c.nft).ruleset);
  const runtime: HostRuntime = {
    netfilter: rulesets,
    sysctls: { ipForward: true, interfaceForwarding: {}, rpFilter: { all: 0, default: 0, interfaces: {} }, bridgeNfCallIptables: c.bridged === true, setBy: {} },
    runningNetworkIds: ['net0'],
    notes: [],
  };
  return { seed: index, lab, rulesets, runtime, description: `mark case ${index}: ${c.name}` };
}
