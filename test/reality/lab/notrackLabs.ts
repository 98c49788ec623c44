// Labs for the kernel comparison of untracked packets (raw-table CT --notrack,
// NOTRACK, nft `notrack`): the packet stays untracked in the later hooks of the
// host (--ctstate UNTRACKED / ct state untracked match, NEW/ESTABLISHED do not),
// NAT never sees it, its reply belongs to no connection (a UDP answer is NEW, a
// SYN-ACK or an echo reply INVALID), what the host sends about it (a REJECT's
// error or RST, a closed port's answer) is INVALID, a notrack after conntrack
// (nft chain at priority filter) does nothing, and the host's own answers
// notracked in raw OUTPUT. Each lab has cells that only the untracked state
// decides, so a simulator that forgot it between hooks disagrees on the matrix.
// Built with markLabs.ts's lab builder (same topology: guest0 192.168.10.20 on
// virbr1, host eth1 192.168.90.10, gateway 192.168.90.1, the internet host).

import type { markLab } from './markLabs.ts';

type KernelLabCase = Parameters<typeof markLab>[0];

const BR = 'virbr1';
const NET = '192.168.10.0/24';

const raw = (rules: string[]) => ['*raw', ':PREROUTING ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', ...rules, 'COMMIT'];
const filter = (input: string, forward: string, output: string, rules: string[]) => ['*filter', `:INPUT ${input} [0:0]`, `:FORWARD ${forward} [0:0]`, `:OUTPUT ${output} [0:0]`, ...rules, 'COMMIT'];
const nat = (rules: string[]) => ['*nat', ':PREROUTING ACCEPT [0:0]', ':INPUT ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', ':POSTROUTING ACCEPT [0:0]', ...rules, 'COMMIT'];
const text = (...parts: string[][]) => parts.flat().join('\n') + '\n';

