// The store keeps whatever lab it is given as JSON, so it checks the shape
// first: a patch from a buggy renderer (or a hand-written createVariant) that
// would turn `networks` into a string is refused with the offending path,
// instead of being saved and breaking every later reader. Only required fields
// and their types are checked; optional and future fields pass through.

import type { Lab, LayerKind, TimelineEventKind } from '../../../../shared/lab/labModel.ts';

const LAYER_KINDS = ['susefirewall2', 'firewalld', 'ufw', 'docker', 'own-script', 'raw-ruleset'] as const satisfies readonly LayerKind[];
const EVENT_KINDS = [
  'libvirtd-start',
  'libvirtd-stop',
  'libvirtd-restart',
  'libvirtd-sighup',
  'network-start',
  'network-destroy',
  'layer-start',
  'layer-reload',
  'layer-stop',
  'iptables-flush',
  'nft-flush-ruleset',
  'sysctl-set',
  'sysctl-reload',
] as const satisfies readonly TimelineEventKind[];

// Compile-time: adding a member to LayerKind or TimelineEventKind without
// listing it above fails type-checking here.
type Exhaustive<Union, Listed> = [Exclude<Union, Listed>] extends [never] ? true : never;
const layerKindsComplete: Exhaustive<LayerKind, (typeof LAYER_KINDS)[number]> = true;
const eventKindsComplete: Exhaustive<TimelineEventKind, (typeof EVENT_KINDS)[number]> = true;
void layerKindsComplete;
void eventKindsComplete;

type Problem = string | null;
type Check = (value: unknown, path: string) => Problem;

const str: Check = (v, p) => (typeof v === 'string' ? null : `${p} must be a string`);
const bool: Check = (v, p) => (typeof v === 'boolean' ? null : `${p} must be true or false`);
const num: Check = (v, p) => (typeof v === 'number' && Number.isFinite(v) ? null : `${p} must be a number`);
const oneOf =
  (allowed: readonly string[]): Check =>
  (v, p) =>
    allowed.includes(v as string) ? null : `${p} is ${JSON.stringify(v)}, expected one of ${allowed.join(', ')}`;
const arrayOf =
  (item: Check): Check =>
  (v, p) => {
    if (!Array.isArray(v)) return `${p} must be an array`;
    for (let i = 0; i < v.length; i++) {
      const problem = item(v[i], `${p}[${i}]`);
      if (problem) return problem;
    }
    return null;
  };
const recordOf =
  (item: Check): Check =>
  (v, p) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return `${p} must be an object`;
    for (const [k, value] of Object.entries(v)) {
      const problem = item(value, `${p}[${JSON.stringify(k)}]`);
      if (problem) return problem;
    }
    return null;
  };
const object =
  (fields: Record<string, Check>): Check =>
  (v, p) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return `${p} must be an object`;
    const o = v as Record<string, unknown>;
    for (const [key, check] of Object.entries(fields)) {
      if (o[key] === undefined) return `${p}.${key} is missing`;
      const problem = check(o[key], `${p}.${key}`);
      if (problem) return problem;
    }
    return null;
  };
const scalar: Check = (v, p) => (['string', 'number', 'boolean'].includes(typeof v) ? null : `${p} must be a string, number or boolean`);

const route = object({ destination: str });
const services = arrayOf(str);

const labCheck = object({
  schemaVersion: num,
  host: object({
    name: str,
    interfaces: arrayOf(object({ name: str, kind: str, addresses: arrayOf(str), up: bool })),
    routes: arrayOf(route),
    sysctls: object({ ipForward: bool, ipv6Forwarding: bool, interfaceForwarding: recordOf(bool), rpFilter: object({ all: num, default: num, interfaces: recordOf(num) }), bridgeNfCallIptables: bool }),
    iptablesBackend: oneOf(['legacy', 'nft']),
    libvirt: object({ version: str, backend: oneOf(['iptables', 'nftables']) }),
    listens: services,
  }),
  networks: arrayOf(object({ id: str, xml: str, autostart: bool })),
  guests: arrayOf(object({ id: str, name: str, networkId: str, listens: services })),
  layers: arrayOf(object({ id: str, kind: oneOf(LAYER_KINDS), label: str, files: recordOf(str), settings: recordOf(scalar) })),
  events: arrayOf(object({ id: str, kind: oneOf(EVENT_KINDS), phase: oneOf(['boot', 'later']) })),
  gateway: object({ address: str, routes: arrayOf(route), masquerade: arrayOf(str), listens: services }),
  internet: object({ address: str, listens: services }),
  services,
});

/** The first shape problem of `value` as a Lab (e.g. "lab.networks[1].xml must be a string"), or null. */
export function labShapeProblem(value: unknown): string | null {
  const problem = labCheck(value, 'lab');
  if (problem) return problem;
  const lab = value as Lab;
  const seen = new Set<string>();
  for (const item of [...lab.networks, ...lab.guests, ...lab.layers, ...lab.events]) {
    if (seen.has(item.id)) return `lab: id ${JSON.stringify(item.id)} is used twice (ids are unique across networks, guests, layers and events)`;
    seen.add(item.id);
  }
  return null;
}
