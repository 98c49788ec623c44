// Where dockerd puts the networks and containers of the commands file:
//  - a network without --subnet gets the first free pool of the default
//    address pools (172.17.0.0/16 … 172.31.0.0/16, then 192.168.0.0/16 cut
//    into /20s), skipping docker0's subnet and the subnets of networks created
//    before it; an explicit --subnet takes no pool (checked against real
//    20.10.24 and 26.1.5: after docker0 (172.17) the first network got
//    172.18.0.0/16, an --internal one after a --subnet 10.50.0.0/24 one got
//    172.19.0.0/16, one after a --subnet 172.20.0.0/16 got 172.21.0.0/16).
//    The host's own routes are not consulted here.
//  - the bridge is br-<first 12 hex digits of the network id>. Real ids are
//    random; the model derives a stable id from the network name (FNV-1a), so
//    the same lab always gives the same bridge names. The UI and traces name
//    the network too.
//  - a container's address: --ip when given (only on a network with an
//    explicit --subnet, as dockerd requires), else the next free host address
//    of its network (.2, .3, … after the gateway .1).

import type { ConfigProblem } from '../layerActions.ts';
import type { DockerCommand, DockerNetworkCommand, DockerPort, DockerRunCommand } from './dockerCommandsFile.ts';

export interface DockerNetworkPlan {
  name: string;
  id: string;
  bridge: string;
  /** Network address form, e.g. 172.18.0.0/16. */
  subnet: string;
  gateway: string;
  internal: boolean;
  icc: boolean;
  masquerade: boolean;
  /** The default bridge (docker0) is not created by the file. */
  builtin: boolean;
  command?: DockerNetworkCommand;
}

export interface DockerContainerPlan {
  /** --name, or "container on line N". */
  label: string;
  network: DockerNetworkPlan;
  ip: string;
  ports: DockerPort[];
  command: DockerRunCommand;
}

export interface DockerPlan {
  networks: DockerNetworkPlan[];
  containers: DockerContainerPlan[];
  problems: ConfigProblem[];
}

const toNumber = (ip: string): number => ip.split('.').reduce((n, p) => n * 256 + Number(p), 0);
const toIp = (n: number): string => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');

interface Range {
  start: number;
  size: number;
}

function range(cidr: string): Range {
  const [addr, len] = cidr.split('/');
  const size = 2 ** (32 - Number(len));
  return { start: Math.floor(toNumber(addr) / size) * size, size };
}

const cidrOf = (r: Range): string => `${toIp(r.start)}/${32 - Math.log2(r.size)}`;
const overlaps = (a: Range, b: Range): boolean => a.start < b.start + b.size && b.start < a.start + a.size;

/** The default address pools of dockerd (libnetwork ipamutils: 172.17-31/16, then 192.168.0.0/16 in /20s). */
function defaultPools(): Range[] {
  const pools: Range[] = [];
  for (let b = 17; b <= 31; b++) pools.push(range(`172.${b}.0.0/16`));
  for (let c = 0; c < 256; c += 16) pools.push(range(`192.168.${c}.0/20`));
  return pools;
}

