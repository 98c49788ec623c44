// The simulator's own types, as the screens use them (no second model: the
// worker hands the simulator's results over as they are), and the colour a
// verdict gives a link or a cell.

import type { FlowVerdict } from '../../../shared/simulator/flowTypes.ts';

export type { Cause, DecidedBy, FlowRequest, FlowVerdict, PathStep, Symptom } from '../../../shared/simulator/flowTypes.ts';
export type { ProvenFix } from '../../../shared/simulator/proposeFixes.ts';
export type { Matrix, MatrixCell, MatrixTarget } from '../../../shared/simulator/matrix.ts';
export type { CellDiff, RuleDiff, VariantComparison } from '../../../shared/simulator/compareVariants.ts';

export type Tone = 'ok' | 'bad' | 'unknown';

export function toneOf(verdict: Pick<FlowVerdict, 'cause'> | null | undefined): Tone {
  if (!verdict || verdict.cause === 'ipv6-not-simulated') return 'unknown';
  return verdict.cause === 'ok' ? 'ok' : 'bad';
}

/** The worse of several tones (bad > unknown > ok) for links shared by several flows. */
export function worstTone(tones: readonly Tone[]): Tone {
  if (tones.includes('bad')) return 'bad';
  if (tones.length === 0 || tones.includes('unknown')) return 'unknown';
  return 'ok';
}
