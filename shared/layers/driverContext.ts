// What a layer driver needs from the timeline fold when one of its events
// fires: the lab, the host's current kernel state (read only — changes go
// through the replay target so they are applied and recorded in order), the
// current sysctls, the interfaces present right now (what SuSEfirewall2's
// autodetection and Docker's forwarding check see), whether libvirtd runs,
// and the parsers for nft text. The timeline's context provides all of it.

import type { Family } from '../netfilter/model.ts';
import type { Lab, Layer } from '../lab/labModel.ts';
import type { NetfilterState } from '../netfilter/netfilterState.ts';
import type { ReplayOptions, ReplayTarget } from './layerActionReplay.ts';
import type { LayerAction } from './layerActions.ts';
import { replayLayerActions } from './layerActionReplay.ts';

export interface DriverContext {
  lab: Lab;
  state: NetfilterState;
  /** Current value of a sysctl in dotted form ('net.ipv4.ip_forward'), undefined when never set. */
  sysctl(key: string): string | undefined;
  presentInterfaces(): string[];
  libvirtdActive(): boolean;
  target: ReplayTarget;
  replayOptions?: ReplayOptions;
}

/** The iptables ruleset the host's `iptables` command talks to. */
export function hostIptables(ctx: DriverContext, family: Family) {
  return ctx.state.iptables[ctx.lab.host.iptablesBackend][family];
}

/** Tables present now (what /proc/net/ip_tables_names lists). */
export function tablesPresent(ctx: DriverContext, family: Family): string[] {
  return hostIptables(ctx, family).tables.map((t) => t.name);
}

/** User chains of a table present now. */
export function userChains(ctx: DriverContext, family: Family, table: string): string[] {
  return hostIptables(ctx, family).tables.find((t) => t.name === table)?.chains.filter((c) => c.policy === null).map((c) => c.name) ?? [];
}

/** The layer's main config file: the given path, else the first file. */
export function layerFile(layer: Layer, path: string): { path: string; text: string } | null {
  if (layer.files[path] !== undefined) return { path, text: layer.files[path] };
  const first = Object.keys(layer.files)[0];
  return first === undefined ? null : { path: first, text: layer.files[first] };
}

export function runActions(ctx: DriverContext, actions: LayerAction[]): void {
  replayLayerActions(actions, ctx.target, ctx.replayOptions);
}
