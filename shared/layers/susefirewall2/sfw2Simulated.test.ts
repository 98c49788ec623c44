// What a user of the simulator sees from the SuSEfirewall2 variables beyond
// the basics, on topology T0 (host eth1 192.168.90.10, libvirt nat network
// `deb` on virbr3, guest V 192.168.10.50, gateway G 192.168.90.1): the lab is
// folded (SuSEfirewall2 start, libvirt events) and packets run through the
// simulator's flow engine — DNAT, routing, every hook, the answer back.

import { describe, expect, it } from 'vitest';
import type { Lab } from '../../lab/labModel.ts';
import { labWorld } from '../../simulator/simulateFlow.ts';
import { runFlow, type EngineResult } from '../../simulator/flowEngine.ts';
import { parseIpv4 } from '../../simulator/ipv4.ts';
import { GATEWAY_ID } from '../../simulator/labWorld.ts';
import { compileHost } from '../../netfilter/eval/compileHost.ts';
import { evaluateHook } from '../../netfilter/eval/evaluateHook.ts';
import { outcomeLeaves } from '../../netfilter/eval/hookResult.ts';
import type { Packet } from '../../netfilter/eval/packet.ts';
import { T0 } from '../../lab/defaultLab.ts';
import { layerEvent, scenarioLab, sfw2Layer, GUEST } from '../../../test/unit/layerScenarioLabs.ts';
import { foldScenario } from '../../../test/unit/layerScenarioHost.ts';

const BASE = `FW_DEV_EXT="${T0.uplink}"\nFW_ROUTE="yes"\nFW_MASQUERADE="yes"\n`;
const FORWARD_80 = 'FW_FORWARD_MASQ="0/0,192.168.10.50,tcp,80"\n';

/**
 * Boot with libvirtd, the nat network and SuSEfirewall2 (which HUPs libvirtd, so libvirt's rules
 * are on top). `libvirtdGone`: libvirtd is stopped and SuSEfirewall2 restarted afterwards, so only
 * SuSEfirewall2's rules are left (scenario S4 of firewall-layers.md §1).
 */
function lab(config: string, libvirtdGone: boolean): Lab {
  const later = libvirtdGone ? (['libvirtd-stop', layerEvent('restart', 'layer-reload', 'sfw2', 'later: SuSEfirewall2 restart')] as const) : [];
  const l = scenarioLab({
    mode: 'nat',
    libvirtVersion: '3.3',
    iptablesBackend: 'legacy',
    layers: [sfw2Layer(BASE + config)],
    events: ['libvirtd-start', 'net-start', layerEvent('sfw2', 'layer-start', 'sfw2', 'boot: SuSEfirewall2.service'), ...later],
  });
  l.guests[0].listens = ['tcp/80'];
  return l;
}

/** A TCP SYN as the host's hooks see it. */
function syn(iif: string, src: string, dst: string, dport: number): Packet {
  return { family: 'ipv4', iif, src, dst, proto: 'tcp', sport: 40000, dport, tcpFlags: ['SYN'], ctState: 'NEW', ctStatus: [], pktType: 'unicast', length: 60 };
}

/** G opens a TCP connection to the host's external address. */
function fromGateway(l: Lab, dport: number): EngineResult {
  const world = labWorld(l);
  return runFlow(world, world.nodes.get(GATEWAY_ID)!, { kind: 'request', src: parseIpv4(T0.gatewayAddress), dst: parseIpv4(T0.hostAddress), proto: 'tcp', sport: 40000, dport, direction: 'request' });
}

