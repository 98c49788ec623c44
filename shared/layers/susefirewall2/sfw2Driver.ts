// SuSEfirewall2 on the timeline: `layer-start` is SuSEfirewall2.service (a full
// start), or SuSEfirewall2_init.service with params.phase = 'init' (close);
// `layer-reload` is a restart (the script always rebuilds from scratch);
// `layer-stop` is `SuSEfirewall2 stop`. What it sees is taken from the host at
// that moment: interfaces present (autodetection), bridges, loaded tables,
// libvirtd running (the HUP). Layer settings: `ifcfg-zone:IFACE` = zone
// (FW_ZONE= in /etc/sysconfig/network/ifcfg-IFACE). FW_CONFIGURATIONS_* service
// files are the layer's files under /etc/sysconfig/SuSEfirewall2.d/services/ or
// /usr/share/SuSEfirewall2/services/ (a few shipped ones are built in).

import type { Layer, TimelineEvent } from '../../lab/labModel.ts';
import { parseNetworkXml } from '../../libvirt/parseNetworkXml.ts';
import { writtenBridgeName } from '../../libvirt/networkAddressing.ts';
import { layerFile, tablesPresent, type DriverContext } from '../driverContext.ts';
import type { LayerAction } from '../layerActions.ts';
import { parseSfw2Config, SFW2_SYSCONFIG_PATH } from './sfw2Config.ts';
import { serviceFileLookup } from './sfw2Configurations.ts';
import { sfw2InitActions, sfw2StartActions, sfw2StopActions, type Sfw2Environment } from './sfw2Actions.ts';

/** When the lab does not say: the last release (3.6.378), which HUPs libvirtd. */
export const SFW2_DEFAULT_VERSION = '3.6.378';

export function sfw2Environment(ctx: DriverContext, layer: Layer): Sfw2Environment {
  const interfaces = ctx.presentInterfaces();
  const bridgeNames = new Set(ctx.lab.host.interfaces.filter((i) => i.kind === 'bridge').map((i) => i.name));
  for (const n of ctx.lab.networks) {
    const parsed = parseNetworkXml(n.xml).network;
    const b = parsed ? writtenBridgeName(parsed) : undefined;
    if (b) bridgeNames.add(b);
  }
  const ifcfgZones: Record<string, string> = {};
  for (const [k, v] of Object.entries(layer.settings)) {
    const m = /^ifcfg-zone:(.+)$/.exec(k);
    if (m && typeof v === 'string') ifcfgZones[m[1]] = v;
  }
  return {
    version: layer.version || SFW2_DEFAULT_VERSION,
    interfaces,
    bridges: interfaces.filter((i) => bridgeNames.has(i)),
    ifcfgZones,
    tables: { ipv4: tablesPresent(ctx, 'ipv4'), ipv6: tablesPresent(ctx, 'ipv6') },
    libvirtdActive: ctx.libvirtdActive(),
    ...(typeof layer.settings.libvirtHup === 'boolean' ? { libvirtHup: layer.settings.libvirtHup } : {}),
  };
}

export function sfw2EventActions(ctx: DriverContext, event: TimelineEvent, layer: Layer): LayerAction[] {
  const file = layerFile(layer, SFW2_SYSCONFIG_PATH);
  const parsed = parseSfw2Config(file?.text ?? '', file?.path ?? SFW2_SYSCONFIG_PATH, { serviceFile: serviceFileLookup(layer.files) });
  const env = sfw2Environment(ctx, layer);
  const notes: LayerAction[] = parsed.problems.filter((p) => p.severity === 'error').map((p) => ({ kind: 'note', severity: 'error', text: `${p.file}:${p.line}:${p.column}: ${p.message} (SuSEfirewall2 skips this entry)` }));
  if (!layer.version) notes.push({ kind: 'note', severity: 'info', text: `SuSEfirewall2 version not set; assuming ${SFW2_DEFAULT_VERSION} (HUPs libvirtd after its start)` });
  switch (event.kind) {
    case 'layer-start':
      return [...notes, ...(event.params?.phase === 'init' ? sfw2InitActions(parsed.config, env) : sfw2StartActions(parsed.config, env))];
    case 'layer-reload':
      return [...notes, ...sfw2StartActions(parsed.config, env)];
    case 'layer-stop':
      return [...notes, ...sfw2StopActions(parsed.config, env)];
    default:
      return [];
  }
}
