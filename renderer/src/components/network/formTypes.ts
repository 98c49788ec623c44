// What every section of the network form receives.
import type { Network } from '../../../../shared/libvirt/networkModel.ts';
import type { NetworkProblem } from '../../../../shared/libvirt/networkProblem.ts';

/** Applies a labelled change to a copy of the network and commits it as one edit. */
export type CommitNetwork = (label: string, mutate: (network: Network) => void) => void;

export interface SectionProps {
  network: Network;
  problems: readonly NetworkProblem[];
  commit: CommitNetwork;
}

/** "Whole number" check for numeric fields; returns the number, undefined for empty, or an Error text. */
export function parseWhole(text: string): number | undefined | { error: true } {
  const v = text.trim();
  if (v === '') return undefined;
  return /^\d+$/.test(v) ? Number(v) : { error: true };
}
