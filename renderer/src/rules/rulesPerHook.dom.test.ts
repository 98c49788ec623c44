import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import HookRules from '../components/layers/HookRules.svelte';
import { emptyNetfilterState } from '../../../shared/netfilter/netfilterState.ts';
import { parseIptablesSave } from '../../../shared/netfilter/iptables/parseIptablesSave.ts';
import { rulesPerHook } from './rulesPerHook.ts';

// The story's isolated network under libvirt (story.md), as iptables-save prints it.
const DUMP = `*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:forward_ext - [0:0]
-A INPUT -i virbr3 -p udp -m udp --dport 53 -j ACCEPT
-A FORWARD -i virbr3 -o virbr3 -j ACCEPT
-A FORWARD -o virbr3 -j REJECT --reject-with icmp-port-unreachable
-A FORWARD -i virbr3 -j REJECT --reject-with icmp-port-unreachable
-A FORWARD -j forward_ext
-A forward_ext -s 192.168.10.0/24 -d 192.168.90.0/24 -j ACCEPT
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
COMMIT
`;

describe('rulesPerHook', () => {
  it('lists FORWARD with its rules in order, the chain it jumps to and the policy', () => {
    const state = emptyNetfilterState();
    state.iptables.legacy.ipv4 = parseIptablesSave(DUMP, { family: 'ipv4', backend: 'legacy' }).ruleset;
    const hooks = rulesPerHook(state);
    expect(hooks.forward).toHaveLength(1);
    const forward = hooks.forward[0];
    expect(forward).toMatchObject({ ruleset: 'iptables-legacy ipv4', table: 'filter', chain: 'FORWARD', priority: 0, policy: 'DROP' });
    expect(forward.rules.map((r) => r.text)).toEqual([
      '-A FORWARD -i virbr3 -o virbr3 -j ACCEPT',
      '-A FORWARD -o virbr3 -j REJECT --reject-with icmp-port-unreachable',
      '-A FORWARD -i virbr3 -j REJECT --reject-with icmp-port-unreachable',
      '-A FORWARD -j forward_ext',
    ]);
    expect(forward.jumps).toMatchObject([{ chain: 'forward_ext', rules: [{ position: 1, text: '-A forward_ext -s 192.168.10.0/24 -d 192.168.90.0/24 -j ACCEPT' }] }]);
    // Provenance from the parser: the line the rule was read from.
    expect(forward.rules[1].provenance?.line).toBe(8);
    // nat's PREROUTING (−100) before nothing else; POSTROUTING is srcnat (100).
    expect(hooks.prerouting.map((c) => [c.table, c.priority])).toEqual([['nat', -100]]);
    expect(hooks.postrouting.map((c) => [c.table, c.priority])).toEqual([['nat', 100]]);
  });
});

describe('HookRules', () => {
  it('shows each rule with its provenance badges: layer, event, reason', () => {
    render(HookRules, {
      props: {
        chain: {
          ruleset: 'iptables-legacy ipv4',
          table: 'filter',
          chain: 'FORWARD',
          priority: 0,
          policy: 'DROP',
          jumps: [],
          rules: [{ position: 1, text: '-A FORWARD -i virbr3 -j REJECT --reject-with icmp-port-unreachable', provenance: { layer: 'libvirt', layerLabel: 'libvirt 3.3 · network deb (isolated)', event: 'SIGHUP to libvirtd after SuSEfirewall2 start', reason: 'forward mode isolated' } }],
        },
      },
    });
    expect(screen.getByText('-A FORWARD -i virbr3 -j REJECT --reject-with icmp-port-unreachable')).toBeTruthy();
    expect(screen.getByTitle('Layer that generated the rule').textContent).toBe('libvirt 3.3 · network deb (isolated)');
    expect(screen.getByTitle('Timeline event that placed it').textContent).toBe('SIGHUP to libvirtd after SuSEfirewall2 start');
    expect(screen.getByText('policy DROP')).toBeTruthy();
  });
});
