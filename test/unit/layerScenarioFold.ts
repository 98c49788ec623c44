// A small timeline fold for the layer scenario tests: it runs the lab's events
// in order, calls the layer drivers (shared/layers/*) with a DriverContext, and
// stands in for libvirt by replaying what real libvirt ran — the captured
// command lists of the fixtures (test/fixtures/libvirt v9-iptables and
// v11-nftables `*-single/commands.txt`: chain setup, per-network `--insert`s,
// the `--delete`s of a reload) and, for libvirt < 5.1, the built-in-chain
// rules of story.md / firewall-layers.md §0 fact 1 inserted in libvirt's order.
// libvirt's reactions: network start adds its rules (chains set up once per
// daemon lifetime) and turns ip_forward on for nat/route; SIGHUP and
// firewalld's signal remove and re-add the rules of running networks (chains
// re-created only on firewalld's signal — firewall-layers.md §0 fact 7).
// The team's foldTimeline (shared/layers/timeline/) replaces this once it is
// in the tree; the scenario assertions do not depend on which fold ran.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LIBVIRT_FIXTURES } from '../fixtures/fixturePaths.ts';
import type { Lab } from '../../shared/lab/labModel.ts';
import type { Family, Provenance } from '../../shared/netfilter/model.ts';
import { applyIptCommand, IptCommandError } from '../../shared/netfilter/iptables/iptCommand.ts';
import { parseIptablesCommandLine } from '../../shared/netfilter/iptables/parseIptablesCommandLine.ts';
import { applyNftCommand } from '../../shared/netfilter/nft/nftCommand.ts';
import { parseNftScriptCommands } from '../../shared/netfilter/nft/parseNftScript.ts';
import { emptyNetfilterState, type NetfilterState } from '../../shared/netfilter/netfilterState.ts';
import { NetfilterStateTarget } from '../../shared/layers/netfilterStateTarget.ts';
import type { DriverContext } from '../../shared/layers/driverContext.ts';
import { LAYER_DRIVERS } from '../../shared/layers/layerDrivers.ts';
import { versionAtLeast } from '../../shared/layers/layerActions.ts';
import { BRIDGE, NET, type Mode } from './layerScenarioLabs.ts';

interface LibvirtScript {
  setup: string[];
  add: string[];
  remove: string[];
}

/** libvirt < 5.1: rules straight in INPUT/FORWARD/OUTPUT/POSTROUTING, `--insert` each (story.md's listing is the result). */
function oldLibvirt(mode: Mode): LibvirtScript {
  const add = [
    `iptables -I INPUT -i ${BRIDGE} -p tcp --dport 67 -j ACCEPT`,
    `iptables -I INPUT -i ${BRIDGE} -p udp --dport 67 -j ACCEPT`,
    `iptables -I INPUT -i ${BRIDGE} -p tcp --dport 53 -j ACCEPT`,
    `iptables -I INPUT -i ${BRIDGE} -p udp --dport 53 -j ACCEPT`,
    `iptables -I OUTPUT -o ${BRIDGE} -p udp --dport 68 -j ACCEPT`,
    `iptables -I FORWARD -i ${BRIDGE} -j REJECT`,
    `iptables -I FORWARD -o ${BRIDGE} -j REJECT`,
    `iptables -I FORWARD -i ${BRIDGE} -o ${BRIDGE} -j ACCEPT`,
  ];
  if (mode === 'route') add.push(`iptables -I FORWARD -s ${NET} -i ${BRIDGE} -j ACCEPT`, `iptables -I FORWARD -d ${NET} -o ${BRIDGE} -j ACCEPT`);
  if (mode === 'nat') {
    add.push(`iptables -I FORWARD -s ${NET} -i ${BRIDGE} -j ACCEPT`, `iptables -I FORWARD -d ${NET} -o ${BRIDGE} -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT`);
    add.push(`iptables -t nat -I POSTROUTING -s ${NET} ! -d ${NET} -j MASQUERADE`);
  }
  const remove = [...add].reverse().map((c) => c.replace(' -I ', ' -D '));
  return { setup: [], add, remove };
}

function capturedLibvirt(version: string, backend: 'iptables' | 'nftables', mode: Mode): LibvirtScript {
  const dir = backend === 'nftables' ? 'v11-nftables' : versionAtLeast(version, '11') ? 'v11-iptables' : 'v9-iptables';
  const lines = readFileSync(join(LIBVIRT_FIXTURES, dir, `${mode}-single`, 'commands.txt'), 'utf8').split('\n');
  const cmds = lines.filter((l) => (l.startsWith('/usr/sbin/ip') || l.startsWith('nft ')) && !l.includes('--list-rules') && !l.startsWith('nft list'));
  const firstRule = cmds.findIndex((l) => l.includes(BRIDGE));
  const setup = cmds.slice(0, firstRule);
  const rest = cmds.slice(firstRule);
  return { setup, add: rest.filter((l) => !l.includes('--delete') && !l.startsWith('nft delete')), remove: rest.filter((l) => l.includes('--delete')) };
}

export interface FoldedHost {
  state: NetfilterState;
  sysctls: Map<string, { value: string; provenance: Provenance }>;
  notes: string[];
  failures: string[];
}

