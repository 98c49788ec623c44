// One job of the lab worker: simulate each flow, yielding to the event loop
// every few milliseconds so a cancel message gets through and progress can be
// reported. Pure apart from the timer; the worker and the tests both call it.

import { simulateFlow, SimulatorUnavailableError, suggestFixes } from './labEngine.ts';
import type { FlowJob, FlowOutcome } from './workerProtocol.ts';

export interface JobControl {
  cancelled(): boolean;
  progress(done: number, total: number): void;
}

const SLICE_MS = 12;
const yieldToEvents = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Null when cancelled. */
export async function runFlowJob(job: FlowJob, control: JobControl): Promise<FlowOutcome[] | null> {
  const outcomes: FlowOutcome[] = [];
  const wantFixes = new Set(job.fixesFor ?? []);
  let sliceStart = Date.now();
  for (let i = 0; i < job.flows.length; i++) {
    if (Date.now() - sliceStart > SLICE_MS) {
      control.progress(i, job.flows.length);
      await yieldToEvents();
      if (control.cancelled()) return null;
      sliceStart = Date.now();
    }
    try {
      const verdict = simulateFlow(job.lab, job.flows[i]);
      const fixes = wantFixes.has(i) && verdict.cause !== 'ok' ? suggestFixes(job.lab, job.flows[i]) : undefined;
      outcomes.push({ ok: true, verdict, ...(fixes ? { fixes } : {}) });
    } catch (err) {
      outcomes.push({ ok: false, error: (err as Error).message, ...(err instanceof SimulatorUnavailableError ? { unavailable: true } : {}) });
    }
  }
  control.progress(job.flows.length, job.flows.length);
  return outcomes;
}
