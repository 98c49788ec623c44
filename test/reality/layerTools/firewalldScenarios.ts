// The firewalld scenarios run against real firewalld 1.3.3
// (test/reality/firewalld-real.test.ts): the lab's firewalld layer files, the
// steps, and the model's netfilter state after each step. Pure (model side only).

import { defaultLab } from '../../../shared/lab/defaultLab.ts';
import { sequentialIds } from '../../../shared/lab/labIds.ts';
import type { Layer, TimelineEvent } from '../../../shared/lab/labModel.ts';
import { cloneNetfilterState, emptyNetfilterState, type NetfilterState } from '../../../shared/netfilter/netfilterState.ts';
import type { DriverContext } from '../../../shared/layers/driverContext.ts';
import { replayLayerActions } from '../../../shared/layers/layerActionReplay.ts';
import { layerEventActions } from '../../../shared/layers/layerDrivers.ts';
import { NetfilterStateTarget } from '../../../shared/layers/netfilterStateTarget.ts';

/** The version the fixtures were captured with (Debian 12). */
export const FIREWALLD_VERSION = '1.3.3';

export type FirewalldBackend = 'nftables' | 'iptables';

export interface FirewalldScenario {
  name: string;
  slug: string;
  /** /etc/firewalld/zones/*.xml and policies/*.xml (path → text). */
  files: Record<string, string>;
  /** The zone files written after the start, before `firewall-cmd --reload`. */
  reloadFiles?: Record<string, string>;
  /** Lines appended to firewalld.conf (e.g. `StrictForwardPorts=yes\n`). */
  conf?: string;
}

/** firewalld.conf of a scenario: the common settings plus its own lines. */
export const scenarioConf = (s: FirewalldScenario, backend: FirewalldBackend): string => `${firewalldConf(backend)}${s.conf ?? ''}`;

export const firewalldConf = (backend: FirewalldBackend): string =>
  `DefaultZone=public\nCleanupOnExit=yes\nCleanupModulesOnExit=no\nLockdown=no\nIPv6_rpfilter=yes\nIndividualCalls=no\nLogDenied=off\nFirewallBackend=${backend}\nFlushAllOnReload=yes\nRFC3964_IPv4=yes\n`;

const xml = (body: string): string => `<?xml version="1.0" encoding="utf-8"?>\n${body}\n`;

const FORWARD_PORT_FILES: Record<string, string> = {
  '/etc/firewalld/zones/public.xml': xml(
    '<zone>\n  <short>Public</short>\n  <service name="ssh"/>\n  <interface name="eth1"/>\n' +
      '  <forward-port port="2222" protocol="tcp" to-port="22" to-addr="192.168.10.50"/>\n' +
      '  <forward-port port="3389" protocol="tcp" to-addr="192.168.10.51"/>\n' +
      '  <forward-port port="8080" protocol="tcp" to-port="80"/>\n' +
      '  <forward-port port="2223" protocol="tcp" to-port="22" to-addr="fd00:10:0::50"/>\n' +
      '  <rule family="ipv4">\n    <source address="192.168.90.0/24"/>\n    <forward-port port="4443" protocol="tcp" to-port="443" to-addr="192.168.10.50"/>\n  </rule>\n</zone>',
  ),
  '/etc/firewalld/zones/internal.xml': xml('<zone>\n  <short>Internal</short>\n  <service name="dns"/>\n  <interface name="virbr3"/>\n</zone>'),
  '/etc/firewalld/zones/dmz.xml': xml('<zone>\n  <short>DMZ</short>\n  <source address="192.168.10.60"/>\n</zone>'),
  '/etc/firewalld/policies/pub-to-dmz.xml': xml('<policy target="CONTINUE">\n  <ingress-zone name="public"/>\n  <egress-zone name="dmz"/>\n  <forward-port port="5900" protocol="tcp" to-addr="192.168.10.60"/>\n</policy>'),
};

