// Ids inside a lab (networks, guests, layers, timeline events). They only need
// to be unique within one lab, and they must be deterministic: the sample lab and
// tests compare labs structurally, and shared/ may not use randomness unless it
// is injected. So every function that invents ids takes an IdSource.

import type { Lab } from './labModel.ts';

/** Returns a new id for an item of the given kind ('net', 'guest', 'layer', 'event'). */
export type IdSource = (kind: string) => string;

/** `net-1`, `net-2`, `guest-1`, … counted per kind. */
export function sequentialIds(): IdSource {
  const counters = new Map<string, number>();
  return (kind) => {
    const next = (counters.get(kind) ?? 0) + 1;
    counters.set(kind, next);
    return `${kind}-${next}`;
  };
}

/** Every id used in the lab, whatever its kind. */
export function labIdsInUse(lab: Lab): Set<string> {
  return new Set([...lab.networks, ...lab.guests, ...lab.layers, ...lab.events].map((item) => item.id));
}

/**
 * Continues the numbering of a lab being edited: the next `KIND-N` above every
 * `KIND-N` already present, skipping anything in use (ids are unique across kinds).
 * The renderer uses it to add networks, guests, layers and events.
 */
export function labIdSource(lab: Lab): IdSource {
  const used = labIdsInUse(lab);
  const highest = new Map<string, number>();
  for (const id of used) {
    const m = /^(.+)-([1-9][0-9]*)$/.exec(id);
    if (m) highest.set(m[1], Math.max(highest.get(m[1]) ?? 0, Number(m[2])));
  }
  return (kind) => {
    let n = (highest.get(kind) ?? 0) + 1;
    while (used.has(`${kind}-${n}`)) n++;
    highest.set(kind, n);
    const id = `${kind}-${n}`;
    used.add(id);
    return id;
  };
}
