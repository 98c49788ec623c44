// Validation of all networks of a project together, in the order they would be
// defined and started (fixtures validation/<pair case>/network.xml, then
// network-2.xml), plus the host's own interfaces:
//   - what libvirt refuses at define: a name or uuid already defined, a bridge
//     name already used by another network (networkBridgeNameValidate);
//   - what fails at start: a subnet identical to a running network's or a host
//     interface's route (networkCheckRouteCollision: "Network is already in use
//     by interface …"), a bridge name that already exists as a host interface;
//   - what libvirt misses entirely (warnings): overlapping subnets and supernets,
//     a forward dev the host does not have.

import { firstFreeBridgeName } from './canonicalNetworkXml.ts';
import { parseCidr, subnetCidr, subnetsOverlap, type Subnet } from './ipMath.ts';
import { networkAddressing, type IpAddressing } from './networkAddressing.ts';
import type { Network } from './networkModel.ts';
import { canonicalUuid } from './networkIdentifiers.ts';
import { hasErrors, type NetworkProblem } from './networkProblem.ts';
import { parseNetworkXml } from './parseNetworkXml.ts';
import { ProblemSink } from './problemSink.ts';
import { hasLibvirtBridge, validateNetwork } from './validateNetwork.ts';

export interface ProjectNetworkInput {
  file?: string;
  text: string;
}

export interface HostInterface {
  name: string;
  /** Addresses with prefix, e.g. `192.168.90.5/24`, `fd00::5/64`. */
  addresses: string[];
}

interface Defined {
  network: Network;
  uuid: string | undefined;
  bridge: string | undefined;
  ips: IpAddressing[];
  started: boolean;
}

