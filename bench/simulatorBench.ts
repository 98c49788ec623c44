// Simulator speed (bench/README.md rows):
// 1. one explained flow through every layer of the sample lab (isolated +
//    SuSEfirewall2: libvirt's rules, SuSEfirewall2's chains, routing, the REJECT's
//    ICMP back) — world built once, as the UI does between edits; target ≤ 50 µs median;
// 2. the sample's whole matrix (16 cells) on a built world, and after an edit
//    (new lab object: fold + compile + world + matrix); target ≤ 16 ms;
// 3. a lab of 20 networks, 60 guests and SuSEfirewall2 + Docker + an own script:
//    the whole matrix.

import { cloneJson } from '../shared/json/cloneJson.ts';
import type { Lab } from '../shared/lab/labModel.ts';
import { SAMPLE_VARIANT_NAMES, sampleProjectVariants } from '../shared/lab/sampleLab.ts';
import { computeMatrix } from '../shared/simulator/matrix.ts';
import { labMatrix, labWorld } from '../shared/simulator/simulateFlow.ts';
import { simulateInWorld } from '../shared/simulator/simulateInWorld.ts';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
function p95(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length * 0.95)];
}

const sample = sampleProjectVariants().find((v) => v.name === SAMPLE_VARIANT_NAMES.isolatedSuSEfirewall2)!.lab;
const world = labWorld(sample);
const guestId = 'guest:guest-kali';
const req = { from: '192.168.10.20', to: '192.168.90.1', service: 'icmp' };
for (let i = 0; i < 2000; i++) simulateInWorld(world, guestId, req);
const flow: number[] = [];
for (let i = 0; i < 20000; i++) {
  const t = performance.now();
  simulateInWorld(world, guestId, req);
  flow.push((performance.now() - t) * 1000);
}
console.log(`explained flow (sample, isolated + SuSEfirewall2, ping to the gateway): median ${median(flow).toFixed(1)} µs, p95 ${p95(flow).toFixed(1)} µs`);

const okReq = { from: '192.168.10.20', to: '203.0.113.10', service: 'tcp/443' };
const natWorld = labWorld(sampleProjectVariants().find((v) => v.name === SAMPLE_VARIANT_NAMES.nat)!.lab);
for (let i = 0; i < 2000; i++) simulateInWorld(natWorld, guestId, okReq);
const okFlow: number[] = [];
for (let i = 0; i < 20000; i++) {
  const t = performance.now();
  simulateInWorld(natWorld, guestId, okReq);
  okFlow.push((performance.now() - t) * 1000);
}
console.log(`explained flow (sample, NAT, TCP 443 to the internet host, both ways through host + gateway): median ${median(okFlow).toFixed(1)} µs, p95 ${p95(okFlow).toFixed(1)} µs`);

const mat: number[] = [];
for (let i = 0; i < 300; i++) {
  const t = performance.now();
  computeMatrix(world, sample.services);
  mat.push(performance.now() - t);
}
console.log(`sample matrix (${computeMatrix(world).cells.length} cells), built world: median ${median(mat).toFixed(2)} ms, p95 ${p95(mat).toFixed(2)} ms`);

const edited: number[] = [];
for (let i = 0; i < 100; i++) {
  const lab: Lab = cloneJson(sample);
  lab.guests[0].listens = i % 2 ? ['tcp/22'] : [];
  const t = performance.now();
  labMatrix(lab);
  edited.push(performance.now() - t);
}
console.log(`sample matrix after an edit (fold + compile + world + matrix): median ${median(edited).toFixed(2)} ms, p95 ${p95(edited).toFixed(2)} ms`);

function bigLab(): Lab {
  const lab = cloneJson(sample);
  const modes = ['', "<forward mode='nat'/>", "<forward mode='route'/>", "<forward mode='open'/>"];
  lab.networks = [];
  lab.guests = [];
  for (let n = 0; n < 20; n++) {
    lab.networks.push({ id: `net${n}`, autostart: true, xml: `<network><name>n${n}</name>${modes[n % 4]}<bridge name='virbr${n + 10}'/><ip address='10.${n}.0.1' netmask='255.255.255.0'><dhcp><range start='10.${n}.0.100' end='10.${n}.0.200'/></dhcp></ip></network>` });
    for (let g = 0; g < 3; g++) lab.guests.push({ id: `g${n}-${g}`, name: `vm${n}-${g}`, networkId: `net${n}`, ...(g === 2 ? {} : { address: `10.${n}.0.${10 + g}` }), listens: ['tcp/22'] });
  }
  lab.gateway.routes = [{ destination: '10.0.0.0/8', via: '192.168.90.10' }];
  lab.layers.push(
    { id: 'docker', kind: 'docker', label: 'Docker', version: '28.5.2', files: { '/etc/docker/daemon.json': '{}\n' }, settings: {} },
    { id: 'fw', kind: 'own-script', label: 'own script', files: { '/usr/local/sbin/fw.sh': 'iptables -A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\niptables -A FORWARD -p tcp --dport 443 -j REJECT --reject-with tcp-reset\n' }, settings: { format: 'sh' } },
  );
  lab.events = [
    { id: 'e1', kind: 'layer-start', layerId: 'layer-susefirewall2', params: { phase: 'init' }, phase: 'boot' },
    { id: 'e2', kind: 'libvirtd-start', phase: 'boot' },
    ...lab.networks.map((n, i) => ({ id: `en${i}`, kind: 'network-start' as const, networkId: n.id, phase: 'boot' as const })),
    { id: 'e3', kind: 'layer-start', layerId: 'layer-susefirewall2', phase: 'boot' },
    { id: 'e4', kind: 'layer-start', layerId: 'docker', phase: 'boot' },
    { id: 'e5', kind: 'layer-start', layerId: 'fw', phase: 'boot' },
  ];
  return lab;
}

const big = bigLab();
let t = performance.now();
const bigWorld = labWorld(big);
const buildMs = performance.now() - t;
t = performance.now();
const m = computeMatrix(bigWorld, big.services);
const matrixMs = performance.now() - t;
t = performance.now();
computeMatrix(bigWorld, big.services);
const again = performance.now() - t;
const perCell = (again * 1000) / m.cells.length;
console.log(`big lab (20 networks, 60 guests, SuSEfirewall2 + Docker + own script): world ${buildMs.toFixed(0)} ms; matrix ${m.cells.length} cells ${matrixMs.toFixed(0)} ms first, ${again.toFixed(0)} ms again (${perCell.toFixed(1)} µs/cell); ${m.cells.filter((c) => c.verdict.cause === 'ok').length} ok`);
