// Probes every matrix cell in the realized namespaces and compares what the
// kernel did with what the simulator predicted.

import type { FlowVerdict } from '../../../shared/simulator/flowTypes.ts';
import type { Matrix } from '../../../shared/simulator/matrix.ts';
import type { NetnsLab } from '../netns/netnsLab.ts';
import { Prober, type Observation, type Probe } from '../netns/probe.ts';
import type { RealizedWorld } from './worldNamespaces.ts';

export interface Mismatch {
  cell: string;
  predicted: string;
  observed: string;
  headline: string;
}

export function predictedText(v: FlowVerdict): string {
  const s = v.symptom;
  if (s.kind === 'icmp-error') return `icmp-error ${s.icmpType}/${s.icmpCode} from ${s.from}`;
  if (s.kind === 'tcp-reset') return `tcp-reset from ${s.from}`;
  return s.kind;
}

export function observedText(o: Observation): string {
  if (o.kind === 'icmp-error' && o.icmp) return `icmp-error ${o.icmp.type}/${o.icmp.code} from ${o.icmp.from}`;
  if (o.kind === 'tcp-reset') return `tcp-reset from ${o.resetFrom}`;
  return o.kind;
}

export function probeOf(service: string, dst: string): Probe {
  if (service === 'icmp') return { service: 'icmp', dst };
  const [proto, port] = service.split('/');
  return { service: proto as 'tcp' | 'udp', dst, port: Number(port) };
}

/** Probes from one namespace (its eth0), all at once. */
export async function probeFrom(lab: NetnsLab, ns: string, probes: Probe[]): Promise<Observation[]> {
  const prober = await Prober.start(lab, ns, 'eth0');
  try {
    return await prober.run(probes);
  } finally {
    await prober.stop();
  }
}

export async function probeMatrix(lab: NetnsLab, realized: RealizedWorld, matrix: Matrix): Promise<{ cells: number; mismatches: Mismatch[] }> {
  const mismatches: Mismatch[] = [];
  let cells = 0;
  await Promise.all(
    matrix.guests.map(async (g) => {
      const mine = matrix.cells.filter((c) => c.guest === g.key && c.verdict.symptom.kind !== 'local-error');
      if (!mine.length) return;
      const prober = await Prober.start(lab, realized.ns.get(g.key)!, 'eth0');
      try {
        const targets = new Map(matrix.targets.map((t) => [t.key, t.address]));
        const observed = await prober.run(mine.map((c) => probeOf(c.service, targets.get(c.target)!)));
        mine.forEach((c, i) => {
          cells++;
          const p = predictedText(c.verdict);
          const o = observedText(observed[i]);
          if (p !== o) mismatches.push({ cell: `${g.label} → ${c.target} ${c.service}`, predicted: p, observed: `${o} (client: ${observed[i].client})`, headline: c.verdict.headline });
        });
      } finally {
        await prober.stop();
      }
    }),
  );
  return { cells, mismatches };
}