export const NOTRACK_CASES: KernelLabCase[] = [
  {
    name: 'raw NOTRACK for udp/53 and icmp both ways; FORWARD and INPUT (policy DROP) accept only --ctstate UNTRACKED (and tcp/22 to the host)',
    backend: 'legacy',
    save: text(
      raw(['-A PREROUTING -p udp -m udp --dport 53 -j NOTRACK', '-A PREROUTING -p udp -m udp --sport 53 -j NOTRACK', '-A PREROUTING -p icmp -j CT --notrack']),
      filter('DROP', 'DROP', 'ACCEPT', ['-A INPUT -m conntrack --ctstate UNTRACKED -j ACCEPT', `-A INPUT -i ${BR} -p tcp -m tcp --dport 22 -j ACCEPT`, '-A FORWARD -m conntrack --ctstate UNTRACKED -j ACCEPT']),
    ),
  },
  {
    name: 'NOTRACK on a DNAT\'d flow (iptables-nft, nat network): tcp/443 untracked is not DNAT\'d nor masqueraded, tcp/22 and udp are',
    backend: 'nft',
    mode: 'nat',
    save: text(
      raw([`-A PREROUTING -i ${BR} -p tcp -m tcp --dport 443 -j NOTRACK`]),
      nat([
        `-A PREROUTING -i ${BR} -p tcp -j DNAT --to-destination 192.168.10.1:23`,
        `-A PREROUTING -i ${BR} -p udp -j DNAT --to-destination 192.168.10.1:54`,
        `-A POSTROUTING -s ${NET} ! -d ${NET} -j MASQUERADE`,
      ]),
    ),
  },
  {
    name: 'NOTRACK one direction (from the guest) with a stateful FORWARD: the reply is NEW (udp) or INVALID (SYN-ACK, echo reply), never ESTABLISHED',
    backend: 'nft',
    save: text(
      raw([`-A PREROUTING -i ${BR} -j NOTRACK`]),
      filter('DROP', 'DROP', 'ACCEPT', [
        '-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED,UNTRACKED -j ACCEPT',
        '-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED,UNTRACKED -j ACCEPT',
        '-A FORWARD -i eth1 -p udp -m conntrack --ctstate NEW -j ACCEPT',
        '-A FORWARD -i eth1 -p icmp -m conntrack --ctstate INVALID -j ACCEPT',
      ]),
    ),
  },
  {
    name: 'what the host sends about an untracked packet is INVALID in OUTPUT: REJECT\'s ICMP error and RST, a closed port\'s answer (tcp/22 and icmp tracked: control)',
    backend: 'legacy',
    save: text(
      raw([`-A PREROUTING -i ${BR} -p udp -j NOTRACK`, `-A PREROUTING -i ${BR} -p tcp -m tcp --dport 443 -j NOTRACK`]),
      filter('ACCEPT', 'ACCEPT', 'ACCEPT', [
        '-A FORWARD -p udp -j REJECT --reject-with icmp-port-unreachable',
        '-A FORWARD -p tcp -j REJECT --reject-with tcp-reset',
        '-A FORWARD -p icmp -j REJECT --reject-with icmp-host-prohibited',
        '-A OUTPUT -m conntrack --ctstate INVALID -j DROP',
      ]),
    ),
  },
  {
    name: 'nft: notrack in prerouting at priority raw with ct state untracked accept; a notrack at priority filter (after conntrack) does nothing',
    backend: 'nft',
    nft: `table ip nt {
\tchain pre_raw {
\t\ttype filter hook prerouting priority raw; policy accept;
\t\tudp dport 53 notrack
\t\tudp sport 53 notrack
\t}
\tchain pre_late {
\t\ttype filter hook prerouting priority filter; policy accept;
\t\ttcp dport 443 notrack
\t\ttcp sport 443 notrack
\t}
\tchain forward_nt {
\t\ttype filter hook forward priority filter; policy drop;
\t\tmeta l4proto tcp ct state untracked drop
\t\tct state untracked accept
\t\tct state established,related accept
\t\ttcp dport { 22, 443 } ct state new accept
\t}
\tchain input_nt {
\t\ttype filter hook input priority filter; policy drop;
\t\tmeta l4proto tcp ct state untracked drop
\t\tct state untracked accept
\t\tct state established,related accept
\t\ttcp dport { 22, 443 } ct state new accept
\t}
}
`,
  },
  {
    name: 'raw OUTPUT NOTRACK on the host\'s own answers (tcp/22, echo reply): filter OUTPUT (policy DROP) sees UNTRACKED, not ESTABLISHED; mangle POSTROUTING still sees it untracked',
    backend: 'legacy',
    save: text(
      raw(['-A OUTPUT -p tcp -m tcp --sport 22 -j NOTRACK', '-A OUTPUT -p icmp -m icmp --icmp-type 0 -j NOTRACK']),
      ['*mangle', ':PREROUTING ACCEPT [0:0]', ':INPUT ACCEPT [0:0]', ':FORWARD ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', ':POSTROUTING ACCEPT [0:0]', `-A POSTROUTING -o ${BR} -p icmp -m conntrack --ctstate UNTRACKED -j DROP`, 'COMMIT'],
      filter('ACCEPT', 'ACCEPT', 'DROP', ['-A OUTPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT', '-A OUTPUT -p icmp -m conntrack --ctstate UNTRACKED -j ACCEPT']),
    ),
  },
  {
    name: 'nat network, NOTRACK only on the way back (udp from port 53, icmp): the answer is not de-masqueraded and ends at the host; tcp tracked (control)',
    backend: 'legacy',
    mode: 'nat',
    save: text(raw(['-A PREROUTING -i eth1 -p udp -m udp --sport 53 -j NOTRACK', '-A PREROUTING -i eth1 -p icmp -j NOTRACK']), nat([`-A POSTROUTING -s ${NET} ! -d ${NET} -j MASQUERADE`])),
  },
];
