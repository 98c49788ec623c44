// The connection's tuples in the flow engine: after the host's DNAT/REDIRECT the
// later hooks still see the original destination (`--ctorigdstport`), after its
// SNAT the reply tuple names the SNAT address — but only once POSTROUTING has
// made it: the first packet's FORWARD still sees the reply tuple without it.
// The answer and the ICMP errors about the connection see the same entry.

import { describe, expect, it } from 'vitest';
import { parseRuleset } from '../netfilter/parseRuleset.ts';
import { buildLabWorld, guestNodeId } from './labWorld.ts';
import { simulateInWorld } from './simulateInWorld.ts';
import { iptablesSave, runtimeFor, storyLab } from './simulatorTestkit.testkit.ts';
import type { FlowVerdict } from './flowTypes.ts';

/** The story's routed lab (guest kali 192.168.10.20 on virbr3, host eth1 192.168.90.10, listening on tcp/22) with these host rules. */
function sim(rules: string | string[], to: string, service: string): FlowVerdict {
  const lab = storyLab('route');
  lab.host.listens = ['tcp/22'];
  const runtime = runtimeFor(lab, null);
  runtime.netfilter = (Array.isArray(rules) ? rules : [rules]).flatMap((r) => parseRuleset(r).rulesets);
  return simulateInWorld(buildLabWorld(lab, runtime), guestNodeId('guest-kali'), { from: '192.168.10.20', to, service });
}

const ESTABLISHED = '-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT';

describe('conntrack tuples in the simulator', () => {
  // The host's tcp/443 is forwarded to the gateway's ssh; FORWARD lets through what was asked for on 443.
  const dnat = iptablesSave(
    [ESTABLISHED, '-A FORWARD -m conntrack --ctorigdst 192.168.90.10 --ctorigdstport 443 -j ACCEPT'],
    ['-A PREROUTING -d 192.168.90.10/32 -p tcp -m tcp --dport 443 -j DNAT --to-destination 192.168.90.1:22'],
    { FORWARD: 'DROP' },
  );

  it('after DNAT, FORWARD sees the original destination and port (--ctorigdst/--ctorigdstport), decided, not conditional', () => {
    const v = sim(dnat, '192.168.90.10', 'tcp/443');
    expect(v.guestSees).toBe('reply');
    expect(v.conditions).toEqual([]);
    expect(v.path.find((s) => s.stage === 'forward' && s.direction === 'request')?.rule?.text).toBe('-A FORWARD -m conntrack --ctorigdst 192.168.90.10 --ctorigdstport 443 -j ACCEPT');
  });

  it('the same port asked for directly is not the forwarded connection: FORWARD policy', () => {
    const v = sim(dnat, '192.168.90.1', 'tcp/22');
    expect(v.cause).toBe('chain-policy');
    expect(v.conditions).toEqual([]);
  });

  it('REDIRECT: INPUT sees the original port (nft ct original proto-dst), the port asked for directly is dropped', () => {
    const rules = [iptablesSave([], ['-A PREROUTING -d 192.168.10.1/32 -p tcp -m tcp --dport 443 -j REDIRECT --to-ports 22']), `table inet own {
\tchain input {
\t\ttype filter hook input priority filter; policy drop;
\t\tmeta l4proto tcp ct original proto-dst 443 accept
\t\tudp dport { 53, 67 } accept
\t}
}
`];
    expect(sim(rules, '192.168.10.1', 'tcp/443').guestSees).toBe('reply');
    const direct = sim(rules, '192.168.10.1', 'tcp/22');
    expect(direct.cause).toBe('chain-policy');
    expect(direct.conditions).toEqual([]);
  });

  it('SNAT: the reply tuple names the SNAT address for the answer, not yet for the first packet\'s FORWARD', () => {
    const rules = iptablesSave(
      [
        // The first packet: SNAT is decided in POSTROUTING, after FORWARD — this must not match it.
        '-A FORWARD -i virbr3 -m conntrack --ctrepldst 192.168.90.10 -j DROP',
        '-A FORWARD -i virbr3 -j ACCEPT',
        '-A FORWARD -i eth1 -m conntrack --ctreplsrc 192.168.90.1 --ctrepldst 192.168.90.10 -j ACCEPT',
      ],
      ['-A POSTROUTING -s 192.168.10.0/24 -o eth1 -p tcp -j SNAT --to-source 192.168.90.10'],
      { FORWARD: 'DROP' },
    );
    const snatted = sim(rules, '192.168.90.1', 'tcp/443');
    expect(snatted.guestSees).toBe('reply');
    expect(snatted.path.find((s) => s.stage === 'forward' && s.direction === 'reply')?.rule?.text).toBe('-A FORWARD -i eth1 -m conntrack --ctreplsrc 192.168.90.1 --ctrepldst 192.168.90.10 -j ACCEPT');
    // Not SNAT'd (udp): the reply tuple's destination is the guest; the answer meets the policy.
    const plain = sim(rules, '192.168.90.1', 'udp/53');
    expect(plain.guestSees).toBe('timeout');
    expect(plain.hop).toMatchObject({ stage: 'FORWARD', direction: 'reply' });
  });

  it('the ICMP error a REJECT sends about a forwarded connection is RELATED to it and sees its original tuple in OUTPUT', () => {
    const rules = iptablesSave(
      ['-A FORWARD -p tcp -j REJECT --reject-with icmp-host-prohibited', '-A OUTPUT -p icmp -m conntrack --ctorigdstport 443 -j DROP'],
      ['-A PREROUTING -d 192.168.90.10/32 -p tcp -m tcp --dport 443 -j DNAT --to-destination 192.168.90.1:22'],
    );
    expect(sim(rules, '192.168.90.10', 'tcp/443').guestSees).toBe('timeout');
    // Another connection's error passes OUTPUT.
    expect(sim(rules, '192.168.90.1', 'tcp/22').symptom).toMatchObject({ kind: 'icmp-error', icmpType: 3, icmpCode: 10 });
  });

  it('ICMP echo: the original tuple\'s proto-dst is type 8 << 8 (2048), the reply\'s 0; the echo id is not known', () => {
    const rules = `table inet own {
\tchain forward_own {
\t\ttype filter hook forward priority filter; policy drop;
\t\tmeta l4proto icmp ct original proto-dst 2048 ct direction original accept
\t\tmeta l4proto icmp ct reply proto-dst 0 ct direction reply accept
\t}
}
`;
    const v = sim(rules, '192.168.90.1', 'icmp');
    expect(v.guestSees).toBe('reply');
    expect(v.conditions).toEqual([]);
    const byId = sim(rules.replace('ct original proto-dst 2048', 'ct original proto-src 7'), '192.168.90.1', 'icmp');
    expect(byId.conditions).toEqual(['accepted if inet own forward_own rule 1 (ct original proto-src 7) matches, dropped otherwise — assumed: does not match']);
  });
});