export const FIREWALLD_SCENARIOS: FirewalldScenario[] = [
  { name: 'shipped zones, eth1 in public', slug: 'shipped', files: { '/etc/firewalld/zones/public.xml': xml('<zone>\n  <short>Public</short>\n  <service name="ssh"/>\n  <service name="dhcpv6-client"/>\n  <interface name="eth1"/>\n  <forward/>\n</zone>') } },
  {
    name: 'zones with interfaces, sources, services, ports, masquerade, forward; a policy; reload adds a port',
    slug: 'zones-policy',
    files: {
      '/etc/firewalld/zones/external.xml': xml('<zone>\n  <short>External</short>\n  <service name="ssh"/>\n  <port port="8443" protocol="tcp"/>\n  <masquerade/>\n  <interface name="eth1"/>\n</zone>'),
      '/etc/firewalld/zones/internal.xml': xml('<zone>\n  <short>Internal</short>\n  <service name="dns"/>\n  <service name="dhcp"/>\n  <interface name="virbr3"/>\n  <source address="192.168.20.0/24"/>\n  <forward/>\n</zone>'),
      '/etc/firewalld/policies/int-to-ext.xml': xml('<policy target="ACCEPT">\n  <ingress-zone name="internal"/>\n  <egress-zone name="external"/>\n</policy>'),
    },
    reloadFiles: {
      '/etc/firewalld/zones/external.xml': xml('<zone>\n  <short>External</short>\n  <service name="ssh"/>\n  <port port="8443" protocol="tcp"/>\n  <port port="60000-61000" protocol="udp"/>\n  <masquerade/>\n  <interface name="eth1"/>\n</zone>'),
    },
  },
  {
    name: 'zone target DROP on a source, icmp-block, rich rule reject, a priority -1 policy with a rich rule',
    slug: 'targets-rich',
    files: {
      '/etc/firewalld/zones/external.xml': xml('<zone>\n  <short>External</short>\n  <service name="ssh"/>\n  <icmp-block name="echo-request"/>\n  <masquerade/>\n  <interface name="eth1"/>\n  <rule family="ipv4">\n    <source address="192.168.90.66"/>\n    <port port="22" protocol="tcp"/>\n    <reject/>\n  </rule>\n</zone>'),
      '/etc/firewalld/zones/dmz.xml': xml('<zone target="DROP">\n  <short>DMZ</short>\n  <service name="ssh"/>\n  <source address="10.20.0.0/16"/>\n</zone>'),
      '/etc/firewalld/zones/internal.xml': xml('<zone>\n  <short>Internal</short>\n  <service name="dns"/>\n  <interface name="virbr3"/>\n</zone>'),
      '/etc/firewalld/policies/ext-to-guest.xml': xml('<policy target="CONTINUE" priority="-1">\n  <ingress-zone name="external"/>\n  <egress-zone name="internal"/>\n  <rule family="ipv4">\n    <destination address="192.168.10.50"/>\n    <port port="443" protocol="tcp"/>\n    <accept/>\n  </rule>\n</policy>'),
    },
  },
  {
    // firewalld ≥ 2.3: DNAT'd packets (docker, podman, an own DNAT rule) are no longer accepted
    // before the zones; 1.3.3 ignores the key ("Invalid option") and accepts them.
    name: 'StrictForwardPorts=yes (DNAT by another tool is rejected from 2.3 on)',
    slug: 'strict-forward-ports',
    conf: 'StrictForwardPorts=yes\n',
    files: {
      '/etc/firewalld/zones/public.xml': xml('<zone>\n  <short>Public</short>\n  <service name="ssh"/>\n  <interface name="eth1"/>\n</zone>'),
      '/etc/firewalld/zones/internal.xml': xml('<zone>\n  <short>Internal</short>\n  <service name="dns"/>\n  <interface name="virbr3"/>\n  <forward/>\n</zone>'),
    },
  },
  {
    // Port forwarding to guests: DNAT in nat_PRE_<zone>_allow (plain, to-addr without to-port, IPv6,
    // redirect to the host, a rich rule by source), a policy's forward-port to a source-only zone.
    name: 'forward-ports to guests (zone, IPv6, redirect, rich rule, policy)',
    slug: 'forward-ports',
    files: FORWARD_PORT_FILES,
  },
  {
    // The same with StrictForwardPorts=yes: 2.3.1 accepts exactly the forwarded ports in filter_*_dnat.
    name: 'forward-ports with StrictForwardPorts=yes',
    slug: 'forward-ports-strict',
    conf: 'StrictForwardPorts=yes\n',
    files: FORWARD_PORT_FILES,
  },
];

const layerOf = (files: Record<string, string>, version: string): Layer => ({ id: 'firewalld', kind: 'firewalld', label: 'firewalld', files, settings: {}, version });

export interface FirewalldModelStep {
  name: string;
  refused: string[];
  state: NetfilterState;
}

/** Model state after `start` and (when the scenario has reloadFiles) after `reload`. */
export function firewalldModelSteps(s: FirewalldScenario, backend: FirewalldBackend, version = FIREWALLD_VERSION, flavour: 'nft' | 'legacy' = 'nft'): FirewalldModelStep[] {
  const lab = defaultLab(sequentialIds(), { iptablesBackend: flavour });
  lab.host.libvirt.version = ''; // the chroot has no libvirt: no libvirt zones
  const state = emptyNetfilterState();
  const target = new NetfilterStateTarget(state, flavour);
  const ctx: DriverContext = { lab, state, sysctl: () => undefined, presentInterfaces: () => ['lo', 'eth1', 'virbr3'], libvirtdActive: () => false, target };
  const run = (files: Record<string, string>, kind: TimelineEvent['kind']): string[] =>
    replayLayerActions(layerEventActions(ctx, { id: 'e', kind, phase: 'boot' }, layerOf({ '/etc/firewalld/firewalld.conf': scenarioConf(s, backend), ...files }, version)), target)
      .filter((r) => !r.ok)
      .map((r) => (r.action.kind === 'iptables' ? `${r.action.family} ${r.action.args}: ${r.message ?? ''}` : r.action.kind === 'nft' ? `nft ${r.action.command}: ${r.message ?? ''}` : r.action.kind));
  const steps: FirewalldModelStep[] = [{ name: 'start', refused: run(s.files, 'layer-start'), state: cloneNetfilterState(state) }];
  if (s.reloadFiles) steps.push({ name: 'reload', refused: run({ ...s.files, ...s.reloadFiles }, 'layer-reload'), state: cloneNetfilterState(state) });
  return steps;
}
