// A lab: one variant of a project. Everything the simulator needs to answer
// "does this guest reach its gateway and the internet, and if not, which rule
// of which layer decided?": the KVM host (interfaces, routes, sysctls, which
// libvirt), the libvirt networks (as XML, the source of truth), the guests,
// the firewall layers on the host with their config files, the host's event
// timeline (boot order and later actions), and the upstream gateway and the
// internet behind it.
//
// A lab is plain JSON: the project store saves it as is and records edits as
// JSON patches against it (undo/redo across restarts).

export const LAB_SCHEMA_VERSION = 1;

/** `tcp/443`, `udp/53`, `icmp` (echo). */
export type ServiceSpec = string;

export interface HostInterface {
  name: string;
  kind: 'physical' | 'bridge' | 'veth' | 'vlan' | 'bond' | 'loopback' | 'other';
  /** CIDR notation, e.g. `192.168.90.10/24`. */
  addresses: string[];
  up: boolean;
  /** For bridges: enslaved ports. */
  ports?: string[];
}

export interface LabRoute {
  /** `default` or a CIDR. */
  destination: string;
  via?: string;
  dev?: string;
  metric?: number;
}

export type RpFilterMode = 0 | 1 | 2;

export interface HostSysctls {
  /** net.ipv4.ip_forward at boot, before any tool writes it. */
  ipForward: boolean;
  /** net.ipv6.conf.all.forwarding */
  ipv6Forwarding: boolean;
  /** net.ipv4.conf.IFACE.forwarding overrides (only listed interfaces; others follow ip_forward). */
  interfaceForwarding: Record<string, boolean>;
  rpFilter: { all: RpFilterMode; default: RpFilterMode; interfaces: Record<string, RpFilterMode> };
  /** net.bridge.bridge-nf-call-iptables (br_netfilter loaded and enabled). */
  bridgeNfCallIptables: boolean;
}

export interface KvmHost {
  name: string;
  interfaces: HostInterface[];
  routes: LabRoute[];
  sysctls: HostSysctls;
  /** The iptables binary's flavour on this host: `iptables -V` says (legacy) or (nf_tables). */
  iptablesBackend: 'legacy' | 'nft';
  libvirt: {
    /** '4.10', '9.0', '11.3', ... The generator picks the behaviour band from it. */
    version: string;
    /** firewall_backend in network.conf (libvirt >= 10.4); ignored before. */
    backend: 'iptables' | 'nftables';
  };
  /** Services the host itself answers besides libvirt's dnsmasq (DHCP/DNS on each bridge). */
  listens: ServiceSpec[];
}

export interface LabNetwork {
  id: string;
  /** The libvirt network XML, exactly as the user wrote or imported it. */
  xml: string;
  autostart: boolean;
}

export interface Guest {
  id: string;
  name: string;
  networkId: string;
  /** Static address; absent = takes a lease from the network's DHCP range. */
  address?: string;
  listens: ServiceSpec[];
}

export interface UpstreamGateway {
  address: string;
  /** The gateway's own routes, e.g. the return route `192.168.10.0/24 via 192.168.90.10`. */
  routes: LabRoute[];
  /** Source networks the gateway masquerades towards the internet. */
  masquerade: string[];
  listens: ServiceSpec[];
  /**
   * The gateway's own packet filter, optional: iptables-save or `nft list ruleset` text of the
   * gateway (its LAN side is lan0, its internet side wan0). Absent: it filters nothing.
   */
  ruleset?: string;
}

export interface InternetHost {
  address: string;
  listens: ServiceSpec[];
}

export type LayerKind = 'susefirewall2' | 'firewalld' | 'ufw' | 'docker' | 'own-script' | 'raw-ruleset';

/**
 * One firewall layer on the host (libvirt's own rules are not a layer entry: they follow
 * from the networks and `host.libvirt`). The config is kept as the real files' text so the
 * export writes what the admin would write, and unknown lines survive; each layer's module
 * parses it into its structured form for the UI.
 */
export interface Layer {
  id: string;
  kind: LayerKind;
  label: string;
  /** Tool version, e.g. SuSEfirewall2 '3.6.312', firewalld '1.3.0', Docker '27.5'. */
  version?: string;
  /** Config files by their path on the host, e.g. `/etc/sysconfig/SuSEfirewall2`. */
  files: Record<string, string>;
  /** Kind-specific settings that are not files (e.g. firewalld backend, own-script format). */
  settings: Record<string, string | number | boolean>;
}

export type TimelineEventKind =
  | 'libvirtd-start'
  | 'libvirtd-stop'
  | 'libvirtd-restart'
  | 'libvirtd-sighup'
  | 'network-start'
  | 'network-destroy'
  | 'layer-start'
  | 'layer-reload'
  | 'layer-stop'
  | 'iptables-flush'
  | 'nft-flush-ruleset'
  | 'sysctl-set'
  | 'sysctl-reload';

export interface TimelineEvent {
  id: string;
  kind: TimelineEventKind;
  /** For layer-* events. */
  layerId?: string;
  /** For network-* events. */
  networkId?: string;
  /** Free-form parameters, e.g. { key: 'net.ipv4.ip_forward', value: '1' } or { table: 'filter', deleteChains: true }. */
  params?: Record<string, string | number | boolean>;
  /** Shown on the timeline, e.g. "boot: SuSEfirewall2.service". */
  label?: string;
  /** Phase marker for display: events before the first 'later' are the boot sequence. */
  phase: 'boot' | 'later';
}

/** A host as found: dumps taken by `virtwall collect`, evaluated as they are (not regenerated). */
export interface HostSnapshot {
  files: Record<string, string>;
  /** What the collector could not read (missing tools, permission). */
  missing: string[];
  takenAt?: string;
}

export interface Lab {
  schemaVersion: number;
  host: KvmHost;
  networks: LabNetwork[];
  guests: Guest[];
  layers: Layer[];
  events: TimelineEvent[];
  gateway: UpstreamGateway;
  internet: InternetHost;
  /** Extra services for the matrix besides icmp, tcp/22, tcp/443, udp/53. */
  services: ServiceSpec[];
  /** Present on variants imported from a host snapshot. */
  snapshot?: HostSnapshot;
  notes?: string;
}

export const DEFAULT_MATRIX_SERVICES: readonly ServiceSpec[] = ['icmp', 'tcp/22', 'tcp/443', 'udp/53'];
