// The lab a new variant starts from: the story's world without any libvirt
// network yet (topology T0 of ../shared/docs/firewall-layers.md):
//
//   internet 203.0.113.10 ── gateway 192.168.90.1 ── LAN 192.168.90.0/24 ── eth1 192.168.90.10 (KVM host)
//
// - the host's uplink eth1 has 192.168.90.10/24 and a default route via the gateway;
// - the gateway masquerades its LAN to the internet and has a return route for
//   the libvirt subnets behind the host (routed networks need it, firewall.rst:
//   "the LAN admin has configured routing for this subnet"; NAT networks do not);
// - net.ipv4.ip_forward=1 because the story's admin turned it on himself
//   (story.md: "he has added routes and turned on IP forwarding"); rp_filter 0
//   and bridge-nf-call-iptables 0 (br_netfilter not loaded) as on a stock host.
// Everything is plain data; the layers and the simulator interpret it.

import { LAB_SCHEMA_VERSION, type KvmHost, type Lab } from './labModel.ts';
import type { IdSource } from './labIds.ts';

export const T0 = {
  hostName: 'kvm-host',
  uplink: 'eth1',
  hostAddress: '192.168.90.10',
  lan: '192.168.90.0/24',
  gatewayAddress: '192.168.90.1',
  internetAddress: '203.0.113.10',
  /**
   * The gateway's return route towards the host. 192.168.0.0/16 covers libvirt's
   * default 192.168.122.0/24 and any 192.168.N.0/24 a new network gets; the
   * gateway's own LAN 192.168.90.0/24 is connected and more specific, so it wins.
   */
  returnRouteSubnet: '192.168.0.0/16',
} as const;

export interface DefaultLabOptions {
  /**
   * The iptables binary's flavour: 'legacy' for openSUSE 42.3-era hosts (iptables
   * 1.6), 'nft' for current distributions (Debian ≥ 10, iptables 1.8 nf_tables).
   * Default 'nft' (matches libvirt 9.0 = Debian 12).
   */
  iptablesBackend?: KvmHost['iptablesBackend'];
  /** libvirt version band selector, default '9.0' (Debian 12). */
  libvirtVersion?: string;
  /** firewall_backend of network.conf, default 'iptables' (ignored by libvirt < 10.4). */
  libvirtBackend?: KvmHost['libvirt']['backend'];
  /** Subnets the gateway routes back via the host; default [T0.returnRouteSubnet]. */
  returnRoutes?: string[];
  hostName?: string;
}

export function defaultLab(ids: IdSource, options: DefaultLabOptions = {}): Lab {
  return {
    schemaVersion: LAB_SCHEMA_VERSION,
    host: {
      name: options.hostName ?? T0.hostName,
      interfaces: [
        { name: 'lo', kind: 'loopback', addresses: ['127.0.0.1/8'], up: true },
        { name: T0.uplink, kind: 'physical', addresses: [`${T0.hostAddress}/24`], up: true },
      ],
      // The connected route 192.168.90.0/24 dev eth1 follows from the address (the
      // kernel adds it); only routes the admin configures are listed.
      routes: [{ destination: 'default', via: T0.gatewayAddress, dev: T0.uplink }],
      sysctls: {
        ipForward: true,
        ipv6Forwarding: false,
        interfaceForwarding: {},
        rpFilter: { all: 0, default: 0, interfaces: {} },
        bridgeNfCallIptables: false,
      },
      iptablesBackend: options.iptablesBackend ?? 'nft',
      libvirt: { version: options.libvirtVersion ?? '9.0', backend: options.libvirtBackend ?? 'iptables' },
      listens: ['tcp/22'],
    },
    networks: [],
    guests: [],
    layers: [],
    events: [{ id: ids('event'), kind: 'libvirtd-start', phase: 'boot', label: 'boot: libvirtd.service' }],
    gateway: {
      address: T0.gatewayAddress,
      routes: (options.returnRoutes ?? [T0.returnRouteSubnet]).map((destination) => ({ destination, via: T0.hostAddress })),
      masquerade: [T0.lan],
      listens: ['icmp', 'tcp/443', 'tcp/22', 'udp/53'],
    },
    internet: { address: T0.internetAddress, listens: ['tcp/443', 'tcp/80', 'icmp'] },
    services: [],
  };
}