describe('FW_FORWARD_MASQ in the simulator', () => {
  it('G → host:80 reaches the guest (DNAT, forward_ext accept) and the answer comes back, both steps naming the entry', () => {
    const r = fromGateway(lab(FORWARD_80, true), 80);
    expect(r.failure).toBeNull();
    expect(r.arrived).toMatchObject({ kind: 'answer', src: parseIpv4(T0.hostAddress), sport: 80 });
    const dnat = r.path.find((p) => p.stage === 'prerouting');
    expect(dnat?.rule?.provenance?.reason).toBe('FW_FORWARD_MASQ entry 1: 0/0,192.168.10.50,tcp,80: tcp port 80 arriving on eth1 is forwarded to 192.168.10.50:80');
    expect(r.path.some((p) => p.node.startsWith('V ') && p.stage === 'answer')).toBe(true);
    expect(r.acceptedBy?.text).toBe('-A forward_ext -d 192.168.10.50/32 -p tcp -m tcp --dport 80 -j ACCEPT');
    expect(r.acceptedBy?.provenance).toMatchObject({ layer: 'susefirewall2', reason: 'FW_FORWARD_MASQ entry 1: 0/0,192.168.10.50,tcp,80: the forwarded connection to 192.168.10.50 port 80 may pass', event: 'later: SuSEfirewall2 restart' });
  });

  it('with libvirtd running, libvirt\'s `-o virbr3 -j REJECT` (re-inserted on top by the HUP) refuses the forwarded connection', () => {
    const r = fromGateway(lab(FORWARD_80, false), 80);
    expect(r.arrived).toMatchObject({ kind: 'icmp-error', icmpType: 3, icmpCode: 3 });
    expect(r.failure?.decidedBy).toMatchObject({ rule: '-A FORWARD -o virbr3 -j REJECT --reject-with icmp-port-unreachable', layer: 'libvirt' });
    // The DNAT still happened: the packet was on its way to the guest.
    expect(r.path.find((p) => p.stage === 'prerouting')?.rule?.provenance?.reason).toMatch(/^FW_FORWARD_MASQ entry 1/);
  });

  it('without FW_FORWARD_MASQ the same connection meets the host\'s own input_ext DROP (timeout)', () => {
    const r = fromGateway(lab('', true), 80);
    expect(r.arrived).toBeNull();
    expect(r.failure?.decidedBy).toMatchObject({ rule: '-A input_ext -j DROP', layer: 'susefirewall2' });
  });
});

describe('FW_SERVICES_REJECT_EXT / FW_SERVICES_ACCEPT_EXT in the simulator', () => {
  it('REJECT: G → host:113 gets a TCP reset ("Connection refused") at once, from the rule the entry added', () => {
    const l = lab('FW_SERVICES_REJECT_EXT="0/0,tcp,113"\nFW_SERVICES_EXT_TCP="113"\n', false);
    const r = fromGateway(l, 113);
    expect(r.arrived).toMatchObject({ kind: 'reset', src: parseIpv4(T0.hostAddress), sport: 113 });
    expect(r.failure?.cause).toBe('rule-reject');
    // The trace of the INPUT hook shows the entry's rule jumping to reject_func.
    const host = foldScenario(l);
    const packet = syn(T0.uplink, T0.gatewayAddress, T0.hostAddress, 113);
    const compiled = compileHost(host.state, { context: { interfaces: [{ name: T0.uplink, addresses: [`${T0.hostAddress}/24`] }], brNetfilter: false } });
    const [leaf] = outcomeLeaves(evaluateHook(compiled, 'input', packet, { trace: true }).outcome);
    const matched = leaf.kind === 'final' ? (leaf.trace ?? []).flatMap((t) => (t.kind === 'rule' && t.result === 'match' ? [t.ref.provenance?.reason ?? ''] : [])) : [];
    expect(matched).toContain('FW_SERVICES_REJECT_EXT entry 1: 0/0,tcp,113 → rejected (reject_func)');
    expect(matched).not.toContain('FW_SERVICES_EXT_TCP entry 1: 113');
  });

  it('ACCEPT with a rate limit: G → host:22 is accepted or dropped depending on the recent list, and the simulator says so', () => {
    const host = foldScenario(lab('FW_SERVICES_ACCEPT_EXT="0/0,tcp,22,,hitcount=3,blockseconds=60,recentname=ssh"\n', false));
    const compiled = compileHost(host.state, { context: { interfaces: [{ name: T0.uplink, addresses: [`${T0.hostAddress}/24`] }], brNetfilter: false } });
    const packet = syn(T0.uplink, T0.gatewayAddress, T0.hostAddress, 22);
    const leaves = outcomeLeaves(evaluateHook(compiled, 'input', packet).outcome).flatMap((l) => (l.kind === 'final' ? [l] : []));
    const byVerdict = new Map(leaves.map((l) => [l.verdict.kind, l.decidedBy?.provenance?.reason]));
    expect(byVerdict.get('drop')).toBe('FW_SERVICES_ACCEPT_EXT entry 1: 0/0,tcp,22,,hitcount=3,blockseconds=60,recentname=ssh: rate limit (more than 3 new connections in 60 s per source address → DROP)');
    expect([...byVerdict.keys()]).toContain('accept');
  });
});

