// The UI side of the lab worker: one worker for the app's lifetime, jobs with
// ids, progress callbacks and cancel. A cancelled job's promise resolves to
// null, so callers never see a stale result.

import type { VariantDoc } from '../../../shared/api/contract.ts';
import type { Lab, Layer } from '../../../shared/lab/labModel.ts';
import type { ConfigProblem } from '../../../shared/layers/layerActions.ts';
import type { JobKind, JobResults, LabRef, WorkerJob, WorkerReply, WorkerRequest } from './workerProtocol.ts';

export interface WorkerLike {
  postMessage(message: WorkerRequest): void;
  onmessage: ((event: MessageEvent<WorkerReply>) => void) | null;
}

export interface RunningJob<T> {
  promise: Promise<T | null>;
  cancel(): void;
}

interface Pending {
  resolve(result: unknown): void;
  reject(err: Error): void;
  onProgress?: (done: number, total: number) => void;
}

export function createLabWorker(): WorkerLike {
  return new Worker(new URL('./labWorker.ts', import.meta.url), { type: 'module', name: 'virtwall-lab' }) as unknown as WorkerLike;
}

/** A variant's lab as the worker gets it: stamped with its revision; $state proxies unwrapped. */
export function labRef(doc: Pick<VariantDoc, 'id' | 'revision' | 'lab'>): LabRef {
  return { stamp: `${doc.id}@${doc.revision}`, lab: JSON.parse(JSON.stringify(doc.lab)) };
}

export class LabWorkerClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly worker: WorkerLike) {
    worker.onmessage = (event) => this.receive(event.data);
  }

  run<K extends JobKind>(job: Extract<WorkerJob, { kind: K }>, onProgress?: (done: number, total: number) => void): RunningJob<JobResults[K]> {
    const id = this.nextId++;
    const promise = new Promise<JobResults[K] | null>((resolve, reject) => this.pending.set(id, { resolve: (v) => resolve(v as JobResults[K] | null), reject, onProgress }));
    this.worker.postMessage({ type: 'run', id, job });
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
    const job = this.run({ kind: 'layerProblems', lab: { stamp: '', lab: JSON.parse(JSON.stringify(lab)) }, layer: JSON.parse(JSON.stringify(layer)) });
    return job.promise.then((problems) => problems ?? []);
  }

  private receive(reply: WorkerReply): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    if (reply.type === 'progress') {
      p.onProgress?.(reply.done, reply.total);
      return;
    }
    this.pending.delete(reply.id);
    if (reply.type === 'result') p.resolve(reply.result);
    else if (reply.type === 'cancelled') p.resolve(null);
    else p.reject(new Error(reply.message));
  }
}
