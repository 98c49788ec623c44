// Evaluator speed on the 10k-rule realistic iptables-save (bench/gen, seed 1):
//  - compile time of the host;
//  - verdict-only throughput (hookVerdict) on a realistic packet mix, reported
//    with what the packets are and how many rules they visit on average;
//  - the worst-case traced packet (evaluateHook with trace) — the packet of the
//    mix that visits the most rules.
// Run: node bench/netfilter-eval.bench.mjs

import { generateFirewallSave } from './gen/firewallGenerator.ts';
import { seededRandom } from './gen/seededRandom.ts';
import { parseIptablesSave } from '../shared/netfilter/iptables/parseIptablesSave.ts';
import { compileHost } from '../shared/netfilter/eval/compileHost.ts';
import { compilePacket, type CompiledPacket } from '../shared/netfilter/eval/compiledPacket.ts';
import { evaluateHook, hookVerdict, R_ACCEPT, R_DROP, R_NEED, R_REJECT } from '../shared/netfilter/eval/evaluateHook.ts';
import { outcomeLeaves } from '../shared/netfilter/eval/hookResult.ts';
import type { Hook, Packet } from '../shared/netfilter/eval/packet.ts';

const text = generateFirewallSave({ rules: 10_000, seed: 1 });
const ruleset = parseIptablesSave(text).ruleset;
const ruleCount = ruleset.tables.reduce((n, t) => n + t.chains.reduce((m, c) => m + c.rules.length, 0), 0);
const zones = ruleset.tables.find((t) => t.name === 'filter')!.chains.filter((c) => c.name.startsWith('forward_')).length;

const context = {
  interfaces: [
    ...Array.from({ length: zones + 1 }, (_, z) => ({ name: `eth${z}`, addresses: [`10.${z}.0.1/16`] })),
    ...Array.from({ length: 20 }, (_, n) => ({ name: `virbr${n}`, addresses: [`192.168.${100 + n}.1/24`] })),
  ],
};

const t0 = performance.now();
const host = compileHost([ruleset], { context });
const compileMs = performance.now() - t0;

// ---------------------------------------------------------------- the packet mix
const SERVICES = [22, 53, 80, 443, 25, 3306, 8080, 5432, 631, 9100];
interface Sample { kind: string; hook: Hook; packet: Packet }
function packetMix(seed: number): Sample[] {
const r = seededRandom(seed);
const samples: Sample[] = [];
const ip = (z: number): string => `10.${z}.${r.int(0, 255)}.${r.int(1, 254)}`;
for (let i = 0; i < 10_000; i++) {
  const x = r.int(0, 99);
  const zi = r.int(0, zones - 1);
  const zo = r.int(0, zones - 1);
  const proto = r.pick(['tcp', 'tcp', 'tcp', 'udp', 'icmp'] as const);
  const ports = proto === 'icmp' ? { icmpType: 8 } : { sport: r.int(32768, 60999), dport: proto === 'udp' ? r.pick([53, 123, 161]) : r.pick(SERVICES) };
  if (x < 45) samples.push({ kind: 'forward NEW between zones', hook: 'forward', packet: { family: 'ipv4', iif: `eth${zi}`, oif: `eth${zo}`, src: ip(zi), dst: ip(zo), proto, ctState: 'NEW', pktType: 'unicast', ...ports } });
  else if (x < 65) samples.push({ kind: 'forward ESTABLISHED between zones', hook: 'forward', packet: { family: 'ipv4', iif: `eth${zi}`, oif: `eth${zo}`, src: ip(zi), dst: ip(zo), proto, ctState: 'ESTABLISHED', pktType: 'unicast', ...ports } });
  else if (x < 80) samples.push({ kind: 'input NEW to the host', hook: 'input', packet: { family: 'ipv4', iif: `eth${zi}`, src: ip(zi), dst: `10.${zi}.0.1`, proto, ctState: 'NEW', pktType: 'unicast', ...ports } });
  else if (x < 92) {
    const n = r.int(0, 19);
    samples.push({ kind: 'libvirt guest → outside', hook: 'forward', packet: { family: 'ipv4', iif: `virbr${n}`, oif: 'eth0', src: `192.168.${100 + n}.${r.int(2, 254)}`, dst: `203.0.113.${r.int(1, 254)}`, proto, ctState: 'NEW', pktType: 'unicast', ...ports } });
  } else samples.push({ kind: 'forward from an unlisted interface', hook: 'forward', packet: { family: 'ipv4', iif: 'eth99', oif: `eth${zo}`, src: '198.51.100.7', dst: ip(zo), proto, ctState: 'NEW', pktType: 'unicast', ...ports } });
}
return samples;
}
const samples = packetMix(7);
const compiled: { hook: Hook; p: CompiledPacket }[] = samples.map((s) => ({ hook: s.hook, p: compilePacket(host, s.packet) }));

