// The verdicts the topology colours its links with: for each guest, a ping to
// the gateway and to the internet host, recomputed in the lab worker whenever
// the variant changes (a newer change cancels the older run).

import type { VariantDoc } from '../../../shared/api/contract.ts';
import { topologyFlows } from './labFlows.ts';
import { labRef, type LabWorkerClient, type RunningJob } from './labWorkerClient.ts';
import type { FlowOutcome, JobResults } from './workerProtocol.ts';

export type VerdictStatus = 'idle' | 'running' | 'done' | 'failed';

export function flowKey(guestId: string, to: string, service: string): string {
  return `${guestId}|${to}|${service}`;
}

export class TopologyVerdicts {
  status = $state<VerdictStatus>('idle');
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- never mutated: replaced as a whole ($state.raw)
  outcomes = $state.raw<ReadonlyMap<string, FlowOutcome>>(new Map());
  /** Revision of the variant the outcomes belong to. */
  forRevision = $state<string | null>(null);
  error = $state<string | null>(null);
  private job: RunningJob<JobResults['flows']> | null = null;

  constructor(private readonly client: LabWorkerClient | null) {}

  update(doc: VariantDoc | null): void {
    this.job?.cancel();
    this.job = null;
    if (!doc || !this.client) return;
    const flows = topologyFlows(doc.lab);
    const ref = labRef(doc);
    this.status = 'running';
    const job = this.client.run({ kind: 'flows', lab: ref, flows });
    this.job = job;
    job.promise.then(
      (outcomes) => {
        if (!outcomes || this.job !== job) return;
        // eslint-disable-next-line svelte/prefer-svelte-reactivity -- built here, then published as a whole through $state.raw
        const map = new Map<string, FlowOutcome>();
        outcomes.forEach((o, i) => map.set(flowKey(flows[i].from, flows[i].to, flows[i].service), o));
        this.outcomes = map;
        this.forRevision = ref.stamp;
        this.status = 'done';
        this.job = null;
      },
      (err: Error) => {
        this.status = 'failed';
        this.error = err.message;
      },
    );
  }

  outcome(guestId: string, to: string, service = 'icmp'): FlowOutcome | undefined {
    return this.outcomes.get(flowKey(guestId, to, service));
  }
}
