// The renderer's door to the pure simulator in shared/simulator/ (run inside
// the lab worker). Until the simulator lands there is nothing to call: every
// function reports `available: false` and the screens say "not available yet"
// instead of inventing verdicts.

import type { Lab } from '../../../shared/lab/labModel.ts';
import type { FixView, FlowRequestView, FlowVerdictView } from './verdictView.ts';

export const simulatorAvailable = false;

export class SimulatorUnavailableError extends Error {
  constructor() {
    super('the reachability simulator is not part of this build yet');
    this.name = 'SimulatorUnavailableError';
  }
}

export function simulateFlow(_lab: Lab, _request: FlowRequestView): FlowVerdictView {
  throw new SimulatorUnavailableError();
}

export function suggestFixes(_lab: Lab, _request: FlowRequestView): FixView[] {
  throw new SimulatorUnavailableError();
}
