// Messages between the UI thread and the lab worker (simulator, timeline fold
// and file checks off the UI thread, with progress and cancel). A lab travels
// with its stamp (`variantId@revision`): the worker keeps the last few, so jobs
// on one revision share the simulator's world (built once per lab object).

import type { Lab, Layer } from '../../../shared/lab/labModel.ts';
import type { ConfigProblem } from '../../../shared/layers/layerActions.ts';
import type { EventResult } from '../../../shared/layers/timeline/effectiveHost.ts';
import type { NetfilterState } from '../../../shared/netfilter/netfilterState.ts';
import type { TracedVerdict } from './tracedFlow.ts';
import type { FlowRequest, FlowVerdict, Matrix, ProvenFix, VariantComparison } from './verdictView.ts';

export interface LabRef {
  stamp: string;
  lab: Lab;
}

export type FlowOutcome = { ok: true; verdict: FlowVerdict } | { ok: false; error: string };

export type ExplainOutcome = ({ ok: true; fixes: ProvenFix[] } & TracedVerdict) | { ok: false; error: string };

/** The host right after one timeline event: what the Layers & events view shows. */
export interface HostAtEvent {
  state: NetfilterState;
  notes: string[];
  eventResults: EventResult[];
  lastEventId?: string;
}

/** Each guest's pings (to the gateway and the internet host) right after each timeline event. */
export interface TimelineVerdicts {
  flows: FlowRequest[];
  moments: { eventId: string; outcomes: FlowOutcome[] }[];
}

export type WorkerJob =
  /** Verdicts only (topology links): the simulator's verdict per flow. */
  | { kind: 'flows'; lab: LabRef; flows: FlowRequest[] }
  /** One flow for the simulation view: verdict, rules visited per hook, proven fixes. */
  | { kind: 'explain'; lab: LabRef; flow: FlowRequest }
  | { kind: 'matrix'; lab: LabRef }
  | { kind: 'compare'; a: LabRef; b: LabRef }
  | { kind: 'hostAt'; lab: LabRef; uptoEventId: string | null }
  | { kind: 'timeline'; lab: LabRef }
  | { kind: 'layerProblems'; lab: LabRef; layer: Layer };

export interface JobResults {
  flows: FlowOutcome[];
  explain: ExplainOutcome;
  matrix: Matrix;
  compare: VariantComparison;
  hostAt: HostAtEvent;
  timeline: TimelineVerdicts;
  layerProblems: ConfigProblem[];
}

export type JobKind = WorkerJob['kind'];

export type WorkerRequest = { type: 'run'; id: number; job: WorkerJob } | { type: 'cancel'; id: number };

export type WorkerReply =
  | { type: 'progress'; id: number; done: number; total: number }
  | { type: 'result'; id: number; result: unknown }
  | { type: 'cancelled'; id: number }
  | { type: 'failed'; id: number; message: string };
