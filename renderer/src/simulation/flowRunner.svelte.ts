// One explained flow for the simulation view: runs in the lab worker with its
// proven fixes; a new request cancels the one still running.

import type { Lab } from '../../../shared/lab/labModel.ts';
import { simulatorAvailable } from './labEngine.ts';
import type { LabWorkerClient, RunningJob } from './labWorkerClient.ts';
import type { FixView, FlowRequestView, FlowVerdictView } from './verdictView.ts';

export class FlowRunner {
  status = $state<'unavailable' | 'idle' | 'running' | 'done' | 'failed'>(simulatorAvailable ? 'idle' : 'unavailable');
  verdict = $state.raw<FlowVerdictView | null>(null);
  fixes = $state.raw<FixView[]>([]);
  error = $state<string | null>(null);
  private job: RunningJob | null = null;

  constructor(private readonly client: LabWorkerClient | null) {}

  async run(lab: Lab, request: FlowRequestView): Promise<void> {
    this.job?.cancel();
    if (!this.client || !simulatorAvailable) {
      this.status = 'unavailable';
      return;
    }
    this.status = 'running';
    this.error = null;
    const job = this.client.run({ lab, flows: [request], fixesFor: [0] });
    this.job = job;
    try {
      const outcomes = await job.promise;
      if (!outcomes || this.job !== job) return;
      const [outcome] = outcomes;
      if (outcome.ok) {
        this.verdict = outcome.verdict;
        this.fixes = outcome.fixes ?? [];
        this.status = 'done';
      } else {
        this.verdict = null;
        this.fixes = [];
        this.error = outcome.error;
        this.status = outcome.unavailable ? 'unavailable' : 'failed';
      }
    } catch (err) {
      this.status = 'failed';
      this.error = (err as Error).message;
    }
  }

  clear(): void {
    this.job?.cancel();
    this.verdict = null;
    this.fixes = [];
    if (this.status !== 'unavailable') this.status = 'idle';
  }
}
