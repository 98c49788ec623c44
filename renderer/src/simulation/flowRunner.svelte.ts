// One explained flow for the simulation view: runs in the lab worker with the
// rules visited per hook and its proven fixes; a new request cancels the one
// still running.

import type { VariantDoc } from '../../../shared/api/contract.ts';
import { labRef, type LabWorkerClient, type RunningJob } from './labWorkerClient.ts';
import type { StepTrace } from './tracedFlow.ts';
import type { FlowRequest, FlowVerdict, ProvenFix } from './verdictView.ts';
import type { JobResults } from './workerProtocol.ts';

export class FlowRunner {
  status = $state<'idle' | 'running' | 'done' | 'failed'>('idle');
  verdict = $state.raw<FlowVerdict | null>(null);
  traces = $state.raw<StepTrace[]>([]);
  fixes = $state.raw<ProvenFix[]>([]);
  error = $state<string | null>(null);
  private job: RunningJob<JobResults['explain']> | null = null;

  constructor(private readonly client: LabWorkerClient | null) {}

  async run(doc: Pick<VariantDoc, 'id' | 'revision' | 'lab'>, request: FlowRequest): Promise<void> {
    this.job?.cancel();
    if (!this.client) return;
    this.status = 'running';
    this.error = null;
    const job = this.client.run({ kind: 'explain', lab: labRef(doc), flow: request });
    this.job = job;
    try {
      const outcome = await job.promise;
      if (!outcome || this.job !== job) return;
      if (outcome.ok) {
        this.verdict = outcome.verdict;
        this.traces = outcome.traces;
        this.fixes = outcome.fixes;
        this.status = 'done';
      } else {
        this.verdict = null;
        this.traces = [];
        this.fixes = [];
        this.error = outcome.error;
        this.status = 'failed';
      }
    } catch (err) {
      this.status = 'failed';
      this.error = (err as Error).message;
    }
  }

  clear(): void {
    this.job?.cancel();
    this.verdict = null;
    this.traces = [];
    this.fixes = [];
    this.status = 'idle';
  }
}
