// Folds one event into the host: libvirtd and network events go to
// libvirt's model, layer events to the layer's driver (through a
// TimelineContext), admin events to adminEvents.ts. Events that make libvirt
// reload several networks are tried in every other reload order too
// (reloadAlternatives.ts), because the real order is not fixed.

import type { TimelineEvent } from '../../lab/labModel.ts';
import { LAYER_DRIVERS } from '../layerDrivers.ts';
import type { LibvirtCause } from '../libvirt/libvirtHostPort.ts';
import { modeHasRules } from '../libvirt/networkFirewallFacts.ts';
import { iptablesFlush, nftFlushRuleset, sysctlReload, sysctlSet } from './adminEvents.ts';
import { describeEvent } from './eventLabels.ts';
import type { HostTimeline } from './hostTimeline.ts';
import type { TimelineContext } from './layerDriver.ts';
import { compareReloadOrders, listReloadOrders } from './reloadAlternatives.ts';

export function timelineContext(t: HostTimeline, event: TimelineEvent): TimelineContext {
  return {
    lab: t.lab,
    get state() {
      return t.state;
    },
    sysctl: (key) => t.sysctls.get(key),
    presentInterfaces: () => t.interfaces(),
    libvirtdActive: () => t.daemon.active,
    target: t,
    event,
    networks: t.networks,
    runIpt: (family, command, provenance, backend) => {
      const m = t.ipt(family, command, provenance, backend);
      if (m) t.fail(m);
      return m;
    },
    runNft: (command, provenance) => {
      const m = t.nft(command, provenance);
      if (m) t.fail(m);
      return m;
    },
    setSysctl: (key, value, provenance) => t.sysctl(key, value, provenance),
    sysctls: () => t.sysctls.list(),
    signalLibvirtd: (kind, provenance) => t.signal(kind, provenance),
    note: (severity, text) => t.note(severity, text),
  };
}

/**
 * Networks marked autostart that no event starts: libvirtd starts them itself — once per host boot
 * (a later daemon restart does not autostart again: current libvirt keeps a marker in /run;
 * releases before that marker existed autostarted at every daemon start — not modelled).
 */
function implicitAutostart(t: HostTimeline, cause: LibvirtCause): void {
  if (t.autostartDone || !t.daemon.active) return;
  t.autostartDone = true;
  for (const n of t.networks) {
    if (!n.autostart || t.daemon.isRunning(n.id)) continue;
    if (t.lab.events.some((e) => e.kind === 'network-start' && e.networkId === n.id)) continue;
    t.note('info', `libvirtd autostarts network ${n.network?.name ?? n.id} (autostart is on and no event of the timeline starts it)`);
    t.daemon.startNetwork(n, { ...cause, event: `autostart by ${cause.event}` });
  }
}

function daemonStart(t: HostTimeline, event: TimelineEvent, cause: LibvirtCause): void {
  const b = event.params?.firewallBackend;
  const backend = b === 'iptables' || b === 'nftables' ? b : undefined;
  const before = t.daemon.flavour.backend;
  t.daemon.start(cause, t.reloadOrderFor(), backend);
  if (t.daemon.flavour.backendNote) t.note('info', t.daemon.flavour.backendNote);
  if (backend && t.daemon.flavour.backend !== before) t.note('info', `libvirt now uses its ${t.daemon.flavour.backend} backend: the running networks' ${before} rules were removed with the stored commands and added again with ${t.daemon.flavour.backend}; libvirt's empty ${before === 'iptables' ? 'LIBVIRT_* chains and their jumps' : 'libvirt_network tables'} stay behind (libvirt.md §1)`);
  implicitAutostart(t, cause);
}

function applyEvent(t: HostTimeline, event: TimelineEvent, cause: LibvirtCause): void {
  const network = t.networks.find((n) => n.id === event.networkId);
  switch (event.kind) {
    case 'libvirtd-start':
      return daemonStart(t, event, cause);
    case 'libvirtd-stop':
      return t.daemon.stop(cause);
    case 'libvirtd-restart':
      t.daemon.stop(cause);
      return daemonStart(t, event, cause);
    case 'libvirtd-sighup':
      if (!t.daemon.active) return t.fail('libvirtd is not running: there is no process to send SIGHUP to');
      return t.reloadLibvirt(cause, false);
    case 'network-start':
      if (!network) return t.fail(`no network with id ${event.networkId ?? '(none)'} in the lab`);
      t.daemon.startNetwork(network, cause);
      return;
    case 'network-destroy':
      if (!network) return t.fail(`no network with id ${event.networkId ?? '(none)'} in the lab`);
      t.daemon.destroyNetwork(network.id, cause, network.network?.name ?? network.id);
      return;
    case 'layer-start':
    case 'layer-reload':
    case 'layer-stop': {
      const layer = t.layerById(event.layerId);
      if (!layer) return t.fail(`no layer with id ${event.layerId ?? '(none)'} in the lab`);
      if (event.kind === 'layer-stop') t.runningLayers.delete(layer.id);
      else t.runningLayers.add(layer.id);
      try {
        LAYER_DRIVERS[layer.kind](timelineContext(t, event), event, layer);
      } catch (e) {
        t.fail(`${layer.label}: ${e instanceof Error ? e.message : String(e)}`);
      }
      return;
    }
    case 'iptables-flush':
      return iptablesFlush(t, event);
    case 'nft-flush-ruleset':
      return nftFlushRuleset(t, event);
    case 'sysctl-set':
      return sysctlSet(t, event);
    case 'sysctl-reload':
      return sysctlReload(t);
  }
}

const MAY_RELOAD = new Set(['libvirtd-start', 'libvirtd-restart', 'libvirtd-sighup', 'layer-start', 'layer-reload', 'layer-stop']);

export function stepTimeline(t: HostTimeline, event: TimelineEvent): void {
  const label = describeEvent(event, t.lab, t.networks);
  const result = { eventId: event.id, kind: event.kind, label, ok: true, errors: [] as string[] };
  t.results.push(result);
  const withRules = t.daemon.running.filter((n) => modeHasRules(n.facts.mode)).length;
  const tryOthers = t.options.alternatives !== false && MAY_RELOAD.has(event.kind) && withRules >= 2;
  // Replaying other orders matters where removal is by stored nft handle (or when states are wanted).
  const replay = tryOthers && (t.options.keepAlternativeStates === true || t.daemon.flavour.backend === 'nftables' || event.params?.firewallBackend === 'nftables');
  const before = replay ? t.clone() : null;
  t.current = { event, cause: { event: label, eventId: event.id }, result };
  t.reloadsThisEvent = [];
  applyEvent(t, event, t.current.cause);
  const reloads = t.reloadsThisEvent.filter((o) => o.length >= 2);
  t.current = null;
  if (tryOthers && reloads.length > 0) {
    if (before) compareReloadOrders(t, before, event, reloads[0], stepTimeline);
    else listReloadOrders(t, event, reloads[0]);
  }
}
