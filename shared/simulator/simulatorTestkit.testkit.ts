// Test helpers: the story's lab with a hand-made host ruleset (iptables-save
// text), so the flow engine is tested independently of the timeline fold.

import { defaultLab } from '../lab/defaultLab.ts';
import { sequentialIds } from '../lab/labIds.ts';
import type { Lab } from '../lab/labModel.ts';
import { sampleNetworkXml } from '../lab/sampleLab.ts';
import { parseIptablesSave } from '../netfilter/iptables/parseIptablesSave.ts';
import type { HostRuntime } from './hostRuntime.ts';

export function storyLab(mode: 'isolated' | 'route' | 'nat', guestAddress = '192.168.10.20'): Lab {
  const lab = defaultLab(sequentialIds(), { iptablesBackend: 'legacy', libvirtVersion: '3.3', returnRoutes: ['192.168.10.0/24'] });
  lab.networks = [{ id: 'net-deb', xml: sampleNetworkXml(mode), autostart: true }];
  lab.guests = [{ id: 'guest-kali', name: 'kali', networkId: 'net-deb', address: guestAddress, listens: [] }];
  lab.gateway.masquerade = ['192.168.90.0/24', '192.168.10.0/24'];
  return lab;
}

/** libvirt < 5.1 rules for network deb on virbr3 (story.md), as iptables-save prints them. */
export function libvirtRules(mode: 'isolated' | 'route' | 'nat'): { filter: string[]; nat: string[] } {
  const filter = [
    '-A INPUT -i virbr3 -p udp -m udp --dport 53 -j ACCEPT',
    '-A INPUT -i virbr3 -p tcp -m tcp --dport 53 -j ACCEPT',
    '-A INPUT -i virbr3 -p udp -m udp --dport 67 -j ACCEPT',
    '-A INPUT -i virbr3 -p tcp -m tcp --dport 67 -j ACCEPT',
  ];
  if (mode === 'route') filter.push('-A FORWARD -d 192.168.10.0/24 -o virbr3 -j ACCEPT', '-A FORWARD -s 192.168.10.0/24 -i virbr3 -j ACCEPT');
  if (mode === 'nat') filter.push('-A FORWARD -d 192.168.10.0/24 -o virbr3 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT', '-A FORWARD -s 192.168.10.0/24 -i virbr3 -j ACCEPT');
  filter.push(
    '-A FORWARD -i virbr3 -o virbr3 -j ACCEPT',
    '-A FORWARD -o virbr3 -j REJECT --reject-with icmp-port-unreachable',
    '-A FORWARD -i virbr3 -j REJECT --reject-with icmp-port-unreachable',
    '-A OUTPUT -o virbr3 -p udp -m udp --dport 68 -j ACCEPT',
  );
  const nat = mode === 'nat' ? ['-A POSTROUTING -s 192.168.10.0/24 ! -d 192.168.10.0/24 -j MASQUERADE'] : [];
  return { filter, nat };
}

export function iptablesSave(filter: string[], nat: string[] = [], policies: Partial<Record<'INPUT' | 'FORWARD' | 'OUTPUT', 'ACCEPT' | 'DROP'>> = {}): string {
  const lines = ['*filter', `:INPUT ${policies.INPUT ?? 'ACCEPT'} [0:0]`, `:FORWARD ${policies.FORWARD ?? 'ACCEPT'} [0:0]`, `:OUTPUT ${policies.OUTPUT ?? 'ACCEPT'} [0:0]`, ...filter, 'COMMIT'];
  if (nat.length) lines.push('*nat', ':PREROUTING ACCEPT [0:0]', ':INPUT ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', ':POSTROUTING ACCEPT [0:0]', ...nat, 'COMMIT');
  return lines.join('\n') + '\n';
}

export function runtimeFor(lab: Lab, save: string | null, over: Partial<HostRuntime['sysctls']> = {}): HostRuntime {
  const s = lab.host.sysctls;
  return {
    ...(save ? { netfilter: [parseIptablesSave(save, { family: 'ipv4', backend: lab.host.iptablesBackend }).ruleset] } : {}),
    sysctls: { ipForward: s.ipForward, interfaceForwarding: { ...s.interfaceForwarding }, rpFilter: { ...s.rpFilter, interfaces: { ...s.rpFilter.interfaces } }, bridgeNfCallIptables: s.bridgeNfCallIptables, setBy: {}, ...over },
    runningNetworkIds: lab.networks.map((n) => n.id),
    notes: [],
  };
}
