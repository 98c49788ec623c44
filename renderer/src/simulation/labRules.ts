// The host's effective rules after the timeline: the libvirt/timeline
// feature's foldTimeline(lab, { uptoEventId }) → NetfilterState with
// provenance. Until it lands there is nothing to show and the views say so;
// nothing here guesses rules.

import type { Lab } from '../../../shared/lab/labModel.ts';
import type { NetfilterState } from '../../../shared/netfilter/netfilterState.ts';

export const timelineFoldAvailable = false;

export interface EffectiveRules {
  state: NetfilterState;
  /** The fold's notes ("the order between networks after a restart is not fixed"). */
  notes: string[];
}

export function effectiveRules(_lab: Lab, _uptoEventId?: string): EffectiveRules | null {
  return null;
}