/** Problems per network, in input order. */
export function validateProject(networks: ProjectNetworkInput[], hostInterfaces: HostInterface[] = []): NetworkProblem[][] {
  const defined: Defined[] = [];
  const hostNames = hostInterfaces.map((h) => h.name);
  const hostRoutes = hostInterfaces.flatMap((h) => h.addresses.map((a) => ({ name: h.name, subnet: parseCidr(a) })).filter((r): r is { name: string; subnet: Subnet } => r.subnet !== null));

  return networks.map((input) => {
    const parsed = parseNetworkXml(input.text);
    const network = parsed.network;
    if (!network) return validateNetwork(parsed);
    const taken = [...defined.map((d) => d.bridge).filter((b): b is string => !!b), ...hostNames];
    const writtenBridge = network.bridge?.name;
    const assignedBridge = writtenBridge && !writtenBridge.includes('%d') ? undefined : firstFreeBridgeName(taken, writtenBridge || 'virbr%d');
    const own = validateNetwork(parsed, { assignedBridge });
    const sink = new ProblemSink(parsed.document, network.name);
    const uuid = network.uuid !== undefined ? (canonicalUuid(network.uuid) ?? undefined) : undefined;

    const sameName = defined.find((d) => d.network.name === network.name);
    if (sameName && !(uuid && sameName.uuid === uuid)) {
      sink.define(`network '${network.name}' already exists with uuid ${sameName.uuid ?? '(generated when it was defined)'}`, [['name', 0]]);
    }
    const sameUuid = uuid ? defined.find((d) => d.uuid === uuid && d.network.name !== network.name) : undefined;
    if (sameUuid) sink.define(`network '${sameUuid.network.name}' is already defined with uuid ${uuid}`, [['uuid', 0]]);
    // Same name and uuid: libvirt takes it as a new definition of that network. While the
    // earlier one runs, the new one only becomes its next configuration (virNetworkObjAssignDef).
    const redefinition = sameName && uuid !== undefined && sameName.uuid === uuid ? sameName : undefined;
    if (redefinition?.started) sink.start(`network is already active (the earlier file defines the same network '${network.name}' and it is running; this definition only takes effect after net-destroy and net-start)`, [['name', 0]]);
    else if (redefinition) sink.warning(`redefines network '${network.name}' (same name and uuid): this file replaces the earlier one`, [['name', 0]]);

    let bridge: string | undefined;
    if (hasLibvirtBridge(network)) {
      const written = writtenBridge;
      if (written && !written.includes('%d')) {
        bridge = written;
        // virNetworkObjBridgeInUse skips the network of the same name (a redefinition).
        if (defined.some((d) => d.bridge === written && d.network.name !== network.name)) sink.define(`bridge name '${written}' already in use.`, [['bridge', 0]], 'name');
        else if (hostNames.includes(written)) sink.start(`error creating bridge interface ${written}: File exists (the host already has an interface of that name)`, [['bridge', 0]], 'name');
      } else bridge = assignedBridge;
    } else if (network.forward?.mode === 'bridge' && network.bridge?.name && hostInterfaces.length > 0 && !hostNames.includes(network.bridge.name)) {
      sink.warning(`bridge '${network.bridge.name}' does not exist on the host; guests cannot attach until it does`, [['bridge', 0]], 'name');
    }

    const addressing = networkAddressing(network);
    const running = defined.filter((d) => d.started);
    for (const ip of addressing.ips) {
      const at = [['ip', ip.index]] as const;
      const subnet = ip.parsed.subnet;
      const clash = running.flatMap((d) => d.ips.filter((o) => sameSubnet(o.parsed.subnet, subnet)).map(() => d))[0];
      const hostClash = hostRoutes.find((r) => sameSubnet(r.subnet, subnet));
      if (clash) sink.start(`Network is already in use by interface ${clash.bridge ?? '(its bridge)'} (network '${clash.network.name}' has the same subnet ${ip.subnet})`, at, 'address');
      else if (hostClash) sink.start(`Network is already in use by interface ${hostClash.name} (the host's ${hostClash.name} is on ${ip.subnet})`, at, 'address');
      for (const d of running) {
        for (const o of d.ips) {
          if (!sameSubnet(o.parsed.subnet, subnet) && subnetsOverlap(o.parsed.subnet, subnet)) {
            const relation = subnet.prefix < o.parsed.subnet.prefix ? 'is a supernet of' : 'lies inside';
            sink.warning(`${ip.subnet} ${relation} ${o.subnet} of network '${d.network.name}'${d.bridge ? ` (${d.bridge})` : ''}: libvirt starts both, but the host routes the overlap to only one of them`, at, 'address');
          }
        }
      }
      for (const r of hostRoutes) {
        if (!sameSubnet(r.subnet, subnet) && subnetsOverlap(r.subnet, subnet)) {
          sink.warning(`${ip.subnet} overlaps ${subnetCidr(r.subnet)} of the host's interface ${r.name}: the host routes the overlap to only one of them`, at, 'address');
        }
      }
    }
    // Two networks with the same host address: the second dnsmasq cannot listen on it
    // (libvirt runs one dnsmasq per network bound to its addresses; exit status 2, seen on 9.0).
    if (runsDnsmasq(network)) {
      for (const ip of addressing.ips) {
        const other = running.find((d) => runsDnsmasq(d.network) && d.ips.some((o) => o.address === ip.address));
        if (!other) continue;
        const br = bridge ?? 'virbr0';
        sink.start(
          `Child process (VIR_BRIDGE_NAME=${br} /usr/sbin/dnsmasq --conf-file=/var/lib/libvirt/dnsmasq/${network.name}.conf --leasefile-ro --dhcp-script=/usr/lib/libvirt/libvirt_leaseshelper) unexpected exit status 2: (dnsmasq cannot listen on ${ip.address}: network '${other.network.name}' already has that address)`,
          [['ip', ip.index]],
          'address',
        );
      }
    }
    const dev = network.forward?.dev;
    if (dev && hostInterfaces.length > 0 && !hostNames.includes(dev)) {
      sink.warning(`forward dev '${dev}' does not exist on the host; libvirt starts the network anyway and its rules name '${dev}'`, [['forward', 0]], 'dev');
    }

    const problems = [...own, ...sink.problems];
    const defineFailed = problems.some((p) => p.severity === 'error' && p.when === 'define');
    if (!defineFailed && !redefinition) defined.push({ network, uuid, bridge, ips: addressing.ips, started: !hasErrors(problems) });
    return problems;
  });
}

/** libvirt starts dnsmasq for a network with a libvirt bridge and an address, unless DNS is off and there is no DHCP. */
function runsDnsmasq(network: Network): boolean {
  if (!hasLibvirtBridge(network) || network.ips.length === 0) return false;
  const dhcp = network.ips.some((ip) => ip.dhcp && (ip.dhcp.ranges.length > 0 || ip.dhcp.hosts.length > 0));
  return network.dns?.enable !== false || dhcp;
}

function sameSubnet(a: Subnet, b: Subnet): boolean {
  return a.family === b.family && a.prefix === b.prefix && subnetCidr(a) === subnetCidr(b);
}
