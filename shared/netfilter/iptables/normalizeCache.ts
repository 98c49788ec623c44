// Normalising a value (regexes, number parsing, new strings) is the bulk of
// reading a big dump, and real rulesets repeat the same values thousands of
// times (`--ctstate RELATED,ESTABLISHED`, the same subnets): results are
// memoised per normaliser and family, keyed by the value itself (no key
// strings to build on the hot path). Errors are not cached; values are copied
// out so no two rules share an array.

import type { Family } from '../model.ts';
import type { Normalized } from './iptOptionSpec.ts';

const CACHE_LIMIT = 20_000;
const caches: Record<Family, WeakMap<object, Map<string, Normalized>>> = { ipv4: new WeakMap(), ipv6: new WeakMap() };

function copy(hit: Normalized): Normalized {
  if (hit === null) return null;
  return Array.isArray(hit) ? hit.slice() : { name: hit.name, values: hit.values.slice() };
}

/**
 * `owner` identifies the normaliser (its function or option spec object); `values` are the option's
 * words. Results depend only on (normaliser, family, values) — normalisers never read the protocol.
 */
export function cachedNormalize(owner: object, family: Family, values: string[], compute: () => Normalized): Normalized {
  let byValue = caches[family].get(owner);
  if (!byValue) {
    byValue = new Map();
    caches[family].set(owner, byValue);
  }
  const key = values.length === 1 ? values[0] : values.join('\u0000');
  let hit = byValue.get(key);
  if (hit === undefined) {
    hit = compute();
    if (byValue.size >= CACHE_LIMIT) byValue.clear();
    byValue.set(key, hit);
  }
  return copy(hit);
}
