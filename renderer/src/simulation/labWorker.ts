// The lab worker: runs simulations (shared/ code) off the UI thread. One job at
// a time per id; a cancel marks the id and the running job stops at its next
// slice boundary.

import { layerProblems } from '../../../shared/layers/layerProblems.ts';
import { runFlowJob } from './runFlowJob.ts';
import type { WorkerReply, WorkerRequest } from './workerProtocol.ts';

const cancelled = new Set<number>();
const post = (reply: WorkerReply) => (self as unknown as { postMessage(m: WorkerReply): void }).postMessage(reply);

self.onmessage = async (event: MessageEvent<WorkerRequest>) => {
  const message = event.data;
  if (message.type === 'cancel') {
    cancelled.add(message.id);
    return;
  }
  const { id } = message;
  if (message.type === 'layerProblems') {
    // Parsing a 10k-rule dump takes tens of milliseconds: here, not on the UI thread.
    try {
      post({ type: 'problems', id, problems: layerProblems(message.layer, message.lab) });
    } catch (err) {
      post({ type: 'failed', id, message: (err as Error).message });
    }
    return;
  }
  try {
    const outcomes = await runFlowJob(message, {
      cancelled: () => cancelled.has(id),
      progress: (done, total) => post({ type: 'progress', id, done, total }),
    });
    post(outcomes ? { type: 'result', id, outcomes } : { type: 'cancelled', id });
  } catch (err) {
    post({ type: 'failed', id, message: (err as Error).message });
  } finally {
    cancelled.delete(id);
  }
};
