// libvirtd's network driver over time (libvirt.md §4, firewall-layers.md §0
// fact 7; bridge_driver.c / bridge_driver_linux.c):
//   - network start: chain setup once per daemon lifetime, then the network's
//     rules; the start fails with libvirt's message when a command fails.
//     nat/route/open turn on IP forwarding.
//   - network destroy: its rules are removed (errors ignored).
//   - daemon start with active networks (they stay up while libvirtd is
//     down), SIGHUP and firewalld's Reloaded signal: chain setup (forced anew
//     only by firewalld's signal), then for each active network: remove its
//     rules and add them again. The order between networks on a reload is the
//     daemon's hash-table order — not fixed (restart-order-trials). The model
//     reloads in start order unless the caller picks another order, and says so.
//   - a backend switch takes effect at the next daemon start: old rules are
//     removed with the stored commands, new ones added with the new backend.

import type { LibvirtCommand } from './libvirtCommand.ts';
import { setupLibvirtChains } from './libvirtChainSetup.ts';
import type { LibvirtCause, LibvirtHostPort } from './libvirtHostPort.ts';
import { libvirtFlavour, libvirtLayerLabel, type LibvirtFlavour } from './libvirtVersion.ts';
import { addNetworkRules, removalCommands, removeNetworkRules } from './networkFirewall.ts';
import { modeForwards, modeHasRules, networkFirewallFacts, type NetworkFirewallFacts } from './networkFirewallFacts.ts';
import type { LabNetworkInfo } from './labNetworks.ts';

export interface RunningNetwork {
  id: string;
  name: string;
  bridge: string;
  facts: NetworkFirewallFacts;
  /** "libvirt 9.0 · network deb (isolated)" */
  layerLabel: string;
  /** ≥ 10.4: the stored removal list; null: recompute (9.0). */
  stored: LibvirtCommand[] | null;
  /** The flavour the rules were added with (a backend switch needs the old one to remove them). */
  addedWith: LibvirtFlavour;
}

/** Picks the order in which a reload walks the active networks (default: start order). */
export type ReloadOrder = (running: readonly RunningNetwork[]) => readonly RunningNetwork[];

export class LibvirtDaemon {
  active = false;
  private chainsInitDone = false;
  flavour: LibvirtFlavour;
  /** Active networks in start order (the bridges exist while libvirtd is down, too). */
  readonly running: RunningNetwork[] = [];

  constructor(
    private readonly host: LibvirtHostPort,
    version: string,
    private backendSetting: 'iptables' | 'nftables',
  ) {
    this.flavour = libvirtFlavour(version, backendSetting);
  }

  /** A copy acting on another host (the same kernel state copied), for trying other reload orders. */
  clone(host: LibvirtHostPort): LibvirtDaemon {
    const c = new LibvirtDaemon(host, this.flavour.version, this.backendSetting);
    c.active = this.active;
    c.chainsInitDone = this.chainsInitDone;
    c.flavour = this.flavour;
    for (const n of this.running) c.running.push({ ...n, stored: n.stored ? [...n.stored] : null });
    return c;
  }

  isRunning(id: string): boolean {
    return this.running.some((n) => n.id === id);
  }

  private setupOnce(cause: LibvirtCause): void {
    if (this.chainsInitDone) return;
    setupLibvirtChains(this.host, this.flavour, cause);
    this.chainsInitDone = true;
  }

  /** Daemon start (boot or the second half of a restart). `backend` = a changed firewall_backend. */
  start(cause: LibvirtCause, order?: ReloadOrder, backend?: 'iptables' | 'nftables'): void {
    if (this.active) {
      this.host.note('info', `${cause.event}: libvirtd is already running`);
      return;
    }
    if (backend) this.backendSetting = backend;
    this.flavour = libvirtFlavour(this.flavour.version, this.backendSetting);
    this.active = true;
    this.chainsInitDone = false;
    this.reload(cause, false, order);
  }

  stop(cause: LibvirtCause): void {
    if (!this.active) this.host.note('info', `${cause.event}: libvirtd was not running`);
    // Networks stay up and their rules stay in place (libvirt.md §4.1).
    this.active = false;
  }

