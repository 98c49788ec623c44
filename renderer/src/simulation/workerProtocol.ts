// Messages between the UI thread and the lab worker (simulation off the UI
// thread, with progress and cancel).

import type { Lab } from '../../../shared/lab/labModel.ts';
import type { FixView, FlowRequestView, FlowVerdictView } from './verdictView.ts';

export interface FlowJob {
  lab: Lab;
  flows: FlowRequestView[];
  /** Indexes of flows to compute proven fixes for (only failed ones get any). */
  fixesFor?: number[];
}

export type FlowOutcome = { ok: true; verdict: FlowVerdictView; fixes?: FixView[] } | { ok: false; error: string; unavailable?: boolean };

export type WorkerRequest = ({ type: 'run'; id: number } & FlowJob) | { type: 'cancel'; id: number };

export type WorkerReply =
  | { type: 'progress'; id: number; done: number; total: number }
  | { type: 'result'; id: number; outcomes: FlowOutcome[] }
  | { type: 'cancelled'; id: number }
  | { type: 'failed'; id: number; message: string };
