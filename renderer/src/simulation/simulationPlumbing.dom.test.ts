// The lab worker's plumbing without a browser Worker: job slicing with progress
// and cancel, the client's id bookkeeping, the flows the screens ask for, and
// the topology graph's link colours.
import { describe, expect, it } from 'vitest';
import { sampleProjectVariants } from '../../../shared/lab/sampleLab.ts';
import { analyseNetworks } from '../state/networkAnalysis.ts';
import { topologyGraph } from '../components/topology/topologyGraph.ts';
import { matrixFlows, matrixTargets, topologyFlows } from './labFlows.ts';
import { simulatorAvailable } from './labEngine.ts';
import { LabWorkerClient, type WorkerLike } from './labWorkerClient.ts';
import { runFlowJob } from './runFlowJob.ts';
import type { WorkerReply, WorkerRequest } from './workerProtocol.ts';
import type { FlowVerdictView } from './verdictView.ts';

const lab = sampleProjectVariants()[0].lab;

describe('flows the screens ask for', () => {
  it('topology: each guest pings the gateway and the internet host', () => {
    expect(topologyFlows(lab)).toEqual([
      { from: 'guest-kali', to: '192.168.90.1', service: 'icmp' },
      { from: 'guest-kali', to: '203.0.113.10', service: 'icmp' },
    ]);
  });

  it('matrix: guest × {gateway, internet, host, bridge address, other guests} × the four default services', () => {
    const targets = matrixTargets(lab, analyseNetworks(lab));
    expect(targets.map((t) => t.address)).toEqual(['192.168.90.1', '203.0.113.10', '192.168.90.10', '192.168.10.1', '192.168.10.20']);
    // kali is not its own destination: 4 targets × 4 services.
    expect(matrixFlows(lab, analyseNetworks(lab))).toHaveLength(16);
  });
});

describe('runFlowJob', () => {
  it('reports every flow as unavailable while the simulator is not part of the build (never a guess)', async () => {
    expect(simulatorAvailable).toBe(false);
    const progress: number[] = [];
    const outcomes = await runFlowJob({ lab, flows: topologyFlows(lab) }, { cancelled: () => false, progress: (d) => progress.push(d) });
    expect(outcomes).toEqual([
      { ok: false, error: 'the reachability simulator is not part of this build yet', unavailable: true },
      { ok: false, error: 'the reachability simulator is not part of this build yet', unavailable: true },
    ]);
    expect(progress.at(-1)).toBe(2);
  });
});

describe('LabWorkerClient', () => {
  function fakeWorker() {
    const sent: WorkerRequest[] = [];
    const worker: WorkerLike & { reply(r: WorkerReply): void } = {
      onmessage: null,
      postMessage: (m) => sent.push(m),
      reply: (r) => worker.onmessage?.({ data: r } as MessageEvent<WorkerReply>),
    };
    return { worker, sent };
  }

  it('routes progress and results by job id; a cancelled job resolves to null and tells the worker', async () => {
    const { worker, sent } = fakeWorker();
    const client = new LabWorkerClient(worker);
    const seen: number[] = [];
    const a = client.run({ lab, flows: [] }, (done) => seen.push(done));
    const b = client.run({ lab, flows: [] });
    worker.reply({ type: 'progress', id: 1, done: 5, total: 9 });
    worker.reply({ type: 'result', id: 1, outcomes: [] });
    expect(await a.promise).toEqual([]);
    expect(seen).toEqual([5]);
    b.cancel();
    expect(await b.promise).toBeNull();
    expect(sent.at(-1)).toEqual({ type: 'cancel', id: 2 });
    worker.reply({ type: 'result', id: 2, outcomes: [] }); // late: ignored
  });
});

describe('topologyGraph', () => {
  const networks = analyseNetworks(lab);
  const verdict = (cause: string): FlowVerdictView => ({ request: { from: '', to: '', service: 'icmp' }, guestSees: '', cause, decidedBy: null, hop: null, path: [], assumptions: [], headline: '', conditions: [], notes: [] });

  it('lays out guest → bridge → host → gateway → internet', () => {
    const { nodes, edges } = topologyGraph(lab, networks, () => undefined, null);
    expect(nodes.map((n) => n.id)).toEqual(['guest:guest-kali', 'net:net-deb', 'host', 'gateway', 'internet']);
    expect(edges.map((e) => `${e.source}>${e.target}`)).toEqual(['guest:guest-kali>net:net-deb', 'net:net-deb>host', 'host>gateway', 'gateway>internet']);
    expect(edges.every((e) => e.class === 'tone-unknown')).toBe(true);
  });

  it('colours links by the verdicts: red where the guest is refused, green where it gets through', () => {
    const lookup = (_g: string, to: string) => ({ ok: true as const, verdict: verdict(to === '192.168.90.1' ? 'rule-reject' : 'ok') });
    const { edges } = topologyGraph(lab, networks, lookup, null);
    expect(Object.fromEntries(edges.map((e) => [e.id, e.class]))).toEqual({ 'e:guest:guest-kali': 'tone-bad', 'e:net:net-deb': 'tone-bad', 'e:uplink': 'tone-bad', 'e:internet': 'tone-ok' });
  });
});
