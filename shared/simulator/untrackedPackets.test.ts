// Untracked packets in the flow engine: a raw-table notrack (CT --notrack,
// NOTRACK, nft `notrack`) holds for the later hooks of the same node (ctstate
// UNTRACKED), keeps the packet away from NAT, leaves no conntrack entry (the
// reply is a packet of an unknown connection: a UDP answer NEW, a SYN-ACK or an
// echo reply INVALID), and the path names the rule. Kernel behaviour checked
// in test/reality/simulator-notrack.test.ts.

import { describe, expect, it } from 'vitest';
import { parseRuleset } from '../netfilter/parseRuleset.ts';
import { buildLabWorld, guestNodeId } from './labWorld.ts';
import { simulateInWorld } from './simulateInWorld.ts';
import { runtimeFor, storyLab } from './simulatorTestkit.testkit.ts';
import type { FlowVerdict } from './flowTypes.ts';

const RAW = (rules: string[]) => ['*raw', ':PREROUTING ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', ...rules, 'COMMIT'];
const FILTER = (policies: string, rules: string[]) => ['*filter', ...policies.split(' ').map((p, i) => `:${['INPUT', 'FORWARD', 'OUTPUT'][i]} ${p} [0:0]`), ...rules, 'COMMIT'];
const NAT = (rules: string[]) => ['*nat', ':PREROUTING ACCEPT [0:0]', ':INPUT ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', ':POSTROUTING ACCEPT [0:0]', ...rules, 'COMMIT'];
const text = (...parts: string[][]) => parts.flat().join('\n') + '\n';

/** The story's lab (guest kali 192.168.10.20 on virbr3, host eth1 192.168.90.10, gateway 192.168.90.1) with these host rules. */
function sim(rules: string, to: string, service: string, mode: 'route' | 'nat' = 'route'): FlowVerdict {
  const lab = storyLab(mode);
  lab.host.listens = ['tcp/22', 'udp/53'];
  const runtime = runtimeFor(lab, null);
  runtime.netfilter = parseRuleset(rules).rulesets;
  return simulateInWorld(buildLabWorld(lab, runtime), guestNodeId('guest-kali'), { from: '192.168.10.20', to, service });
}

const untracked = (v: FlowVerdict) => v.path.filter((s) => s.stage === 'notrack').map((s) => `${s.direction} ${s.detail}`);
const stateful = ['-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT', '-A FORWARD -m conntrack --ctstate UNTRACKED -j ACCEPT'];

