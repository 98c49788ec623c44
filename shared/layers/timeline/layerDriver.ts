// The contract between the timeline fold and the firewall layer drivers.
//
// The fold (foldTimeline.ts) walks the lab's events in order. For every
// layer-start / layer-reload / layer-stop it calls the layer's driver with a
// TimelineContext: the host as it is at that moment (the mutable
// NetfilterState, current sysctls, interfaces present, whether libvirtd runs,
// the parsed networks) plus the operations a tool performs on a host. Every
// operation stamps the current event into the provenance, and a command that
// fails is recorded as the event's failure (like libvirt's "Failed to apply
// firewall rules …" or a script's stderr) instead of throwing.
//
// The drivers in layerDrivers.ts are written against DriverContext (a replay
// target for LayerAction lists); TimelineContext is a DriverContext, so they
// plug in unchanged, and a driver may also use the direct operations here.

import type { Layer, LayerKind, TimelineEvent } from '../../lab/labModel.ts';
import type { Family, Provenance } from '../../netfilter/model.ts';
import type { IptCommand } from '../../netfilter/iptables/iptCommand.ts';
import type { NftCommand } from '../../netfilter/nft/nftCommand.ts';
import type { DriverContext } from '../driverContext.ts';
import type { NoteSeverity } from '../layerActions.ts';
import type { LabNetworkInfo } from '../libvirt/labNetworks.ts';

/** A sysctl as it stands now, with who set it last. */
export interface SysctlValue {
  /** Dotted key as sysctl(8) prints it: net.ipv4.ip_forward. */
  key: string;
  value: string;
  provenance: Provenance;
}

export type LibvirtdSignal = 'sighup' | 'firewalld-reloaded';

export interface TimelineContext extends DriverContext {
  /** The event being folded. */
  readonly event: TimelineEvent;
  /** The lab's networks, parsed, with the bridge libvirt uses for each (in define order). */
  readonly networks: readonly LabNetworkInfo[];
  /**
   * Runs one iptables/ip6tables command against the host's flavour (or `backend`).
   * Returns null on success, else the tool's message (also recorded as a failure of the event).
   */
  runIpt(family: Family, command: IptCommand, provenance: Provenance, backend?: 'legacy' | 'nft'): string | null;
  /** Runs one nft command; null on success, else nft's message (recorded as a failure). */
  runNft(command: NftCommand, provenance: Provenance): string | null;
  setSysctl(key: string, value: string, provenance: Provenance): void;
  /** Every sysctl known now (the lab's boot values and everything written since). */
  sysctls(): readonly SysctlValue[];
  /** SuSEfirewall2 ≥ 3.6.346 HUPs libvirtd after its start; firewalld's D-Bus Reloaded signal. libvirt reacts. */
  signalLibvirtd(kind: LibvirtdSignal, provenance: Provenance): void;
  note(severity: NoteSeverity, text: string): void;
}

export interface LayerDriver {
  kind: LayerKind;
  onEvent(ctx: TimelineContext, event: TimelineEvent, layer: Layer): void;
}
