// The host after folding its timeline: what the simulator evaluates, the
// rules view shows and the export writes.

import type { TimelineEventKind } from '../../lab/labModel.ts';
import type { NetfilterState } from '../../netfilter/netfilterState.ts';
import type { NoteSeverity } from '../layerActions.ts';
import type { SysctlValue } from './layerDriver.ts';

export interface EventResult {
  eventId: string;
  kind: TimelineEventKind;
  /** The event's label, or a description of it. */
  label: string;
  /** false when a command failed or the action was refused (net-start of a running network, ...). */
  ok: boolean;
  /** The failures, worded like the tool's own error ("internal error: Failed to apply firewall rules …"). */
  errors: string[];
}

export interface FoldNote {
  severity: NoteSeverity;
  text: string;
  eventId?: string;
}

export interface RunningNetworkView {
  networkId: string;
  name: string;
  bridge: string;
  /** 'isolated', 'nat', 'route', 'open', ... */
  mode: string;
}

/** Which firewalld zone libvirt put a bridge into (only while firewalld runs). */
export interface BridgeZone {
  bridge: string;
  zone: string;
  reason: string;
}

/** One possible order of a libvirt reload whose real order is not fixed, and what it gives. */
export interface ReloadAlternative {
  /** Network names in reload order. */
  order: string[];
  /** libvirt rules each network has afterwards, by network name. */
  rulesPerNetwork: Record<string, number>;
  /** Same rules (as sets per network) as the outcome the fold shows. */
  sameRulesAsShown: boolean;
  /** The whole kernel state after the event in this order (only with options.keepAlternativeStates). */
  state?: NetfilterState;
}

export interface ReloadAlternatives {
  eventId: string;
  /** The order the fold used. */
  shownOrder: string[];
  /** true: each other order was replayed; false: iptables removes by rule, so every order gives the same rules (listed, not replayed). */
  simulated: boolean;
  alternatives: ReloadAlternative[];
}

export interface EffectiveHost {
  state: NetfilterState;
  /** Every sysctl the lab sets at boot or a tool wrote, with who set it last. */
  sysctls: SysctlValue[];
  /** Interfaces present now: the host's up interfaces and the bridges of running libvirt networks. */
  interfaces: string[];
  /** Running libvirt networks in start order. */
  runningNetworks: RunningNetworkView[];
  libvirtdActive: boolean;
  /** Layers whose service runs at the end (started and not stopped). */
  runningLayerIds: string[];
  bridgeZones: BridgeZone[];
  /** One per folded event, in timeline order. */
  eventResults: EventResult[];
  /** Information and warnings (failures are in eventResults). */
  notes: FoldNote[];
  /** Reloads of several networks whose real order libvirt does not fix. */
  reloadAlternatives: ReloadAlternatives[];
  /** The last event folded (uptoEventId, or the timeline's last). */
  lastEventId?: string;
}

/** "net.ipv4.ip_forward = 1 (libvirt 9.0 · network deb (nat), boot: libvirtd)" for lists. */
export function sysctlSetBy(s: SysctlValue): string {
  const p = s.provenance;
  const who = p.layerLabel ?? p.layer ?? 'host';
  return p.event ? `${who}, ${p.event}` : who;
}