describe('a notracked packet stays untracked in the later hooks of the host', () => {
  it('raw PREROUTING CT --notrack both ways: FORWARD accepts request and reply by --ctstate UNTRACKED; the path names the rule', () => {
    const rules = text(RAW(['-A PREROUTING -p udp -m udp --dport 53 -j CT --notrack', '-A PREROUTING -p udp -m udp --sport 53 -j CT --notrack']), FILTER('ACCEPT DROP ACCEPT', ['-A FORWARD -m conntrack --ctstate UNTRACKED -j ACCEPT']));
    const v = sim(rules, '192.168.90.1', 'udp/53');
    expect(v.guestSees).toBe('reply');
    expect(v.decidedBy?.rule).toBe('-A FORWARD -m conntrack --ctstate UNTRACKED -j ACCEPT');
    expect(untracked(v)).toEqual([
      'request untracked by raw PREROUTING rule 1 (-A PREROUTING -p udp -m udp --dport 53 -j CT --notrack): no conntrack entry, no NAT; later hooks see ctstate UNTRACKED',
      'reply untracked by raw PREROUTING rule 2 (-A PREROUTING -p udp -m udp --sport 53 -j CT --notrack): no conntrack entry, no NAT; later hooks see ctstate UNTRACKED',
    ]);
    const at = v.path.findIndex((s) => s.stage === 'notrack');
    expect(v.path[at].rule?.table).toBe('raw');
    expect(v.path[at - 1].stage).toBe('prerouting');
  });

  it('without the notrack the same FORWARD drops the request (control)', () => {
    const v = sim(text(FILTER('ACCEPT DROP ACCEPT', ['-A FORWARD -m conntrack --ctstate UNTRACKED -j ACCEPT'])), '192.168.90.1', 'udp/53');
    expect(v.cause).toBe('chain-policy');
    expect(v.hop?.direction).toBe('request');
  });

  it('notrack one direction with a stateful FORWARD: the reply has no connection to belong to and is dropped', () => {
    const rules = text(RAW(['-A PREROUTING -i virbr3 -j NOTRACK']), FILTER('ACCEPT DROP ACCEPT', stateful));
    for (const service of ['udp/53', 'tcp/443', 'icmp']) {
      const v = sim(rules, '192.168.90.1', service);
      expect(v.guestSees, service).toBe('timeout');
      expect(v.cause, service).toBe('chain-policy');
      expect(v.hop, service).toEqual({ node: 'KVM host kvm-host', stage: 'FORWARD', direction: 'reply' });
    }
  });

  it('the reply of an untracked request is NEW (UDP) or INVALID (SYN-ACK, echo reply), never ESTABLISHED', () => {
    const rules = text(RAW(['-A PREROUTING -i virbr3 -j NOTRACK']), FILTER('ACCEPT DROP ACCEPT', [...stateful, '-A FORWARD -i eth1 -m conntrack --ctstate NEW -j ACCEPT']));
    expect(sim(rules, '192.168.90.1', 'udp/53').guestSees).toBe('reply');
    expect(sim(rules, '192.168.90.1', 'tcp/443').guestSees).toBe('timeout');
    expect(sim(rules, '192.168.90.1', 'icmp').guestSees).toBe('timeout');
    const invalid = text(RAW(['-A PREROUTING -i virbr3 -j NOTRACK']), FILTER('ACCEPT DROP ACCEPT', [...stateful, '-A FORWARD -i eth1 -m conntrack --ctstate INVALID -j ACCEPT']));
    expect(sim(invalid, '192.168.90.1', 'tcp/443').guestSees).toBe('reply');
    expect(sim(invalid, '192.168.90.1', 'icmp').guestSees).toBe('reply');
    expect(sim(invalid, '192.168.90.1', 'udp/53').guestSees).toBe('timeout');
  });
});

describe('NAT never sees an untracked packet', () => {
  it('DNAT of a notracked flow does not happen: the packet goes where it was sent', () => {
    const dnat = NAT(['-A PREROUTING -i virbr3 -d 192.168.90.1/32 -p tcp -m tcp --dport 443 -j DNAT --to-destination 192.168.10.1:22']);
    const tracked = sim(text(dnat), '192.168.90.1', 'tcp/443');
    expect(tracked.path.some((s) => s.stage === 'nat' && s.detail.includes('destination becomes 192.168.10.1'))).toBe(true);
    const v = sim(text(RAW(['-A PREROUTING -p tcp -m tcp --dport 443 -j NOTRACK', '-A PREROUTING -p tcp -m tcp --sport 443 -j NOTRACK']), dnat), '192.168.90.1', 'tcp/443');
    expect(v.guestSees).toBe('reply');
    expect(v.path.some((s) => s.stage === 'nat')).toBe(false);
    expect(untracked(v).map((x) => x.split(' (')[0])).toEqual(['request untracked by raw PREROUTING rule 1', 'reply untracked by raw PREROUTING rule 2']);
    expect(v.path.find((s) => s.stage === 'deliver')?.node).toBe('kali 192.168.10.20');
    expect(v.path.some((s) => s.node.startsWith('gateway') && s.stage === 'answer')).toBe(true);
  });

  it('MASQUERADE of a notracked request does not happen on the host (nat network)', () => {
    const masq = NAT(['-A POSTROUTING -s 192.168.10.0/24 ! -d 192.168.10.0/24 -j MASQUERADE']);
    const tracked = sim(text(masq), '192.168.90.1', 'udp/53', 'nat');
    expect(tracked.path.some((s) => s.node === 'KVM host kvm-host' && s.stage === 'nat')).toBe(true);
    const v = sim(text(RAW(['-A PREROUTING -i virbr3 -j NOTRACK']), masq), '192.168.90.1', 'udp/53', 'nat');
    expect(v.path.some((s) => s.node === 'KVM host kvm-host' && s.stage === 'nat')).toBe(false);
  });
});

