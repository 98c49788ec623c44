// The reachability matrix of a variant — the simulator's own (shared/simulator
// matrix.ts), computed in the lab worker with progress and cancel (a lab of 60
// guests has tens of thousands of cells). The sample's takes a few ms, so it
// follows every edit.

import type { VariantDoc } from '../../../shared/api/contract.ts';
import { labRef, type LabWorkerClient, type RunningJob } from './labWorkerClient.ts';
import type { Matrix, MatrixCell } from './verdictView.ts';

export interface MatrixResult {
  stamp: string;
  matrix: Matrix;
  cells: ReadonlyMap<string, MatrixCell>;
}

export const cellKey = (guest: string, target: string, service: string) => `${guest}|${target}|${service}`;

export function indexCells(matrix: Matrix): ReadonlyMap<string, MatrixCell> {
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- built once, published as a whole
  const cells = new Map<string, MatrixCell>();
  for (const c of matrix.cells) cells.set(cellKey(c.guest, c.target, c.service), c);
  return cells;
}

export class MatrixRun {
  status = $state<'idle' | 'running' | 'done' | 'cancelled' | 'failed'>('idle');
  progress = $state({ done: 0, total: 0 });
  result = $state.raw<MatrixResult | null>(null);
  error = $state<string | null>(null);
  private job: RunningJob<Matrix> | null = null;

  constructor(private readonly client: LabWorkerClient | null) {}

  private jobStamp: string | null = null;

  /** Computes the matrix of this revision unless it is known or being computed already. */
  start(doc: Pick<VariantDoc, 'id' | 'revision' | 'lab'>): void {
    const stamp = `${doc.id}@${doc.revision}`;
    if ((this.job && this.jobStamp === stamp) || (!this.job && this.status === 'done' && this.result?.stamp === stamp)) return;
    this.job?.cancel();
    if (!this.client) return;
    const ref = labRef(doc);
    this.jobStamp = stamp;
    this.status = 'running';
    this.progress = { done: 0, total: 0 };
    const job = this.client.run({ kind: 'matrix', lab: ref }, (done, total) => (this.progress = { done, total }));
    this.job = job;
    job.promise.then(
      (matrix) => {
        if (this.job !== job) return;
        this.job = null;
        if (!matrix) return;
        this.result = { stamp: ref.stamp, matrix, cells: indexCells(matrix) };
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