  /** networkReloadFirewallRules: `force` = firewalld's signal (chains set up again). */
  reload(cause: LibvirtCause, force: boolean, order?: ReloadOrder): void {
    if (!this.active) {
      this.host.note('info', `${cause.event}: libvirtd is not running, nothing re-adds its rules`);
      return;
    }
    if (force) this.chainsInitDone = false;
    if (this.running.length > 0) this.setupOnce(cause);
    const withRules = this.running.filter((n) => modeHasRules(n.facts.mode));
    const walk = order ? order(withRules) : withRules;
    for (const net of walk) {
      removeNetworkRules(this.host, this.removalFor(net), net.layerLabel, cause);
      net.layerLabel = libvirtLayerLabel(this.flavour, net.name, net.facts.modeLabel);
      const r = addNetworkRules(this.host, this.flavour, net.facts, net.layerLabel, cause);
      net.stored = this.flavour.storedRemoval ? r.storedRemoval : null;
      net.addedWith = this.flavour;
      if (!r.ok) this.host.note('error', `${cause.event}: libvirt could not re-add the rules of network ${net.name}; ${r.error}`);
    }
  }

  private removalFor(net: RunningNetwork): LibvirtCommand[] {
    return net.stored ?? removalCommands(net.addedWith, net.facts, []);
  }

  /** `virsh net-start`; false when it fails (the failure is reported to the host). */
  startNetwork(info: LabNetworkInfo, cause: LibvirtCause): boolean {
    const name = info.network?.name ?? info.id;
    if (!this.active) return this.refuse(`failed to connect to the hypervisor: libvirtd is not running (network ${name})`);
    if (this.isRunning(info.id)) return this.refuse(`Requested operation is not valid: network '${name}' is already active`);
    if (!info.network || info.problem) return this.refuse(`network ${name} cannot be started: ${info.problem ?? 'unreadable XML'}`);
    const clash = this.running.find((n) => n.bridge === info.bridge);
    if (clash) return this.refuse(`internal error: bridge name '${info.bridge}' already in use.`);
    const facts = networkFirewallFacts(info.network, info.bridge);
    const net: RunningNetwork = { id: info.id, name, bridge: info.bridge, facts, layerLabel: libvirtLayerLabel(this.flavour, name, facts.modeLabel), stored: null, addedWith: this.flavour };
    if (modeHasRules(facts.mode)) {
      this.setupOnce(cause);
      const r = addNetworkRules(this.host, this.flavour, facts, net.layerLabel, cause);
      if (!r.ok) return this.refuse(r.error ?? 'firewall rules could not be applied');
      if (this.flavour.storedRemoval) net.stored = r.storedRemoval;
    }
    if (modeForwards(facts.mode)) {
      const prov = { layer: 'libvirt', layerLabel: net.layerLabel, event: cause.event, ...(cause.eventId ? { eventId: cause.eventId } : {}) };
      if (facts.hasIpv4) this.host.setSysctl('net.ipv4.ip_forward', '1', { ...prov, reason: `forward mode ${facts.modeLabel}: libvirt turns on IPv4 forwarding` });
      if (facts.hasIpv6) this.host.setSysctl('net.ipv6.conf.all.forwarding', '1', { ...prov, reason: `forward mode ${facts.modeLabel} with IPv6: libvirt turns on IPv6 forwarding` });
    }
    this.running.push(net);
    return true;
  }

  /** `virsh net-destroy`. */
  destroyNetwork(id: string, cause: LibvirtCause, name = id): boolean {
    if (!this.active) return this.refuse(`failed to connect to the hypervisor: libvirtd is not running (network ${name})`);
    const i = this.running.findIndex((n) => n.id === id);
    if (i < 0) return this.refuse(`Requested operation is not valid: network '${name}' is not active`);
    const net = this.running[i];
    if (modeHasRules(net.facts.mode)) removeNetworkRules(this.host, this.removalFor(net), net.layerLabel, cause);
    this.running.splice(i, 1);
    return true;
  }

  private refuse(message: string): false {
    this.host.fail(message);
    return false;
  }
}