describe('what the host sends about an untracked packet is not RELATED', () => {
  it('a REJECT\'s ICMP error about an untracked request is INVALID in OUTPUT', () => {
    const reject = (notrack: boolean) =>
      text(RAW(notrack ? ['-A PREROUTING -i virbr3 -j NOTRACK'] : []), FILTER('ACCEPT ACCEPT ACCEPT', ['-A FORWARD -p udp -j REJECT --reject-with icmp-port-unreachable', '-A OUTPUT -m conntrack --ctstate INVALID -j DROP']));
    expect(sim(reject(false), '192.168.90.1', 'udp/53').guestSees).toBe('error:Destination Port Unreachable from 192.168.10.1');
    const v = sim(reject(true), '192.168.90.1', 'udp/53');
    expect(v.guestSees).toBe('timeout');
    expect(v.path.some((s) => s.stage === 'output' && s.outcome === 'drop' && s.detail.includes('--ctstate INVALID'))).toBe(true);
  });
});

describe('OUTPUT notrack: the host\'s own packets', () => {
  it('raw OUTPUT NOTRACK on the host\'s answer: filter OUTPUT sees UNTRACKED, not ESTABLISHED', () => {
    const rules = (accept: string) => text(RAW(['-A OUTPUT -p tcp -m tcp --sport 22 -j NOTRACK']), FILTER('ACCEPT ACCEPT DROP', [`-A OUTPUT -m conntrack --ctstate ${accept} -j ACCEPT`]));
    const dropped = sim(rules('ESTABLISHED'), '192.168.10.1', 'tcp/22');
    expect(dropped.guestSees).toBe('timeout');
    expect(dropped.hop).toEqual({ node: 'KVM host kvm-host', stage: 'OUTPUT', direction: 'reply' });
    expect(untracked(dropped)).toEqual(['reply untracked by raw OUTPUT rule 1 (-A OUTPUT -p tcp -m tcp --sport 22 -j NOTRACK): no conntrack entry, no NAT; later hooks see ctstate UNTRACKED']);
    expect(sim(rules('UNTRACKED'), '192.168.10.1', 'tcp/22').guestSees).toBe('reply');
  });
});

describe('nft notrack', () => {
  const nft = (priority: string) => `table ip nt {
\tchain pre {
\t\ttype filter hook prerouting priority ${priority}; policy accept;
\t\tudp dport 53 notrack
\t\tudp sport 53 notrack
\t}
\tchain forward {
\t\ttype filter hook forward priority filter; policy drop;
\t\tct state untracked accept
\t}
}
`;

  it('in a prerouting chain at priority raw: forward accepts by ct state untracked; the path names the nft rule', () => {
    const v = sim(nft('raw'), '192.168.90.1', 'udp/53');
    expect(v.guestSees).toBe('reply');
    expect(untracked(v)[0]).toBe('request untracked by nft table ip nt chain pre rule 1 (udp dport 53 notrack): no conntrack entry, no NAT; later hooks see ctstate UNTRACKED');
  });

  it('in a prerouting chain after conntrack (priority filter) notrack does nothing: the packet is tracked', () => {
    const v = sim(nft('filter'), '192.168.90.1', 'udp/53');
    expect(v.cause).toBe('chain-policy');
    expect(untracked(v)).toEqual([]);
  });
});