export function foldScenario(lab: Lab): FoldedHost {
  const state = emptyNetfilterState();
  const flavour = lab.host.iptablesBackend;
  const sysctls = new Map<string, { value: string; provenance: Provenance }>();
  const notes: string[] = [];
  const failures: string[] = [];
  const running = new Set<string>();
  let libvirtd = false;
  let chainsReady = false;
  let currentEvent = '';
  const lv = lab.host.libvirt;
  const nftBackend = versionAtLeast(lv.version, '10.4') && lv.backend === 'nftables';
  const modeOf = (xml: string): Mode => (/<forward mode='nat'/.test(xml) ? 'nat' : /<forward mode='route'/.test(xml) ? 'route' : 'isolated');

  const runLibvirt = (line: string, prov: Provenance, tolerant: boolean): void => {
    try {
      if (line.startsWith('nft ')) {
        const text = line.replace(/^nft (-ae )?/, '').replace(/'([^']*)'/g, '$1');
        for (const { command } of parseNftScriptCommands(text).commands) applyNftCommand(state.nft, state.nftHandles, command, prov);
      } else {
        const parsed = parseIptablesCommandLine(line);
        for (const c of parsed.commands) applyIptCommand(state.iptables[parsed.backend ?? flavour][parsed.family], c, prov);
      }
    } catch (e) {
      if (!tolerant) failures.push(`libvirt: ${line}: ${e instanceof IptCommandError || e instanceof Error ? e.message : String(e)}`);
    }
  };
  const libvirtAdd = (networkId: string, why: string, withSetup: boolean): void => {
    const n = lab.networks.find((x) => x.id === networkId);
    if (!n) return;
    const mode = modeOf(n.xml);
    const script = versionAtLeast(lv.version, '5.1') ? capturedLibvirt(lv.version, nftBackend ? 'nftables' : 'iptables', mode) : oldLibvirt(mode);
    const prov = (reason: string): Provenance => ({ layer: 'libvirt', layerLabel: `libvirt ${lv.version} · network deb (${mode})`, event: why, reason });
    if (withSetup) for (const l of script.setup) runLibvirt(l, prov('libvirt chain setup'), false);
    for (const l of script.remove) runLibvirt(l, prov('reload: remove'), true);
    for (const l of script.add) runLibvirt(l, prov(l.replace(/^\/usr\/sbin\//, '')), false);
    if (mode !== 'isolated') sysctls.set('net.ipv4.ip_forward', { value: '1', provenance: prov(`forward mode ${mode} turns on IP forwarding`) });
  };
  const reload = (why: string, force: boolean): void => {
    if (!libvirtd) return;
    if (force && versionAtLeast(lv.version, '5.1') && !nftBackend) {
      const first = lab.networks.find((n) => running.has(n.id));
      if (first) {
        const script = capturedLibvirt(lv.version, 'iptables', modeOf(first.xml));
        for (const l of script.setup) runLibvirt(l, { layer: 'libvirt', event: why, reason: 'chain setup' }, true);
      }
    }
    for (const id of running) libvirtAdd(id, why, false);
  };

  const target = new NetfilterStateTarget(state, flavour);
  // The fold stamps every layer command with the event that ran it (drivers leave `event` to it).
  const ipt = target.ipt.bind(target);
  const nft = target.nft.bind(target);
  target.ipt = (family, command, provenance, backend) => ipt(family, command, { ...provenance, event: currentEvent }, backend);
  target.nft = (command, provenance) => nft(command, { ...provenance, event: currentEvent });
  target.sysctl = (key, value, provenance) => {
    sysctls.set(key, { value, provenance: { ...provenance, event: currentEvent } });
  };
  target.signal = (signal, provenance) => {
    reload(`${signal === 'sighup' ? 'SIGHUP to libvirtd' : "firewalld's D-Bus signal"} from ${provenance.layerLabel ?? provenance.layer} (${currentEvent})`, signal === 'firewalld-reloaded');
  };
  target.note = (severity, text) => {
    notes.push(`${severity}: ${text}`);
    if (severity === 'error') failures.push(text);
  };

  const hostIfaces = lab.host.interfaces.map((i) => i.name);
  const ctx: DriverContext = {
    lab,
    state,
    sysctl: (k) => sysctls.get(k)?.value,
    presentInterfaces: () => [...hostIfaces, ...(running.size ? [BRIDGE] : [])],
    libvirtdActive: () => libvirtd,
    target,
  };

  for (const ev of lab.events) {
    currentEvent = ev.label ?? ev.kind;
    switch (ev.kind) {
      case 'libvirtd-start':
        libvirtd = true;
        chainsReady = false;
        if (running.size) {
          chainsReady = true;
          for (const id of running) libvirtAdd(id, `libvirtd start (${currentEvent})`, true);
        }
        break;
      case 'libvirtd-stop':
        libvirtd = false;
        break;
      case 'libvirtd-sighup':
        reload(`SIGHUP to libvirtd (${currentEvent})`, false);
        break;
      case 'network-start':
        if (!libvirtd || !ev.networkId) break;
        running.add(ev.networkId);
        // Chain setup once per daemon lifetime (iptables); the nft backend re-`add`s its table each time.
        libvirtAdd(ev.networkId, `network start (${currentEvent})`, nftBackend || !chainsReady);
        chainsReady = true;
        break;
      case 'sysctl-set':
        sysctls.set(String(ev.params?.key), { value: String(ev.params?.value), provenance: { layer: 'admin', event: currentEvent, reason: `sysctl -w ${ev.params?.key}=${ev.params?.value}` } });
        break;
      case 'layer-start':
      case 'layer-reload':
      case 'layer-stop': {
        const layer = lab.layers.find((l) => l.id === ev.layerId);
        if (layer) LAYER_DRIVERS[layer.kind](ctx, ev, layer);
        break;
      }
      default:
        notes.push(`event ${ev.kind} not handled by the scenario fold`);
    }
  }
  return { state, sysctls, notes, failures };
}

export function familyTables(state: NetfilterState, flavour: 'legacy' | 'nft', family: Family) {
  return state.iptables[flavour][family].tables;
}
