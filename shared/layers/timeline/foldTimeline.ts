// foldTimeline(lab) → EffectiveHost: the host's kernel state, sysctls,
// interfaces and running networks after its events, in order (boot sequence
// and later actions). Reordering events (a boot race) is a different array
// order; the fold is deterministic (no clock, no randomness: where libvirt's
// real order is random the fold uses start order and says so in a note).

import type { Lab } from '../../lab/labModel.ts';
import { libvirtFirewalldZone } from '../libvirt/libvirtFirewalldZone.ts';
import type { BridgeZone, EffectiveHost } from './effectiveHost.ts';
import { HostTimeline, type FoldOptions } from './hostTimeline.ts';
import { stepTimeline } from './timelineStep.ts';

export type { FoldOptions } from './hostTimeline.ts';

function bridgeZones(t: HostTimeline): BridgeZone[] {
  const firewalld = t.lab.layers.find((l) => l.kind === 'firewalld' && t.runningLayers.has(l.id));
  if (!firewalld) return [];
  const out: BridgeZone[] = [];
  for (const n of t.daemon.running) {
    const info = t.networks.find((x) => x.id === n.id);
    if (!info?.network) continue;
    const z = libvirtFirewalldZone(info.network, n.bridge, t.lab.host.libvirt.version, firewalld);
    if (z) out.push(z);
  }
  return out;
}

export function effectiveHostOf(t: HostTimeline, lastEventId?: string): EffectiveHost {
  const host: EffectiveHost = {
    state: t.state,
    sysctls: t.sysctls.list(),
    interfaces: t.interfaces(),
    runningNetworks: t.daemon.running.map((n) => ({ networkId: n.id, name: n.name, bridge: n.bridge, mode: n.facts.modeLabel })),
    libvirtdActive: t.daemon.active,
    runningLayerIds: [...t.runningLayers],
    bridgeZones: bridgeZones(t),
    eventResults: t.results,
    notes: t.notes,
    reloadAlternatives: t.reloadAlternatives,
  };
  if (lastEventId !== undefined) host.lastEventId = lastEventId;
  return host;
}

export function foldTimeline(lab: Lab, options: FoldOptions = {}): EffectiveHost {
  const t = new HostTimeline(lab, options);
  for (const n of t.networks) if (n.problem) t.notes.push({ severity: 'warning', text: `network ${n.network?.name ?? n.id}: ${n.problem}` });
  if (options.uptoEventId !== undefined && !lab.events.some((e) => e.id === options.uptoEventId)) {
    t.notes.push({ severity: 'warning', text: `event ${options.uptoEventId} is not in the timeline; folded every event` });
  }
  let last: string | undefined;
  for (const event of lab.events) {
    stepTimeline(t, event);
    last = event.id;
    if (event.id === options.uptoEventId) break;
  }
  return effectiveHostOf(t, last);
}
