// ufw on the timeline: `layer-start` (ufw enable / boot: ufw-init start),
// `layer-reload` (ufw reload = ufw-init stop + start: its chains refilled in
// place, built-ins untouched unless MANAGE_BUILTINS=yes), `layer-stop` (ufw disable). The files are the layer's
// (/etc/default/ufw, /etc/ufw/*.rules, sysctl.conf); missing ones are the
// shipped ufw 0.36 files (Debian's 0.36.2).

import type { Layer, TimelineEvent } from '../../lab/labModel.ts';
import { userChains, type DriverContext } from '../driverContext.ts';
import type { LayerAction } from '../layerActions.ts';
import { ufwReloadActions, ufwStartActions, ufwStopActions } from './ufwActions.ts';

export function ufwEventActions(ctx: DriverContext, event: TimelineEvent, layer: Layer): LayerAction[] {
  const env = { version: layer.version || '0.36.1', chains: { ipv4: userChains(ctx, 'ipv4', 'filter'), ipv6: userChains(ctx, 'ipv6', 'filter') } };
  if (event.kind === 'layer-start' || event.kind === 'layer-reload') {
    const { actions, problems } = (event.kind === 'layer-start' ? ufwStartActions : ufwReloadActions)(layer.files, env);
    const errors: LayerAction[] = problems.filter((p) => p.severity === 'error').map((p) => ({ kind: 'note', severity: 'error', text: `${p.file}:${p.line}:${p.column}: ${p.message}` }));
    return [...errors, ...actions];
  }
  if (event.kind === 'layer-stop') return ufwStopActions(layer.files, env);
  return [];
}
