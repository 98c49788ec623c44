// The registry of firewall layer drivers, by layer kind. The timeline fold
// calls `LAYER_DRIVERS[layer.kind](ctx, event, layer)` for every layer-start,
// layer-reload and layer-stop event; the driver reads the host as it is at
// that moment through the DriverContext and applies what the tool does
// (commands in the tool's order, sysctls, signals to libvirtd, notes).
// `layerEventActions` gives the same actions without applying them (a layer
// preview: "what will SuSEfirewall2 run here?").

import type { Layer, LayerKind, TimelineEvent } from '../lab/labModel.ts';
import type { DriverContext } from './driverContext.ts';
import { runActions } from './driverContext.ts';
import type { LayerAction } from './layerActions.ts';
import { sfw2EventActions } from './susefirewall2/sfw2Driver.ts';
import { firewalldEventActions } from './firewalld/firewalldDriver.ts';
import { ufwEventActions } from './ufw/ufwDriver.ts';
import { dockerEventActions } from './docker/dockerDriver.ts';
import { ownScriptEventActions } from './ownScript/ownScriptDriver.ts';
import { rawRulesetEventActions } from './rawRuleset/rawRulesetDriver.ts';

export type LayerEventActions = (ctx: DriverContext, event: TimelineEvent, layer: Layer) => LayerAction[];

const EVENT_ACTIONS: Record<LayerKind, LayerEventActions> = {
  susefirewall2: sfw2EventActions,
  firewalld: firewalldEventActions,
  ufw: ufwEventActions,
  docker: dockerEventActions,
  'own-script': ownScriptEventActions,
  'raw-ruleset': rawRulesetEventActions,
};

/** What the layer does at this event, as a list (nothing applied). */
export function layerEventActions(ctx: DriverContext, event: TimelineEvent, layer: Layer): LayerAction[] {
  return EVENT_ACTIONS[layer.kind](ctx, event, layer);
}

export type LayerDriverFn = (ctx: DriverContext, event: TimelineEvent, layer: Layer) => void;

/** Applies the layer's actions for this event to the fold's target. */
export const LAYER_DRIVERS: Readonly<Record<LayerKind, LayerDriverFn>> = Object.fromEntries(
  (Object.keys(EVENT_ACTIONS) as LayerKind[]).map((kind) => [kind, (ctx: DriverContext, event: TimelineEvent, layer: Layer) => runActions(ctx, EVENT_ACTIONS[kind](ctx, event, layer))]),
) as Record<LayerKind, LayerDriverFn>;
