// What a user of the simulator sees from a firewalld forward-port (the most
// common thing a KVM admin does with firewalld): on topology T0 (host eth1
// 192.168.90.10 in zone public, libvirt network `deb` on virbr3, guest V
// 192.168.10.50, gateway G 192.168.90.1) G opens a connection to the host's
// port 2222 and the simulator's flow engine follows it — firewalld's DNAT in
// nat_PRE_public_allow, routing to virbr3, filter FORWARD, the guest's answer.

import { describe, expect, it } from 'vitest';
import type { Lab } from '../../shared/lab/labModel.ts';
import { T0 } from '../../shared/lab/defaultLab.ts';
import { labWorld } from '../../shared/simulator/simulateFlow.ts';
import { runFlow, type EngineResult } from '../../shared/simulator/flowEngine.ts';
import { parseIpv4 } from '../../shared/simulator/ipv4.ts';
import { GATEWAY_ID } from '../../shared/simulator/labWorld.ts';
import { compileHost } from '../../shared/netfilter/eval/compileHost.ts';
import { evaluateHook } from '../../shared/netfilter/eval/evaluateHook.ts';
import { outcomeLeaves } from '../../shared/netfilter/eval/hookResult.ts';
import { foldScenario } from './layerScenarioHost.ts';
import { firewalldLayer, layerEvent, scenarioLab, type Mode } from './layerScenarioLabs.ts';

const PUBLIC = '/etc/firewalld/zones/public.xml';
const ZONE = (forwardPort: string) => `<?xml version="1.0" encoding="utf-8"?>\n<zone>\n  <short>Public</short>\n  <service name="ssh"/>\n${forwardPort}</zone>\n`;
const FORWARD_2222 = '  <forward-port port="2222" protocol="tcp" to-port="22" to-addr="192.168.10.50"/>\n';

function lab(mode: Mode, zone: string, conf = ''): Lab {
  const files: Record<string, string> = { [PUBLIC]: zone, ...(conf ? { '/etc/firewalld/firewalld.conf': conf } : {}) };
  const l = scenarioLab({
    mode,
    libvirtVersion: '9.0',
    layers: [firewalldLayer('2.3.1', files)],
    events: [layerEvent('fw', 'layer-start', 'fwd', 'boot: firewalld.service'), 'libvirtd-start', 'net-start'],
  });
  l.guests[0].listens = ['tcp/22'];
  return l;
}

/** G opens a TCP connection to the host's external address. */
function fromGateway(l: Lab, dport: number): EngineResult {
  const world = labWorld(l);
  const gateway = world.nodes.get(GATEWAY_ID);
  if (!gateway) throw new Error('no gateway in the world');
  return runFlow(world, gateway, { kind: 'request', src: parseIpv4(T0.gatewayAddress), dst: parseIpv4(T0.hostAddress), proto: 'tcp', sport: 40000, dport, direction: 'request' });
}

/** The rule that DNATs G's first packet at the host's PREROUTING (evaluated on the folded state). */
function dnatRule(l: Lab) {
  const host = compileHost(foldScenario(l).state, { context: { interfaces: [{ name: 'lo', addresses: ['127.0.0.1/8'], kind: 'loopback' }, { name: T0.uplink, addresses: [`${T0.hostAddress}/24`] }, { name: 'virbr3', addresses: ['192.168.10.1/24'], kind: 'bridge' }], brNetfilter: false } });
  const leaves = outcomeLeaves(evaluateHook(host, 'prerouting', { family: 'ipv4', iif: T0.uplink, src: T0.gatewayAddress, dst: T0.hostAddress, proto: 'tcp', sport: 40000, dport: 2222, tcpFlags: ['SYN'], ctState: 'NEW', ctStatus: [], pktType: 'unicast', length: 60 }).outcome);
  const nat = leaves.flatMap((x) => (x.kind === 'final' && x.nat ? [x.nat] : []));
  expect(nat).toHaveLength(1);
  return nat[0].decidedBy;
}

