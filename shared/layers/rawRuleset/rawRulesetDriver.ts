// A raw imported ruleset on the timeline: at its `layer-start` (or reload) the
// dump replaces the kernel state of its family/backend; every file of the
// layer is one dump (an iptables-save, an ip6tables-save, an nft ruleset).

import type { Layer, TimelineEvent } from '../../lab/labModel.ts';
import { type DriverContext } from '../driverContext.ts';
import type { LayerAction } from '../layerActions.ts';
import { rawRulesetActions } from './rawRulesetActions.ts';

export function rawRulesetEventActions(_ctx: DriverContext, event: TimelineEvent, layer: Layer): LayerAction[] {
  if (event.kind !== 'layer-start' && event.kind !== 'layer-reload') return [];
  return Object.entries(layer.files).flatMap(([file, text]) => rawRulesetActions({ file, text, settings: layer.settings, layerLabel: layer.label }));
}