// Rules visited per packet and the verdict mix (from traces of every packet).
const kinds = new Map<string, number>();
for (const s of samples) kinds.set(s.kind, (kinds.get(s.kind) ?? 0) + 1);
let visitedTotal = 0;
let worst = { visited: 0, sample: samples[0] };
const verdicts = { accept: 0, drop: 0, reject: 0, conditional: 0, other: 0 };
for (const s of samples) {
  const res = evaluateHook(host, s.hook, s.packet, { trace: true });
  const leaves = outcomeLeaves(res.outcome);
  const first = leaves[0];
  const visited = first.kind === 'final' ? first.trace!.filter((e) => e.kind === 'rule').length : 0;
  visitedTotal += visited;
  if (visited > worst.visited) worst = { visited, sample: s };
  if (res.outcome.kind === 'conditional') verdicts.conditional++;
  else if (first.kind === 'final') {
    const k = first.verdict.kind;
    if (k === 'accept' || k === 'drop' || k === 'reject') verdicts[k]++;
    else verdicts.other++;
  }
}
// Fresh packets (another seed), each traced once, after the pass above warmed the code up.
const fresh = packetMix(8);
const traceStart = process.cpuUsage();
const freshTimes: number[] = [];
for (const s of fresh) {
  const a = performance.now();
  evaluateHook(host, s.hook, s.packet, { trace: true });
  freshTimes.push((performance.now() - a) * 1000);
}
const traceCpu = process.cpuUsage(traceStart);
const tracedMeanUs = (traceCpu.user + traceCpu.system) / fresh.length;
freshTimes.sort((a, b) => a - b);

// ---------------------------------------------------------------- verdict-only throughput
let sink = 0;
for (let round = 0; round < 20; round++) for (const c of compiled) sink += hookVerdict(host, c.hook, c.p); // warm up
// CPU time (process.cpuUsage), not wall time: the reference machine is shared, and a preempted round
// would otherwise count someone else's work.
const rounds: number[] = [];
for (let round = 0; round < 30; round++) {
  const c0 = process.cpuUsage();
  for (const c of compiled) sink += hookVerdict(host, c.hook, c.p);
  const c1 = process.cpuUsage(c0);
  rounds.push(compiled.length / ((c1.user + c1.system) / 1e6));
}
rounds.sort((a, b) => a - b);
const pps = rounds[Math.floor(rounds.length / 2)];

// ---------------------------------------------------------------- worst-case traced packet
const times: number[] = [];
for (let i = 0; i < 300; i++) evaluateHook(host, worst.sample.hook, worst.sample.packet, { trace: true });
// 100 evaluations per sample, CPU time (see above).
for (let i = 0; i < 100; i++) {
  const c0 = process.cpuUsage();
  for (let k = 0; k < 100; k++) evaluateHook(host, worst.sample.hook, worst.sample.packet, { trace: true });
  const c1 = process.cpuUsage(c0);
  times.push((c1.user + c1.system) / 1000 / 100);
}
times.sort((a, b) => a - b);
const wc = compilePacket(host, worst.sample.packet);
const vt: number[] = [];
for (let i = 0; i < 100; i++) {
  const c0 = process.cpuUsage();
  for (let k = 0; k < 1000; k++) sink += hookVerdict(host, worst.sample.hook, wc);
  const c1 = process.cpuUsage(c0);
  vt.push((c1.user + c1.system) / 1000 / 1000);
}
vt.sort((a, b) => a - b);

const us = (ms: number): string => `${(ms * 1000).toFixed(1)} µs`;
console.log(`ruleset: ${ruleCount} rules (bench/gen seed 1), ${zones} zones; compile ${compileMs.toFixed(1)} ms`);
console.log(`packet mix (${samples.length}): ${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}`);
console.log(`traced, 10k fresh packets of the same mix once each (includes compilePacket): mean ${tracedMeanUs.toFixed(1)} µs (CPU), median ${freshTimes[5000].toFixed(1)} µs, p99 ${freshTimes[9900].toFixed(1)} µs (wall)`);
console.log(`verdicts: ${Object.entries(verdicts).map(([k, n]) => `${k} ${n}`).join(', ')}; rules visited per packet: mean ${(visitedTotal / samples.length).toFixed(0)}, max ${worst.visited}`);
console.log(`verdict-only (hookVerdict): ${(pps / 1e6).toFixed(2)} M packets/s (CPU time, median of 30 rounds over the mix; min ${(rounds[0] / 1e6).toFixed(2)} M)`);
console.log(`worst-case packet (${worst.sample.kind}, ${worst.visited} rules visited): traced ${us(times[times.length >> 1])} median, p95 ${us(times[Math.floor(times.length * 0.95)])}; verdict-only ${us(vt[vt.length >> 1])}`);
if (sink === -1) console.log(R_ACCEPT, R_DROP, R_REJECT, R_NEED);
