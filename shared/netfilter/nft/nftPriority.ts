// Base chain priorities: named values (nft(8) "Standard priority names";
// firewall-layers.md §5 fact 1), `NAME + N` / `NAME - N` forms, and the text
// nft prints for a number (nftables src/rule.c prio2str; checked with nft
// 1.0.6 in a namespace: a name is used when the value is within 10 of a
// standard priority valid for the family and hook — `-160` → `mangle - 10`,
// `11` → `11`; dstnat only at prerouting, srcnat only at postrouting, so an
// output nat chain at -100 prints `-100`; bridge: dstnat -300 prerouting,
// filter -200 any hook, out 100 output, srcnat 300 postrouting).

import type { NftFamily, NftHook } from '../model.ts';

interface StdPriority {
  name: string;
  value: number;
  hooks?: NftHook[];
}

const IP_PRIORITIES: readonly StdPriority[] = [
  { name: 'raw', value: -300 },
  { name: 'mangle', value: -150 },
  { name: 'dstnat', value: -100, hooks: ['prerouting'] },
  { name: 'filter', value: 0 },
  { name: 'security', value: 50 },
  { name: 'srcnat', value: 100, hooks: ['postrouting'] },
];

const BRIDGE_PRIORITIES: readonly StdPriority[] = [
  { name: 'dstnat', value: -300, hooks: ['prerouting'] },
  { name: 'filter', value: -200 },
  { name: 'out', value: 100, hooks: ['output'] },
  { name: 'srcnat', value: 300, hooks: ['postrouting'] },
];

function table(family: NftFamily): readonly StdPriority[] {
  if (family === 'bridge') return BRIDGE_PRIORITIES;
  if (family === 'arp' || family === 'netdev') return IP_PRIORITIES.filter((p) => p.name === 'filter');
  return IP_PRIORITIES;
}

/** Value of a named priority in a family, for reading `priority srcnat` (any hook accepted when reading). */
export function namedPriority(family: NftFamily, name: string): number | undefined {
  return table(family).find((p) => p.name === name)?.value;
}

/**
 * Reads a priority expression: `0`, `-150`, `filter`, `filter + 10`, `mangle - 5`.
 * Returns null when it is not one.
 */
export function parsePriority(family: NftFamily, words: string[]): number | null {
  const text = words.join(' ').trim();
  const m = /^(-?\d+)$|^([a-z]+)(?:\s*([+-])\s*(\d+))?$/.exec(text);
  if (!m) return null;
  if (m[1] !== undefined) return Number(m[1]);
  const base = namedPriority(family, m[2]);
  if (base === undefined) return null;
  const offset = m[4] === undefined ? 0 : Number(m[4]);
  return m[3] === '-' ? base - offset : base + offset;
}

/** How nft prints a priority value for a chain of this family and hook. */
export function priorityText(family: NftFamily, hook: NftHook, value: number): string {
  for (const std of table(family)) {
    if (std.hooks && !std.hooks.includes(hook)) continue;
    const offset = value - std.value;
    if (Math.abs(offset) > 10) continue;
    if (offset === 0) return std.name;
    return offset > 0 ? `${std.name} + ${offset}` : `${std.name} - ${-offset}`;
  }
  return String(value);
}
