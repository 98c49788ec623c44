// What a user of the simulator sees from a Docker published port: on topology
// T0 (libvirt network `deb` on virbr3, guest V 192.168.10.50, gateway G
// 192.168.90.1) dockerd runs a compose-like commands file — network `web`,
// container `app` on it publishing 8080→80, container `legacy` on docker0
// publishing 127.0.0.1:2222→22. The flow engine follows a connection to the
// host's port 8080 through Docker's DNAT to the container and back.

import { describe, expect, it } from 'vitest';
import type { Lab, Layer } from '../../shared/lab/labModel.ts';
import { T0 } from '../../shared/lab/defaultLab.ts';
import { DOCKER_COMMANDS_PATH } from '../../shared/layers/docker/dockerCommandsFile.ts';
import { labWorld } from '../../shared/simulator/simulateFlow.ts';
import { runFlow, type EngineResult } from '../../shared/simulator/flowEngine.ts';
import { parseIpv4 } from '../../shared/simulator/ipv4.ts';
import { GATEWAY_ID, guestNodeId } from '../../shared/simulator/labWorld.ts';
import { layerEvent, scenarioLab } from './layerScenarioLabs.ts';

const COMMANDS = 'docker network create web\ndocker run -d --name app --network web -p 8080:80 nginx\ndocker run -d --name legacy -p 127.0.0.1:2222:22 sshd\n';

function lab(stopped = false): Lab {
  const docker: Layer = { id: 'dk', kind: 'docker', label: 'Docker', version: '26.1.5', files: { [DOCKER_COMMANDS_PATH]: COMMANDS }, settings: {} };
  return scenarioLab({
    mode: 'nat',
    libvirtVersion: '9.0',
    layers: [docker],
    events: ['libvirtd-start', 'net-start', layerEvent('d1', 'layer-start', 'dk', 'boot: docker.service'), ...(stopped ? [layerEvent('d2', 'layer-stop', 'dk', 'docker stopped')] : [])],
  });
}

function from(l: Lab, node: string, src: string, dst: string, dport: number): EngineResult {
  const world = labWorld(l);
  const n = world.nodes.get(node);
  if (!n) throw new Error(`no node ${node}`);
  return runFlow(world, n, { kind: 'request', src: parseIpv4(src), dst: parseIpv4(dst), proto: 'tcp', sport: 40000, dport, direction: 'request' });
}

describe('Docker published ports in the simulator', () => {
  it('G → host:8080 is DNAT\'d to container app (172.18.0.2:80 on web) and answered; the path names Docker\'s DNAT rule', () => {
    const r = from(lab(), GATEWAY_ID, T0.gatewayAddress, T0.hostAddress, 8080);
    expect(r.failure).toBeNull();
    expect(r.arrived).toMatchObject({ kind: 'answer', src: parseIpv4(T0.hostAddress), sport: 8080 });
    expect(r.path.some((p) => p.node.startsWith('container app 172.18.0.2') && p.stage === 'answer')).toBe(true);
    const pre = r.path.find((p) => p.direction === 'request' && p.node.startsWith('KVM host') && p.stage === 'prerouting');
    expect(pre?.detail).toContain('--dport 8080 -j DNAT --to-destination 172.18.0.2:80');
    expect(r.acceptedBy?.provenance).toMatchObject({ layer: 'docker', file: DOCKER_COMMANDS_PATH, line: 2 });
  });

  it('guest V → the host\'s virbr3 address:8080 reaches the container too (PREROUTING DOCKER on every local address)', () => {
    const r = from(lab(), guestNodeId('guest-v'), '192.168.10.50', '192.168.10.1', 8080);
    expect(r.failure).toBeNull();
    expect(r.path.some((p) => p.node.startsWith('container app') && p.stage === 'answer')).toBe(true);
  });

  it('a port published on 127.0.0.1 only is not reachable from G; after dockerd stops the container is gone', () => {
    expect(from(lab(), GATEWAY_ID, T0.gatewayAddress, T0.hostAddress, 2222).failure).not.toBeNull();
    const stopped = from(lab(true), GATEWAY_ID, T0.gatewayAddress, T0.hostAddress, 8080);
    expect(stopped.failure).not.toBeNull();
    expect(stopped.path.some((p) => p.node.startsWith('container app'))).toBe(false);
    expect([...labWorld(lab(true)).nodes.keys()].some((k) => k.startsWith('docker:'))).toBe(false);
  });

  it('the world spells out what it assumes about a container', () => {
    expect(labWorld(lab()).assumptions.map((a) => a.text)).toContain('container app (172.18.0.2, docker run -d --name app --network web -p 8080:80 nginx) answers ping and tcp/80 — the ports it publishes; nothing else is known about it');
  });
});
