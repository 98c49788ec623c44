// The lab worker: runs the simulator, the timeline fold and file checks
// (shared/ code) off the UI thread. A cancel marks the job's id; the running
// job stops at its next slice boundary. Labs are kept by stamp
// (variantId@revision) so every job on one revision reuses the same lab object
// — and with it the simulator's cached world (fold + compiled filter).

import { JobCancelled, runLabJob } from './labJobs.ts';
import type { LabRef, WorkerJob, WorkerReply, WorkerRequest } from './workerProtocol.ts';

const KEEP_LABS = 8;
const cancelled = new Set<number>();
const labs = new Map<string, LabRef['lab']>();
const post = (reply: WorkerReply) => (self as unknown as { postMessage(m: WorkerReply): void }).postMessage(reply);

function shared(ref: LabRef): LabRef {
  if (!ref.stamp) return ref; // an unstamped lab (a file check) is used once
  const known = labs.get(ref.stamp);
  if (known) return { stamp: ref.stamp, lab: known };
  labs.set(ref.stamp, ref.lab);
  if (labs.size > KEEP_LABS) labs.delete(labs.keys().next().value!);
  return ref;
}

function withSharedLabs(job: WorkerJob): WorkerJob {
  return job.kind === 'compare' ? { ...job, a: shared(job.a), b: shared(job.b) } : { ...job, lab: shared(job.lab) };
}

self.onmessage = async (event: MessageEvent<WorkerRequest>) => {
  const message = event.data;
  if (message.type === 'cancel') {
    cancelled.add(message.id);
    return;
  }
  const { id } = message;
  try {
    const result = await runLabJob(withSharedLabs(message.job), {
      cancelled: () => cancelled.has(id),
      progress: (done: number, total: number) => post({ type: 'progress', id, done, total }),
    });
    post({ type: 'result', id, result });
  } catch (err) {
    post(err instanceof JobCancelled ? { type: 'cancelled', id } : { type: 'failed', id, message: (err as Error).message });
  } finally {
    cancelled.delete(id);
  }
};
