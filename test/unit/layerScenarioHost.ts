// A scenario lab folded by the product's own timeline fold (foldTimeline,
// shared/layers/timeline): the layer drivers, libvirt's generator and its
// reactions to SIGHUP / firewalld's signal, sysctls with who set them. The
// scenario tests read the effective kernel state, the sysctls by key and every
// event's failures (worded like the tools' own errors).

import type { Lab } from '../../shared/lab/labModel.ts';
import type { Provenance } from '../../shared/netfilter/model.ts';
import type { NetfilterState } from '../../shared/netfilter/netfilterState.ts';
import { foldTimeline } from '../../shared/layers/timeline/foldTimeline.ts';
import type { EffectiveHost } from '../../shared/layers/timeline/effectiveHost.ts';

export interface FoldedHost {
  state: NetfilterState;
  sysctls: Map<string, { value: string; provenance: Provenance }>;
  /** "event label: error" for every event that failed. */
  failures: string[];
  effective: EffectiveHost;
}

export function foldScenario(lab: Lab): FoldedHost {
  const effective = foldTimeline(lab);
  return {
    state: effective.state,
    sysctls: new Map(effective.sysctls.map((s) => [s.key, { value: s.value, provenance: s.provenance }])),
    failures: effective.eventResults.flatMap((r) => r.errors.map((e) => `${r.label}: ${e}`)),
    effective,
  };
}
