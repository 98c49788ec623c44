// The timeline fold's EffectiveHost (shared/layers/timeline/effectiveHost.ts)
// → what the bundle needs: the kernel state, the sysctls with who set them
// last, the networks running at the end, and the fold's notes worth telling
// the admin (warnings, failed events, reload orders libvirt does not fix).

import type { Provenance } from '../netfilter/model.ts';
import type { EffectiveHost } from '../layers/timeline/effectiveHost.ts';
import type { ExportEffectiveHost } from './bundleTypes.ts';

function who(p: Provenance): string {
  const parts = [p.layerLabel ?? p.layer ?? 'the lab'];
  if (p.reason) parts.push(`: ${p.reason}`);
  if (p.event) parts.push(` [${p.event}]`);
  return parts.join('');
}

export function effectiveHostForExport(host: EffectiveHost): ExportEffectiveHost {
  const notes = [
    ...host.eventResults.filter((r) => !r.ok).map((r) => `event "${r.label}" failed in the simulation: ${r.errors.join('; ')}`),
    ...host.notes.filter((n) => n.severity !== 'info').map((n) => n.text),
    ...host.reloadAlternatives.filter((a) => a.alternatives.some((x) => !x.sameRulesAsShown)).map(
      (a) => `libvirt reloads networks ${a.shownOrder.join(', ')} in an order it does not fix; the rules exported follow the order shown, another order gives different rules`,
    ),
  ];
  return {
    state: host.state,
    sysctls: host.sysctls.map((s) => ({ key: s.key, value: s.value, setBy: who(s.provenance) })),
    runningNetworkIds: host.runningNetworks.map((n) => n.networkId),
    notes,
  };
}
