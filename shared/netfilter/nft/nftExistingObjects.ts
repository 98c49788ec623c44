// What the kernel does when `nft add table|chain|set` names an object that
// already exists (NLM_F_CREATE without NLM_F_EXCL: an update, not a no-op).
// Observed with nft 1.0.6 on Linux 6.18 in a throwaway netns
// (test/reality/nft-existing-objects.test.ts checks every case below):
// - table: the flags are set to the command's flags — `add table ip t` (no
//   flags) wakes a dormant table, `{ flags dormant; }` puts it to sleep; the
//   owner flag cannot be changed (EOPNOTSUPP); a comment is not updated.
// - base chain: same hook and priority → the policy is updated when the
//   command gives one and kept otherwise (`{ policy drop; }` alone too);
//   another hook or priority → EOPNOTSUPP; same hook and priority but another
//   type → EEXIST; a base spec or policy for a regular chain → EOPNOTSUPP.
// - set/map: same kind, type and flags → its elements are added; anything
//   else (type, flags, map vs set, timeout) → EEXIST.
// `create …` of an existing object is EEXIST in every case.

import type { NftBaseChainSpec, NftChain, NftSet, NftTable, Provenance } from '../model.ts';

export const EEXIST = 'Error: Could not process rule: File exists';
export const EOPNOTSUPP = 'Error: Could not process rule: Operation not supported';

/** `add table … [{ flags …; }]` on an existing table: returns nft's error, or null after updating it. */
export function updateExistingTable(table: NftTable, flags: string[] | undefined): string | null {
  const wanted = flags ?? [];
  if (wanted.includes('owner') !== (table.flags ?? []).includes('owner')) return EOPNOTSUPP;
  if (wanted.length) table.flags = [...wanted];
  else delete table.flags;
  return null;
}

/** `add chain … [{ type … hook … priority …; policy …; }]` on an existing chain. */
export function updateExistingChain(chain: NftChain, base: NftBaseChainSpec | undefined, policy: 'accept' | 'drop' | undefined, provenance: Provenance | undefined): string | null {
  if (!base && !policy) return null;
  const current = chain.base;
  if (!current) return EOPNOTSUPP;
  if (base) {
    if (base.hook !== current.hook || base.priority !== current.priority) return EOPNOTSUPP;
    if (base.type !== current.type) return EEXIST;
  }
  const newPolicy = base?.policy ?? policy;
  if (newPolicy) {
    current.policy = newPolicy;
    if (provenance) chain.policyProvenance = provenance;
  }
  return null;
}

/** Set lines the kernel compares when a set is added again (`timeout 1h`); `size`, `comment`, `policy` are not. */
function comparedExtras(set: NftSet): string[] {
  return (set.extraLines ?? []).filter((l) => /^(timeout|gc-interval)\b/.test(l)).sort();
}

/** `add set|map …` on an existing set: same definition → the elements are added. */
export function updateExistingSet(set: NftSet, wanted: NftSet): string | null {
  const flags = (s: NftSet) => [...(s.flags ?? [])].sort().join(',');
  if (wanted.isMap !== set.isMap || wanted.type !== set.type || flags(wanted) !== flags(set)) return EEXIST;
  if (comparedExtras(wanted).join('\n') !== comparedExtras(set).join('\n')) return EEXIST;
  if (wanted.elements?.length && set.elements) set.elements = [...set.elements, ...wanted.elements.filter((e) => !set.elements!.includes(e))];
  return null;
}
