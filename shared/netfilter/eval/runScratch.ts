// The registers one evaluation writes (reused per host: JS is single-threaded,
// so the verdict path allocates nothing) and the result codes of the runners.

import type { CompiledChain, CompiledRule, HookChain } from './compiledForm.ts';
import type { CompiledPacket } from './compiledPacket.ts';
import type { MarkChange } from './hookResult.ts';

export const R_ACCEPT = 1;
export const R_DROP = 2;
export const R_REJECT = 3;
/** An undecidable rule without an assumption was reached: scratch.pendingRule says which. */
export const R_NEED = 4;
export const R_UNDETERMINED = 5;
/** A nat chain bound the connection (chain-level result only). */
export const R_NAT = 6;

export const MAX_DEPTH = 64;

/** Registers one evaluation writes; one per host, reused (JS is single-threaded). */
export interface RunScratch {
  stackChain: (CompiledChain | null)[];
  stackIndex: Int32Array;
  /** Verdict path: the candidate list of each stacked chain. */
  stackList: (Int32Array | null)[];
  pendingRule: CompiledRule | null;
  /** Deciding rule (or null when a policy decided: then decidingPolicy). */
  decidingRule: CompiledRule | null;
  decidingPolicy: HookChain | null;
  natRule: CompiledRule | null;
  natChain: HookChain | null;
  undeterminedReason: string | null;
  failStep: number;
  /** Accepting rule/policy per base chain, only filled when tracing. */
  accepted: (CompiledRule | HookChain)[] | null;
  /** Rules that changed the packet mark or the connection mark, in order; null on the verdict path (hookVerdict). */
  markChanges: MarkChange[] | null;
  /** The rule whose notrack untracked the packet in this hook (untrack.ts), if one did. */
  untrackedBy: CompiledRule | null;
}

export function newRunScratch(): RunScratch {
  return {
    stackChain: new Array<CompiledChain | null>(MAX_DEPTH).fill(null),
    stackIndex: new Int32Array(MAX_DEPTH),
    stackList: new Array<Int32Array | null>(MAX_DEPTH).fill(null),
    pendingRule: null, decidingRule: null, decidingPolicy: null, natRule: null, natChain: null,
    undeterminedReason: null, failStep: -1, accepted: null, markChanges: null, untrackedBy: null,
  };
}


/**
 * After a rule ran its steps: if it changed the packet mark or the connection mark (MARK, CONNMARK,
 * `meta mark set`, `ct mark set` — nft statements before a failing match run too), note which rule
 * did it, so a later rule matching on the mark can be explained.
 */
export function noteMarkChange(s: RunScratch, rule: CompiledRule, p: CompiledPacket, markBefore: number, connmarkBefore: number): void {
  if (s.markChanges === null) return;
  if (p.mark !== markBefore) s.markChanges.push({ register: 'mark', from: markBefore, to: p.mark, rule: rule.ref });
  if (p.connmark !== connmarkBefore) s.markChanges.push({ register: 'connmark', from: connmarkBefore, to: p.connmark, rule: rule.ref });
}
