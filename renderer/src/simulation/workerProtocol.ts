// Messages between the UI thread and the lab worker (simulation off the UI
// thread, with progress and cancel).

import type { Lab, Layer } from '../../../shared/lab/labModel.ts';
import type { ConfigProblem } from '../../../shared/layers/layerActions.ts';
import type { FixView, FlowRequestView, FlowVerdictView } from './verdictView.ts';

export interface FlowJob {
  lab: Lab;
  flows: FlowRequestView[];
  /** Indexes of flows to compute proven fixes for (only failed ones get any). */
  fixesFor?: number[];
}

export type FlowOutcome = { ok: true; verdict: FlowVerdictView; fixes?: FixView[] } | { ok: false; error: string; unavailable?: boolean };

export type WorkerRequest = ({ type: 'run'; id: number } & FlowJob) | { type: 'layerProblems'; id: number; layer: Layer; lab: Lab } | { type: 'cancel'; id: number };

export type WorkerReply =
  | { type: 'progress'; id: number; done: number; total: number }
  | { type: 'result'; id: number; outcomes: FlowOutcome[] }
  | { type: 'problems'; id: number; problems: ConfigProblem[] }
  | { type: 'cancelled'; id: number }
  | { type: 'failed'; id: number; message: string };