describe('FW_REDIRECT in the simulator', () => {
  const REDIRECT = 'FW_REDIRECT="192.168.10.0/24,0/0,tcp,80,3128"\n';

  /** V opens a TCP connection; the host's transparent proxy listens on 3128. */
  function fromGuest(dst: string, dport: number): EngineResult {
    const l = lab(REDIRECT, false);
    l.host.listens = ['tcp/3128'];
    const world = labWorld(l);
    const v = [...world.nodes.values()].find((n) => n.role === 'guest')!;
    return runFlow(world, v, { kind: 'request', src: parseIpv4(GUEST), dst: parseIpv4(dst), proto: 'tcp', sport: 40000, dport, direction: 'request' });
  }

  it('V\'s web request to the internet is marked and redirected to the proxy in PREROUTING, input_ext accepts it because of the mark, and the proxy\'s answer comes back as the web server\'s', () => {
    const r = fromGuest(T0.internetAddress, 80);
    expect(r.failure).toBeNull();
    // The guest sees the answer from the address and port it asked for (REDIRECT undone on the reply).
    expect(r.arrived).toMatchObject({ kind: 'answer', src: parseIpv4(T0.internetAddress), sport: 80 });
    const mark = r.path.find((p) => p.stage === 'mark');
    expect(mark?.detail).toMatch(/^mark 0x1 set by mangle PREROUTING rule \d+ \(.*-j MARK --set-xmark 0x1\/0xffffffff; was 0x0\)$/);
    expect(mark?.rule?.provenance).toMatchObject({ layer: 'susefirewall2' });
    expect(mark?.rule?.provenance?.reason).toMatch(/^FW_REDIRECT/);
    const nat = r.path.find((p) => p.stage === 'prerouting' && p.outcome === 'nat');
    expect(nat?.detail).toContain('redirect');
    const input = r.path.find((p) => p.stage === 'input');
    expect(input?.rule?.text).toBe('-A input_ext -m conntrack --ctstate NEW,RELATED,ESTABLISHED -m mark --mark 0x1 -j ACCEPT');
    expect(input?.rule?.provenance?.reason).toBe('FW_REDIRECT (192.168.10.0/24,0/0,tcp,80,3128): redirected packets (mark 0x1) reach the local port');
    expect(r.path.some((p) => p.stage === 'answer' && p.detail.includes('tcp/3128'))).toBe(true);
  });

  it('the proxy port itself stays closed to V: unmarked, the same packet meets input_ext\'s DROP', () => {
    const r = fromGuest('192.168.10.1', 3128);
    expect(r.arrived).toBeNull();
    expect(r.path.some((p) => p.stage === 'mark')).toBe(false);
    expect(r.failure).toMatchObject({ stage: 'INPUT', cause: 'rule-drop' });
    expect(r.failure?.decidedBy).toMatchObject({ rule: '-A input_ext -j DROP', layer: 'susefirewall2' });
  });
});
