// Turns a captured libvirt scenario (the capture's `-S` step list, notes.txt)
// into a lab timeline: up:/start: → network-start, destroy: → network-destroy,
// restart → libvirtd-restart, `sh:` steps → the equivalent timeline events
// (iptables -F → iptables-flush, nft flush ruleset → nft-flush-ruleset, the
// network.conf edit + restart → libvirtd-restart {firewallBackend}) or an
// own-script layer running the raw command (a foreign rule, preexisting host
// rules, nft delete table). dump:LABEL marks where a dump was taken.

import { defaultLab } from '../../lab/defaultLab.ts';
import { sequentialIds } from '../../lab/labIds.ts';
import type { Lab, Layer, TimelineEvent } from '../../lab/labModel.ts';
import { caseNetworkFiles, caseNetworks, folderSetup, readCase, type FixtureFolder } from '../../../test/testkit/libvirtFixtureCase.ts';

export interface ScenarioLab {
  lab: Lab;
  /** dump label → id of the last event before it. */
  dumps: { label: string; afterEventId: string }[];
}

function steps(folder: string, name: string): string[] {
  const notes = readCase(folder, name, 'notes.txt');
  const m = /-S '(.*)' (?:-O OUT|shared\/)/.exec(notes);
  if (!m) throw new Error(`${folder}/${name}: no -S step list in notes.txt`);
  // The sed step of the switch-backend cases has its own quotes: `sh:sed -i 's/…/' FILE`.
  return m[1].replace(/'\\''/g, "'").split(';');
}

export function scenarioLab(folder: FixtureFolder, name: string): ScenarioLab {
  const setup = folderSetup(folder);
  const lab = defaultLab(sequentialIds(), { libvirtVersion: setup.version, libvirtBackend: setup.backend, iptablesBackend: 'nft' });
  lab.host.interfaces = [{ name: 'lo', kind: 'loopback', addresses: ['127.0.0.1/8'], up: true }];
  lab.host.sysctls.ipForward = false;
  const nets = caseNetworks(folder, name);
  const files = caseNetworkFiles(folder, name);
  lab.networks = nets.map((n, i) => ({ id: n.id, xml: readCase(folder, name, files[i]), autostart: false }));
  const byFile = (file: string): string => nets[Number(file.replace('network-', '')) - 1]?.id ?? nets[0].id;
  const events: TimelineEvent[] = [{ id: 'e0', kind: 'libvirtd-start', phase: 'boot', label: 'libvirtd start' }];
  const layers: Layer[] = [];
  const dumps: { label: string; afterEventId: string }[] = [];
  let n = 0;
  const push = (e: Omit<TimelineEvent, 'id' | 'phase'>): void => {
    n++;
    events.push({ id: `e${n}`, phase: 'later', ...e });
  };
  let backendChange: 'iptables' | 'nftables' | undefined;
  for (const step of steps(folder, name)) {
    const [verb, ...rest] = step.split(':');
    const arg = rest.join(':');
    if (verb === 'up') push({ kind: 'network-start', networkId: byFile(arg), label: `net-start ${byFile(arg)}` });
    else if (verb === 'start') push({ kind: 'network-start', networkId: arg, label: `net-start ${arg}` });
    else if (verb === 'destroy') push({ kind: 'network-destroy', networkId: arg, label: `net-destroy ${arg}` });
    else if (verb === 'restart') {
      push({ kind: 'libvirtd-restart', label: 'libvirtd restart', ...(backendChange ? { params: { firewallBackend: backendChange } } : {}) });
      backendChange = undefined;
    } else if (verb === 'dump') dumps.push({ label: arg, afterEventId: events[events.length - 1].id });
    else if (verb === 'sh') {
      if (arg === 'iptables -F') push({ kind: 'iptables-flush', params: { table: 'filter' }, label: arg });
      else if (arg === 'nft flush ruleset') push({ kind: 'nft-flush-ruleset', label: arg });
      else if (/^iptables -t filter -F && iptables -t filter -X/.test(arg)) {
        for (const table of ['filter', 'nat', 'mangle']) push({ kind: 'iptables-flush', params: { table, deleteChains: true }, label: `iptables -t ${table} -F && -X` });
      } else if (arg.startsWith('sed -i')) backendChange = /"(nftables|iptables)"/.exec(arg)?.[1] as 'iptables' | 'nftables';
      else if (arg.startsWith('cat ')) continue;
      else if (arg.startsWith('nft insert rule') && arg.endsWith(' comment foreign')) {
        // Given as an `nft -f` file: the shell form's bare `comment foreign` is read by the nft
        // statement parser as an unknown statement (reported to the netfilter owner); same rule.
        const id = `script${layers.length + 1}`;
        layers.push({ id, kind: 'own-script', label: `sh: ${arg}`, files: { '/root/step.nft': `${arg.slice(4).replace(/comment foreign$/, 'comment "foreign"')}\n` }, settings: { format: 'nft' } });
        push({ kind: 'layer-start', layerId: id, label: `sh: ${arg}` });
      } else {
        const id = `script${layers.length + 1}`;
        layers.push({ id, kind: 'own-script', label: `sh: ${arg}`, files: { '/root/step.sh': `${arg.split(' && ').join('\n')}\n` }, settings: { format: 'sh' } });
        push({ kind: 'layer-start', layerId: id, label: `sh: ${arg}` });
      }
    } else throw new Error(`${folder}/${name}: unknown step ${step}`);
  }
  lab.events = events;
  lab.layers = layers;
  return { lab, dumps };
}

/** The top-level `table …` blocks of an `nft list ruleset` text, by "family name". */
export function nftTableBlocks(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^table (\S+) (\S+) \{/.exec(lines[i]);
    if (!m) continue;
    const end = lines.indexOf('}', i);
    out.set(`${m[1]} ${m[2]}`, `${lines.slice(i, end + 1).join('\n')}\n`);
    i = end;
  }
  return out;
}

/**
 * The order in which the captured daemon walked its networks at each reload (daemon start,
 * restart): the order in which bridges first appear after each "Reloading iptables rules".
 * Returns a reloadOrder option that replays them one reload after the other.
 */
export function capturedReloadOrder(folder: FixtureFolder, name: string): (event: TimelineEvent, ids: string[]) => string[] {
  const nets = caseNetworks(folder, name);
  const sections = readCase(folder, name, 'commands.txt').split('Reloading iptables rules').slice(1);
  const orders = sections
    .map((s) => s.split(/networkShutdownNetwork|networkStartNetwork|networkDefineXMLFlags/)[0])
    .map((s) => [...new Set(s.match(/virbr\d+/g) ?? [])].map((b) => nets.find((n) => n.bridge === b)?.id ?? b))
    .filter((o) => o.length > 0);
  let next = 0;
  return (_event, ids) => {
    if (ids.length === 0) return ids;
    const order = orders[next++] ?? ids;
    return [...order.filter((id) => ids.includes(id)), ...ids.filter((id) => !order.includes(id))];
  };
}
