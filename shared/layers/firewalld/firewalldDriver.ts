// firewalld on the timeline: `layer-start` (systemctl start firewalld, or boot),
// `layer-reload` (firewall-cmd --reload), `layer-stop`. The version comes from
// layer.version (default 2.1.0), the backend from firewalld.conf, the interface
// → zone map from zone files, layer settings `interface:IFACE` = zone, and
// libvirt's bridges (libvirt's version from the lab's host).

import type { Layer, TimelineEvent } from '../../lab/labModel.ts';
import { tablesPresent, type DriverContext } from '../driverContext.ts';
import type { LayerAction } from '../layerActions.ts';
import { firewalldStartActions, firewalldStopActions } from './firewalldActions.ts';
import { buildFirewalldSetup } from './firewalldSetup.ts';

export const FIREWALLD_DEFAULT_VERSION = '2.1.0';

export function firewalldEventActions(ctx: DriverContext, event: TimelineEvent, layer: Layer): LayerAction[] {
  const setup = buildFirewalldSetup({
    version: layer.version || FIREWALLD_DEFAULT_VERSION,
    files: layer.files,
    settings: layer.settings,
    libvirtVersion: ctx.lab.host.libvirt.version,
    networks: ctx.lab.networks,
  });
  const env = {
    tablePresent: ctx.state.nft.tables.some((t) => t.family === 'inet' && t.name === 'firewalld'),
    tables: { ipv4: tablesPresent(ctx, 'ipv4'), ipv6: tablesPresent(ctx, 'ipv6') },
  };
  const pre: LayerAction[] = layer.version ? [] : [{ kind: 'note', severity: 'info', text: `firewalld version not set; assuming ${FIREWALLD_DEFAULT_VERSION}` }];
  switch (event.kind) {
    case 'layer-start':
      return [...pre, ...firewalldStartActions(setup, env, false)];
    case 'layer-reload':
      return [...pre, ...firewalldStartActions(setup, env, true)];
    case 'layer-stop':
      return firewalldStopActions(setup, env);
    default:
      return [];
  }
}
