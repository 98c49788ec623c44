// Lab → HostRuntime through the timeline fold (shared/layers/timeline): the
// kernel state after every event, the sysctls with who wrote them last, the
// running networks with the bridges libvirt gave them, and the fold's notes
// and failed events (they change what the host does, so the verdict lists them).
// A variant imported from a host snapshot is not folded: its runtime is the
// dumps themselves (shared/snapshot/snapshotLab.ts).

import type { Lab, RpFilterMode } from '../lab/labModel.ts';
import { foldTimeline } from '../layers/timeline/foldTimeline.ts';
import { sysctlSetBy, type EffectiveHost } from '../layers/timeline/effectiveHost.ts';
import type { EffectiveSysctls, HostRuntime } from './hostRuntime.ts';

function rp(v: string): RpFilterMode {
  const n = Number(v);
  return n === 1 || n === 2 ? n : 0;
}

export function runtimeFromFold(lab: Lab, host: EffectiveHost): HostRuntime {
  const s = lab.host.sysctls;
  const sysctls: EffectiveSysctls = {
    ipForward: s.ipForward,
    interfaceForwarding: {},
    rpFilter: { all: s.rpFilter.all, default: s.rpFilter.default, interfaces: {} },
    bridgeNfCallIptables: s.bridgeNfCallIptables,
    setBy: {},
  };
  for (const v of host.sysctls) {
    sysctls.setBy[v.key] = sysctlSetBy(v);
    const m = /^net\.ipv4\.conf\.(.+)\.(forwarding|rp_filter)$/.exec(v.key);
    if (v.key === 'net.ipv4.ip_forward') sysctls.ipForward = v.value === '1';
    else if (v.key === 'net.bridge.bridge-nf-call-iptables') sysctls.bridgeNfCallIptables = v.value === '1';
    else if (m && m[2] === 'forwarding') {
      if (m[1] === 'all') sysctls.ipForward = v.value === '1';
      else if (m[1] !== 'default') sysctls.interfaceForwarding[m[1]] = v.value === '1';
    } else if (m && m[2] === 'rp_filter') {
      if (m[1] === 'all') sysctls.rpFilter.all = rp(v.value);
      else if (m[1] === 'default') sysctls.rpFilter.default = rp(v.value);
      else sysctls.rpFilter.interfaces[m[1]] = rp(v.value);
    }
  }
  const notes = [
    ...host.notes.filter((n) => n.severity !== 'info').map((n) => n.text),
    ...host.eventResults.filter((r) => !r.ok).map((r) => `${r.label}: ${r.errors.join('; ')}`),
  ];
  return {
    netfilter: host.state,
    sysctls,
    runningNetworkIds: host.runningNetworks.map((n) => n.networkId),
    bridges: Object.fromEntries(host.runningNetworks.map((n) => [n.networkId, n.bridge])),
    runningLayerIds: host.runningLayerIds,
    notes,
  };
}

/** The host after its timeline (or only up to `uptoEventId`: "before libvirtd was reloaded"). */
export function labRuntime(lab: Lab, uptoEventId?: string): HostRuntime {
  return runtimeFromFold(lab, foldTimeline(lab, uptoEventId !== undefined ? { uptoEventId } : {}));
}
