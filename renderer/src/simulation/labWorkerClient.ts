// The UI side of the lab worker: one worker for the app's lifetime, jobs with
// ids, progress callbacks and cancel. A cancelled job's promise resolves to
// null, so callers never see a stale result.

import type { Lab, Layer } from '../../../shared/lab/labModel.ts';
import type { ConfigProblem } from '../../../shared/layers/layerActions.ts';
import type { FlowJob, FlowOutcome, WorkerReply, WorkerRequest } from './workerProtocol.ts';

export interface WorkerLike {
  postMessage(message: WorkerRequest): void;
  onmessage: ((event: MessageEvent<WorkerReply>) => void) | null;
}

export interface RunningJob {
  promise: Promise<FlowOutcome[] | null>;
  cancel(): void;
}

interface Pending {
  resolve(outcomes: FlowOutcome[] | ConfigProblem[] | null): void;
  reject(err: Error): void;
  onProgress?: (done: number, total: number) => void;
}

export function createLabWorker(): WorkerLike {
  return new Worker(new URL('./labWorker.ts', import.meta.url), { type: 'module', name: 'virtwall-lab' }) as unknown as WorkerLike;
}

export class LabWorkerClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly worker: WorkerLike) {
    worker.onmessage = (event) => this.receive(event.data);
  }

  run(job: FlowJob, onProgress?: (done: number, total: number) => void): RunningJob {
    const id = this.nextId++;
    const promise = new Promise<FlowOutcome[] | null>((resolve, reject) => this.pending.set(id, { resolve: (v) => resolve(v as FlowOutcome[] | null), reject, onProgress }));
    // The lab crosses as a structured clone: $state proxies are unwrapped first.
    this.worker.postMessage({ type: 'run', id, lab: JSON.parse(JSON.stringify(job.lab)), flows: job.flows, fixesFor: job.fixesFor });
    return {
      promise,
      cancel: () => {
        const p = this.pending.get(id);
        if (!p) return;
        this.pending.delete(id);
        this.worker.postMessage({ type: 'cancel', id });
        p.resolve(null);
      },
    };
  }

  /** The positioned problems of a layer's config files, computed in the worker. */
  layerProblems(layer: Layer, lab: Lab): Promise<ConfigProblem[]> {
    const id = this.nextId++;
    const promise = new Promise<ConfigProblem[]>((resolve, reject) => this.pending.set(id, { resolve: (v) => resolve((v ?? []) as ConfigProblem[]), reject }));
    this.worker.postMessage({ type: 'layerProblems', id, layer: JSON.parse(JSON.stringify(layer)), lab: JSON.parse(JSON.stringify(lab)) });
    return promise;
  }

  private receive(reply: WorkerReply): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    if (reply.type === 'progress') {
      p.onProgress?.(reply.done, reply.total);
      return;
    }
    this.pending.delete(reply.id);
    if (reply.type === 'result') p.resolve(reply.outcomes);
    else if (reply.type === 'problems') p.resolve(reply.problems);
    else if (reply.type === 'cancelled') p.resolve(null);
    else p.reject(new Error(reply.message));
  }
}
