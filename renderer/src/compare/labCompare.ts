// Two variants side by side: networks matched by name (a network only in one
// variant is added/removed), each with its field changes and line diff; the
// firewall layers matched by kind and label, with changed files; the timeline
// as two event lists. Effective rules and matrix differences come from the
// timeline fold and the simulator.

import type { Lab } from '../../../shared/lab/labModel.ts';
import { forwardModeOf } from '../../../shared/libvirt/networkModel.ts';
import { parseNetworkXml } from '../../../shared/libvirt/parseNetworkXml.ts';
import { fieldDiff, type FieldChange } from './fieldDiff.ts';
import { lineDiff, type DiffRow } from './lineDiff.ts';

export interface NetworkComparison {
  name: string;
  status: 'same' | 'changed' | 'only-left' | 'only-right';
  modes: [string | null, string | null];
  fields: FieldChange[];
  lines: DiffRow[];
}

export interface LayerComparison {
  label: string;
  status: 'same' | 'changed' | 'only-left' | 'only-right';
  changedFiles: string[];
}

export interface LabComparison {
  networks: NetworkComparison[];
  layers: LayerComparison[];
  events: { left: string[]; right: string[]; same: boolean };
  host: FieldChange[];
}

function networksByName(lab: Lab) {
  return new Map(
    lab.networks.map((n) => {
      const parsed = parseNetworkXml(n.xml);
      return [parsed.network?.name ?? n.id, { xml: n.xml, network: parsed.network }] as const;
    }),
  );
}

export function compareLabs(left: Lab, right: Lab): LabComparison {
  const a = networksByName(left);
  const b = networksByName(right);
  const names = [...new Set([...a.keys(), ...b.keys()])];
  const networks = names.map((name): NetworkComparison => {
    const x = a.get(name);
    const y = b.get(name);
    const modes: [string | null, string | null] = [x?.network ? forwardModeOf(x.network) : null, y?.network ? forwardModeOf(y.network) : null];
    const fields = x?.network && y?.network ? fieldDiff(x.network, y.network) : [];
    const status = !x ? 'only-right' : !y ? 'only-left' : x.xml === y.xml ? 'same' : 'changed';
    return { name, status, modes, fields, lines: lineDiff(x?.xml ?? '', y?.xml ?? '') };
  });
  const key = (l: Lab['layers'][number]) => `${l.kind}:${l.label}`;
  const layerKeys = [...new Set([...left.layers.map(key), ...right.layers.map(key)])];
  const layers = layerKeys.map((k): LayerComparison => {
    const x = left.layers.find((l) => key(l) === k);
    const y = right.layers.find((l) => key(l) === k);
    const files = [...new Set([...Object.keys(x?.files ?? {}), ...Object.keys(y?.files ?? {})])];
    const changedFiles = x && y ? files.filter((f) => x.files[f] !== y.files[f]) : files;
    return { label: (x ?? y)!.label, status: !x ? 'only-right' : !y ? 'only-left' : changedFiles.length || x.version !== y.version ? 'changed' : 'same', changedFiles };
  });
  const eventText = (lab: Lab) => lab.events.map((e) => e.label ?? `${e.phase}: ${e.kind}`);
  const le = eventText(left);
  const re = eventText(right);
  return { networks, layers, events: { left: le, right: re, same: le.join('\n') === re.join('\n') }, host: fieldDiff(left.host, right.host) };
}
