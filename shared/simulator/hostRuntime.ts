// What the host looks like after its timeline ran (the fold of every layer's
// actions): the packet filter, the effective sysctls and who set them, the
// running libvirt networks. labWorld.ts reads only this, so the simulator does
// not care whether it comes from the timeline fold (designer labs) or from
// dumps (host snapshots).

import type { RpFilterMode } from '../lab/labModel.ts';
import type { Ruleset } from '../netfilter/model.ts';
import type { NetfilterState } from '../netfilter/netfilterState.ts';

export interface EffectiveSysctls {
  ipForward: boolean;
  /** conf/IFACE/forwarding where it differs from ip_forward (or was read per interface). */
  interfaceForwarding: Record<string, boolean>;
  rpFilter: { all: RpFilterMode; default: RpFilterMode; interfaces: Record<string, RpFilterMode> };
  bridgeNfCallIptables: boolean;
  /** Dotted sysctl key → who wrote it last ("SuSEfirewall2 start (FW_KERNEL_SECURITY)"). */
  setBy: Record<string, string>;
}

export interface HostRuntime {
  /** The host's netfilter (compiled by the world builder with the host's interfaces); absent = no rules at all. */
  netfilter?: NetfilterState | Ruleset[];
  sysctls: EffectiveSysctls;
  /** Network ids in start order. */
  runningNetworkIds: string[];
  /** Bridge each running network got (libvirt assigns virbrN when the XML names none). */
  bridges?: Record<string, string>;
  /** Layers whose service runs at the end (dockerd: its bridges and containers are part of the world). */
  runningLayerIds?: string[];
  notes: string[];
}

export function forwardingOf(s: EffectiveSysctls, iface: string): boolean {
  return s.interfaceForwarding[iface] ?? s.ipForward;
}

/** max(conf/all, conf/IFACE) — ip-sysctl.rst; an interface not listed has conf/default's value. */
export function rpFilterOf(s: EffectiveSysctls, iface: string): RpFilterMode {
  const own = s.rpFilter.interfaces[iface] ?? s.rpFilter.default;
  return Math.max(s.rpFilter.all, own) as RpFilterMode;
}

export function sysctlNote(s: EffectiveSysctls, iface: string): string | undefined {
  const keys = [`net.ipv4.conf.${iface}.forwarding`, 'net.ipv4.ip_forward', `net.ipv4.conf.${iface}.rp_filter`, 'net.ipv4.conf.all.rp_filter'];
  const parts = keys.filter((k) => s.setBy[k]).map((k) => `${k}: ${s.setBy[k]}`);
  return parts.length ? parts.join('; ') : undefined;
}
