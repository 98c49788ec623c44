// The reachability matrix of a variant, computed in the lab worker with
// progress and cancel (a lab of 60 guests asks thousands of flows).

import type { Lab } from '../../../shared/lab/labModel.ts';
import type { NetworkInfo } from '../state/networkAnalysis.ts';
import { matrixFlows, matrixServices, matrixTargets, type FlowTarget, type MatrixFlow } from './labFlows.ts';
import { simulatorAvailable } from './labEngine.ts';
import type { LabWorkerClient, RunningJob } from './labWorkerClient.ts';
import type { FlowOutcome } from './workerProtocol.ts';

export interface MatrixResult {
  stamp: string;
  targets: FlowTarget[];
  services: string[];
  cells: Map<string, { flow: MatrixFlow; outcome: FlowOutcome }>;
}

export const cellKey = (guestId: string, targetKey: string, service: string) => `${guestId}|${targetKey}|${service}`;

export class MatrixRun {
  status = $state<'unavailable' | 'idle' | 'running' | 'done' | 'cancelled' | 'failed'>(simulatorAvailable ? 'idle' : 'unavailable');
  progress = $state({ done: 0, total: 0 });
  result = $state.raw<MatrixResult | null>(null);
  error = $state<string | null>(null);
  private job: RunningJob | null = null;

  constructor(private readonly client: LabWorkerClient | null) {}

  start(stamp: string, lab: Lab, networks: readonly NetworkInfo[]): void {
    this.job?.cancel();
    if (!this.client || !simulatorAvailable) {
      this.status = 'unavailable';
      return;
    }
    const flows = matrixFlows(lab, networks);
    const targets = matrixTargets(lab, networks);
    const services = matrixServices(lab);
    this.status = 'running';
    this.progress = { done: 0, total: flows.length };
    const job = this.client.run({ lab, flows }, (done, total) => (this.progress = { done, total }));
    this.job = job;
    job.promise.then(
      (outcomes) => {
        if (this.job !== job) return;
        this.job = null;
        if (!outcomes) return;
        // eslint-disable-next-line svelte/prefer-svelte-reactivity -- built once, published as a whole
        const cells = new Map<string, { flow: MatrixFlow; outcome: FlowOutcome }>();
        outcomes.forEach((outcome, i) => cells.set(cellKey(flows[i].guestId, flows[i].targetKey, flows[i].service), { flow: flows[i], outcome }));
        this.result = { stamp, targets, services, cells };
        this.status = 'done';
      },
      (err: Error) => {
        this.status = 'failed';
        this.error = err.message;
      },
    );
  }

  cancel(): void {
    this.job?.cancel();
    this.job = null;
    if (this.status === 'running') this.status = 'cancelled';
  }
}
