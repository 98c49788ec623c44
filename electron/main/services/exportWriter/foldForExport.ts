// The one place that folds a lab's timeline for the export. The fold itself
// (foldTimeline in shared/layers/timeline/) is written by the timeline
// engineer; until it lands there is no honest effective ruleset to export, so
// this says so instead of exporting something that was not simulated.

import type { Lab } from '../../../../shared/lab/labModel.ts';
import type { EffectiveHost } from '../../../../shared/layers/timeline/effectiveHost.ts';
import { ExportWriteError } from './exportWriteError.ts';

export type FoldTimeline = (lab: Lab) => EffectiveHost;

export const defaultFold: FoldTimeline = () => {
  throw new ExportWriteError('the export needs the timeline fold (shared/layers/timeline/foldTimeline.ts), which is not in this build yet', 'ENOTSUP');
};
