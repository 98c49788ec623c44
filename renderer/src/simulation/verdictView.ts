// What the UI shows of one simulated flow. It mirrors the simulator's
// FlowVerdict (shared/simulator/flowTypes.ts) field by field for what the
// screens use, so the worker can hand the simulator's result over as is and the
// type checker says so if the two drift apart.

export interface FlowRequestView {
  from: string;
  to: string;
  service: string;
}

export interface DecidedByView {
  layer: string;
  layerLabel?: string;
  ruleset?: string;
  table?: string;
  chain?: string;
  position?: number;
  rule: string;
  event?: string;
  eventId?: string;
  reason?: string;
}

export interface PathStepView {
  direction: 'request' | 'reply';
  node: string;
  stage: string;
  detail: string;
  outcome: 'pass' | 'drop' | 'reject' | 'deliver' | 'nat' | 'lost';
  packet: string;
}

export interface FlowVerdictView {
  request: FlowRequestView;
  guestSees: string;
  cause: string;
  decidedBy: DecidedByView | null;
  hop: { node: string; stage: string; direction: 'request' | 'reply' } | null;
  path: PathStepView[];
  assumptions: string[];
  headline: string;
  conditions: string[];
  notes: string[];
}

/** A proven fix: a lab change whose re-simulation succeeds. */
export interface FixView {
  label: string;
  patch: { op: 'add' | 'remove' | 'replace'; path: string; value?: unknown }[];
  after: FlowVerdictView;
}

export type Tone = 'ok' | 'bad' | 'unknown';

export function toneOf(verdict: FlowVerdictView | null | undefined): Tone {
  if (!verdict) return 'unknown';
  return verdict.cause === 'ok' ? 'ok' : 'bad';
}

/** The worse of several tones (bad > unknown > ok) for links shared by several flows. */
export function worstTone(tones: readonly Tone[]): Tone {
  if (tones.includes('bad')) return 'bad';
  if (tones.length === 0 || tones.includes('unknown')) return 'unknown';
  return 'ok';
}
