// Docker in the simulated world: while dockerd runs (its layer started and not
// stopped at the end of the timeline), the host has docker0 and one bridge per
// network of the commands file, each with its gateway address, and every
// container of the file is a node on its bridge — so a connection to a
// published port (DNAT at the host's PREROUTING) is followed through routing,
// FORWARD and POSTROUTING to the container and its answer back.
// A container is assumed to answer on the container ports it publishes (and
// ping); nothing else is known about what runs inside it. Containers on
// --network host/none and Docker's IPv6 are not simulated.

import type { Lab } from '../lab/labModel.ts';
import { dockerLayerConfig, dockerLayerWorkload } from '../layers/docker/dockerDriver.ts';
import type { DockerContainerPlan, DockerNetworkPlan } from '../layers/docker/dockerNetworkPlan.ts';
import { parseIpv4, parseIpv4Prefix } from './ipv4.ts';
import type { NodeAddress, SimNode } from './world.ts';
import { addressOf, connectedRoutes, iface, listensFrom, route, type WorldBuilder } from './worldBuilder.ts';

export interface DockerBridge {
  name: string;
  address: NodeAddress;
  network: DockerNetworkPlan;
}

export interface DockerWorld {
  bridges: DockerBridge[];
  containers: DockerContainerPlan[];
}

/** The Docker bridges and containers present at the end of the timeline (empty when dockerd does not run). */
export function dockerWorld(lab: Lab, runningLayerIds: readonly string[] | undefined): DockerWorld {
  const out: DockerWorld = { bridges: [], containers: [] };
  for (const layer of lab.layers) {
    if (layer.kind !== 'docker' || !runningLayerIds?.includes(layer.id)) continue;
    const { config } = dockerLayerConfig(layer);
    const { workload } = dockerLayerWorkload(layer, config);
    const prefix = Number(config.subnet.split('/')[1]);
    const docker0 = { name: 'docker0', address: addressOf(parseIpv4(config.bip.split('/')[0]), prefix) };
    const networks = workload?.plan.networks ?? [];
    out.bridges.push({ ...docker0, network: { name: 'bridge', id: 'docker0', bridge: 'docker0', subnet: config.subnet, gateway: config.bip.split('/')[0], internal: false, icc: config.icc, masquerade: true, builtin: true } });
    for (const n of networks) out.bridges.push({ name: n.bridge, address: addressOf(parseIpv4(n.gateway), Number(n.subnet.split('/')[1])), network: n });
    out.containers.push(...(workload?.plan.containers ?? []));
  }
  return out;
}

export function dockerContainerNodeId(c: DockerContainerPlan): string {
  return `docker:${c.network.name}:${c.ip}`;
}

/** Adds the containers as nodes on their bridges' segments (the host's bridge interfaces are added by the caller). */
export function addDockerContainers(b: WorldBuilder, docker: DockerWorld): void {
  for (const c of docker.containers) {
    const bridge = docker.bridges.find((x) => x.name === c.network.bridge);
    if (!bridge) continue;
    const id = dockerContainerNodeId(c);
    const seg = `br:${bridge.name}`;
    const published = c.ports.map((p) => `${p.proto}/${p.containerPort}`);
    const node: SimNode = {
      id,
      role: 'lan-host',
      label: `container ${c.label} ${c.ip} (Docker network ${c.network.name})`,
      interfaces: [iface('eth0', [addressOf(parseIpv4(c.ip), bridge.address.prefix)], seg)],
      routes: [],
      listens: listensFrom(['icmp', ...published], `container ${c.label}: the ports it publishes`, true),
    };
    node.routes = connectedRoutes(node.interfaces);
    if (!c.network.internal) node.routes.push(route(parseIpv4Prefix('0.0.0.0/0'), 'eth0', bridge.address.address, 0, 'assumed'));
    b.addNode(node);
    b.join(seg, { node: id, iface: 'eth0', port: `veth-${c.label}` });
    b.assume(`container ${c.label} (${c.ip}, ${c.command.text.length > 80 ? `line ${c.command.line}` : c.command.text}) answers ping${published.length ? ` and ${published.join(', ')} — the ports it publishes; nothing else is known about it` : '; it publishes no port'}`, [id]);
  }
}