/** A stable 64-hex-digit id from the network name (FNV-1a, 8 rounds with different seeds). */
export function dockerNetworkId(name: string): string {
  let out = '';
  for (let round = 0; round < 8; round++) {
    let h = (0x811c9dc5 ^ (round * 0x9e3779b9)) >>> 0;
    for (const ch of `${round}:${name}`) {
      h ^= ch.charCodeAt(0);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    out += h.toString(16).padStart(8, '0');
  }
  return out;
}

export function planDockerNetworks(commands: DockerCommand[], docker0Subnet: string, file: string): DockerPlan {
  const problems: ConfigProblem[] = [];
  const problem = (line: number, message: string): void => {
    problems.push({ severity: 'error', file, line, column: 1, message });
  };
  const d0 = range(docker0Subnet);
  const docker0: DockerNetworkPlan = { name: 'bridge', id: 'docker0', bridge: 'docker0', subnet: cidrOf(d0), gateway: toIp(d0.start + 1), internal: false, icc: true, masquerade: true, builtin: true };
  const networks: DockerNetworkPlan[] = [];
  const containers: DockerContainerPlan[] = [];
  const used = new Map<string, Set<number>>([[docker0.name, new Set([d0.start, d0.start + 1, d0.start + d0.size - 1])]]);
  const taken = (): Range[] => [d0, ...networks.map((n) => range(n.subnet))];

  for (const cmd of commands) {
    if (cmd.kind === 'network-create') {
      if (networks.some((n) => n.name === cmd.name)) {
        problem(cmd.line, `network with name ${cmd.name} already exists`);
        continue;
      }
      let r: Range | undefined;
      if (cmd.subnet !== undefined) {
        r = range(cmd.subnet);
        if (taken().some((t) => overlaps(t, r as Range))) {
          problem(cmd.line, `Pool overlaps with other one on this address space (--subnet ${cmd.subnet})`);
          continue;
        }
      } else {
        r = defaultPools().find((p) => !taken().some((t) => overlaps(t, p)));
        if (!r) {
          problem(cmd.line, 'could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network');
          continue;
        }
      }
      const gateway = cmd.gateway ?? toIp(r.start + 1);
      const g = toNumber(gateway);
      if (g < r.start || g >= r.start + r.size) {
        problem(cmd.line, `--gateway ${gateway} is not in the subnet ${cidrOf(r)}`);
        continue;
      }
      const id = dockerNetworkId(cmd.name);
      const bridge = cmd.bridgeName ?? `br-${id.slice(0, 12)}`;
      if (bridge === 'docker0' || networks.some((n) => n.bridge === bridge)) {
        problem(cmd.line, `bridge name ${bridge} is used by another network`);
        continue;
      }
      networks.push({ name: cmd.name, id, bridge, subnet: cidrOf(r), gateway, internal: cmd.internal, icc: cmd.icc, masquerade: cmd.masquerade, builtin: false, command: cmd });
      used.set(cmd.name, new Set([r.start, g, r.start + r.size - 1]));
      continue;
    }
    const label = cmd.name ?? `container on line ${cmd.line}`;
    if (cmd.name !== undefined && containers.some((c) => c.command.name === cmd.name)) {
      problem(cmd.line, `container name ${cmd.name} is already in use`);
      continue;
    }
    if (cmd.network === 'host' || cmd.network === 'none') {
      if (cmd.ports.length > 0) problems.push({ severity: 'warning', file, line: cmd.line, column: 1, message: `--network ${cmd.network}: published ports are discarded (no NAT rules)` });
      continue;
    }
    const net = cmd.network === 'bridge' || cmd.network === 'default' ? docker0 : networks.find((n) => n.name === cmd.network);
    if (!net) {
      problem(cmd.line, `network ${cmd.network} not found (create it on an earlier line)`);
      continue;
    }
    const r = range(net.subnet);
    const inUse = used.get(net.name) ?? new Set<number>();
    used.set(net.name, inUse);
    let ip: number | undefined;
    if (cmd.ip !== undefined) {
      if (net.builtin || net.command?.subnet === undefined) {
        problem(cmd.line, 'user specified IP address is supported only when connecting to networks with user configured subnets');
        continue;
      }
      ip = toNumber(cmd.ip);
      if (ip < r.start || ip >= r.start + r.size) {
        problem(cmd.line, `--ip ${cmd.ip} is not in ${net.name}'s subnet ${net.subnet}`);
        continue;
      }
      if (inUse.has(ip)) {
        problem(cmd.line, `Address already in use (--ip ${cmd.ip})`);
        continue;
      }
    } else {
      for (let n = r.start + 1; n < r.start + r.size - 1; n++) {
        if (!inUse.has(n)) {
          ip = n;
          break;
        }
      }
      if (ip === undefined) {
        problem(cmd.line, `no address left in ${net.subnet}`);
        continue;
      }
    }
    const clash = containers.flatMap((c) => c.ports).find((p) => cmd.ports.some((q) => q.hostPort === p.hostPort && q.proto === p.proto && (q.hostIp === p.hostIp || q.hostIp === '' || p.hostIp === '')));
    if (clash) {
      problem(cmd.line, `Bind for ${clash.hostIp || '0.0.0.0'}:${clash.hostPort} failed: port is already allocated`);
      continue;
    }
    inUse.add(ip);
    containers.push({ label, network: net, ip: toIp(ip), ports: cmd.ports, command: cmd });
  }
  return { networks, containers, problems };
}
