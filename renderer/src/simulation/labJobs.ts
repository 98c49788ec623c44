// The lab worker's jobs: pure functions over the simulator (shared/simulator)
// and the timeline fold (shared/layers/timeline), yielding to the event loop
// every few milliseconds so a cancel gets through and progress can be shown.
// The worker and the dom tests both call them.

import type { Lab } from '../../../shared/lab/labModel.ts';
import { layerProblems } from '../../../shared/layers/layerProblems.ts';
import { foldTimeline } from '../../../shared/layers/timeline/foldTimeline.ts';
import { compareVariants } from '../../../shared/simulator/compareVariants.ts';
import { matrixCellCount, matrixCells, matrixLayout, type MatrixCell } from '../../../shared/simulator/matrix.ts';
import { proposeFixes } from '../../../shared/simulator/proposeFixes.ts';
import { labWorld, simulateFlow } from '../../../shared/simulator/simulateFlow.ts';
import { findGuestNode, simulateInWorld } from '../../../shared/simulator/simulateInWorld.ts';
import { buildLabWorld } from '../../../shared/simulator/labWorld.ts';
import { labRuntime } from '../../../shared/simulator/labRuntime.ts';
import { topologyFlows } from './labFlows.ts';
import { tracedFlow } from './tracedFlow.ts';
import type { FlowOutcome, JobKind, JobResults, WorkerJob } from './workerProtocol.ts';

export interface JobControl {
  cancelled(): boolean;
  progress(done: number, total: number): void;
}

/** Thrown inside a job when it was cancelled; the worker answers `cancelled`. */
export class JobCancelled extends Error {}

const SLICE_MS = 12;
const yieldToEvents = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Call once per unit of work: every SLICE_MS it reports progress, yields and checks for a cancel. */
function slicer(control: JobControl, total: number) {
  let sliceStart = Date.now();
  return async (done: number) => {
    if (Date.now() - sliceStart <= SLICE_MS) return;
    control.progress(done, total);
    await yieldToEvents();
    if (control.cancelled()) throw new JobCancelled();
    sliceStart = Date.now();
  };
}

function outcome(run: () => FlowOutcome & { ok: true }): FlowOutcome {
  try {
    return run();
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}

async function matrixJob(lab: Lab, control: JobControl): Promise<JobResults['matrix']> {
  // computeMatrix (shared/simulator/matrix.ts) with a pause between cells for big labs.
  const world = labWorld(lab);
  const layout = matrixLayout(world, lab.services);
  const total = matrixCellCount(layout);
  const tick = slicer(control, total);
  const cells: MatrixCell[] = [];
  for (const cell of matrixCells(world, layout)) {
    await tick(cells.length);
    cells.push(cell);
  }
  control.progress(total, total);
  return { ...layout, cells };
}

async function timelineJob(lab: Lab, control: JobControl): Promise<JobResults['timeline']> {
  const flows = topologyFlows(lab);
  // A snapshot variant is the host as found: it has no timeline to step through.
  const events = lab.snapshot ? [] : lab.events;
  const tick = slicer(control, events.length);
  const moments: JobResults['timeline']['moments'] = [];
  for (let i = 0; i < events.length; i++) {
    await tick(i);
    let world: ReturnType<typeof buildLabWorld>;
    try {
      world = buildLabWorld(lab, labRuntime(lab, events[i].id));
    } catch (err) {
      moments.push({ eventId: events[i].id, outcomes: flows.map(() => ({ ok: false, error: (err as Error).message })) });
      continue;
    }
    const outcomes = flows.map((f) =>
      outcome(() => {
        const guest = findGuestNode(world, f.from);
        if (!guest) throw new Error(`${f.from} is no guest of this variant`);
        return { ok: true, verdict: simulateInWorld(world, guest.id, f) };
      }),
    );
    moments.push({ eventId: events[i].id, outcomes });
  }
  control.progress(events.length, events.length);
  return { flows, moments };
}

export async function runLabJob<K extends JobKind>(job: Extract<WorkerJob, { kind: K }>, control: JobControl): Promise<JobResults[K]> {
  const j = job as WorkerJob;
  switch (j.kind) {
    case 'flows': {
      const tick = slicer(control, j.flows.length);
      const out: FlowOutcome[] = [];
      for (let i = 0; i < j.flows.length; i++) {
        await tick(i);
        out.push(outcome(() => ({ ok: true, verdict: simulateFlow(j.lab.lab, j.flows[i]) })));
      }
      control.progress(j.flows.length, j.flows.length);
      return out as JobResults[K];
    }
    case 'explain': {
      try {
        const traced = tracedFlow(j.lab.lab, j.flow);
        const fixes = traced.verdict.cause === 'ok' ? [] : proposeFixes(j.lab.lab, j.flow, traced.verdict);
        return { ok: true, ...traced, fixes } as JobResults[K];
      } catch (err) {
        return { ok: false, error: (err as Error).message } as JobResults[K];
      }
    }
    case 'matrix':
      return (await matrixJob(j.lab.lab, control)) as JobResults[K];
    case 'compare':
      return compareVariants(j.a.lab, j.b.lab) as JobResults[K];
    case 'hostAt': {
      const host = foldTimeline(j.lab.lab, j.uptoEventId !== null ? { uptoEventId: j.uptoEventId } : {});
      const notes = host.notes.map((n) => n.text);
      return { state: host.state, notes, eventResults: host.eventResults, ...(host.lastEventId ? { lastEventId: host.lastEventId } : {}) } as JobResults[K];
    }
    case 'timeline':
      return (await timelineJob(j.lab.lab, control)) as JobResults[K];
    case 'layerProblems':
      return layerProblems(j.layer, j.lab.lab) as JobResults[K];
  }
}
