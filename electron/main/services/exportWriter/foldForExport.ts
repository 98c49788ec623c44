// The one place that folds a lab's timeline for the export: foldTimeline
// (shared/layers/timeline/) gives the host at the end of its timeline — the
// same state the simulator evaluates — and the bundle makes the real host
// equal to it. Injectable so tests can hand in a prepared host.

import type { Lab } from '../../../../shared/lab/labModel.ts';
import type { EffectiveHost } from '../../../../shared/layers/timeline/effectiveHost.ts';
import { foldTimeline } from '../../../../shared/layers/timeline/foldTimeline.ts';

export type FoldTimeline = (lab: Lab) => EffectiveHost;

export const defaultFold: FoldTimeline = (lab) => foldTimeline(lab);
