// The admin's own script on the timeline: `layer-start` / `layer-reload` run it
// (a systemd unit, cron, by hand); `layer-stop` does nothing (a script has no
// stop). Settings: `format` ('sh' default, 'iptables-restore',
// 'ip6tables-restore', 'nft'), `main` (the script's path when the layer has
// several files), `noflush` (restore formats). Skipped lines become notes with
// their line numbers.

import type { Layer, TimelineEvent } from '../../lab/labModel.ts';
import { type DriverContext } from '../driverContext.ts';
import type { LayerAction } from '../layerActions.ts';
import { ownScriptActions, type OwnScriptFormat } from './ownScriptActions.ts';

const FORMATS: readonly OwnScriptFormat[] = ['sh', 'iptables-restore', 'ip6tables-restore', 'nft'];

export function ownScriptEventActions(_ctx: DriverContext, event: TimelineEvent, layer: Layer): LayerAction[] {
  if (event.kind !== 'layer-start' && event.kind !== 'layer-reload') return [];
  const main = typeof layer.settings.main === 'string' && layer.files[layer.settings.main] !== undefined ? layer.settings.main : Object.keys(layer.files)[0];
  if (main === undefined) return [{ kind: 'note', severity: 'warning', text: `${layer.label}: the layer has no script file` }];
  const format = FORMATS.find((f) => f === layer.settings.format) ?? 'sh';
  const program = ownScriptActions({ file: main, text: layer.files[main], format, noflush: layer.settings.noflush === true, files: layer.files, layerLabel: layer.label });
  const skipped: LayerAction[] = program.skipped.map((s) => ({ kind: 'note', severity: 'info', text: `${main}:${s.line}: skipped (${s.reason}): ${s.text}` }));
  return [...program.actions, ...skipped];
}