describe('firewalld forward-port in the simulator', () => {
  it('G → host:2222 reaches guest V on port 22 (routed network) and the answer comes back; the DNAT step names the forward-port, its file and line', () => {
    const l = lab('route', ZONE(FORWARD_2222));
    const r = fromGateway(l, 2222);
    expect(r.failure).toBeNull();
    // G sees the answer from the address it called, port 2222 (the DNAT undone on the way back).
    expect(r.arrived).toMatchObject({ kind: 'answer', src: parseIpv4(T0.hostAddress), sport: 2222 });
    expect(r.path.some((p) => p.node.startsWith('V ') && p.stage === 'answer')).toBe(true);
    // The path's PREROUTING step names the DNAT rule …
    const pre = r.path.find((p) => p.direction === 'request' && p.node.startsWith('KVM host') && p.stage === 'prerouting');
    expect(pre?.outcome).toBe('nat');
    expect(pre?.detail).toContain('dnat by meta nfproto ipv4 tcp dport 2222 dnat ip to 192.168.10.50:22');
    expect(r.path.find((p) => p.stage === 'nat')?.detail).toBe('dnat: destination becomes 192.168.10.50');
    // … and the rule's provenance is the forward-port: zone file, line, the element.
    expect(dnatRule(l)).toMatchObject({
      chain: 'nat_PRE_public_allow',
      provenance: {
        layer: 'firewalld',
        file: PUBLIC,
        line: 5,
        reason: `zone public: <forward-port port="2222" protocol="tcp" to-port="22" to-addr="192.168.10.50"/> (${PUBLIC} line 5): tcp port 2222 is forwarded to 192.168.10.50:22`,
      },
    });
    // firewalld lets the DNAT'd connection through with its default rule (StrictForwardPorts=no).
    expect(r.acceptedBy?.provenance?.reason).toBe("firewalld default rule: every DNAT'd packet (StrictForwardPorts=no)");
  });

  it('StrictForwardPorts=yes: filter_FORWARD_dnat lets the connection through by its original port (ct original proto-dst 2222)', () => {
    const r = fromGateway(lab('route', ZONE(FORWARD_2222), 'StrictForwardPorts=yes\n'), 2222);
    expect(r.failure).toBeNull();
    expect(r.conditions).toEqual([]);
    expect(r.arrived).toMatchObject({ kind: 'answer', src: parseIpv4(T0.hostAddress), sport: 2222 });
    expect(r.acceptedBy?.text).toBe('ct original proto-dst 2222 accept');
    expect(r.acceptedBy?.chain).toBe('filter_FORWARD_dnat');
    expect(r.acceptedBy?.provenance?.layer).toBe('firewalld');
    // (FirewallBackend=iptables: libvirt's LIBVIRT_FWI accepts first in the same FORWARD chain, so
    // FORWARD_dnat's --ctorigdstport rule is not reached here; its evaluation is in ctTupleSteps.test.ts.)
  });

  it('without the forward-port the same connection ends at the host: zone public rejects port 2222 (admin-prohibited)', () => {
    const r = fromGateway(lab('route', ZONE('')), 2222);
    expect(r.arrived).toMatchObject({ kind: 'icmp-error', icmpType: 3, icmpCode: 13 });
    expect(r.failure?.decidedBy?.layer).toBe('firewalld');
  });

  it('on a NAT network libvirt\'s own FORWARD reject (new connections into a NAT network) refuses the forwarded connection, after the DNAT', () => {
    const r = fromGateway(lab('nat', ZONE(FORWARD_2222)), 2222);
    expect(r.arrived).toMatchObject({ kind: 'icmp-error', icmpType: 3, icmpCode: 3 });
    expect(r.failure?.decidedBy).toMatchObject({ layer: 'libvirt' });
    expect(r.path.find((p) => p.stage === 'nat')?.detail).toBe('dnat: destination becomes 192.168.10.50');
  });
});
