// What nft stores for a rule written in a script: `nft list ruleset` prints it
// back normalised, and a ruleset built from commands must print the same way
// (libvirt's `insert rule … iif virbr3 … ct state related,established` is
// listed as `iif "virbr3" … ct state established,related` — fixtures
// v11-nftables/*/commands.txt vs ruleset.txt):
//  - interface names are strings: `iif virbr3` → `iif "virbr3"`;
//  - a full-length prefix is the address: `ip daddr 255.255.255.255/32` → `… 255.255.255.255`;
//  - ct state flags in bit order (invalid, established, related, new, untracked — nf_conntrack_common.h);
//  - marks as 0x%08x (`meta mark set 0x5` → `0x00000005`, nft 1.0.6 checked in a namespace).

import type { NftRule, NftStatement, NftValue } from '../model.ts';

const CT_STATE_ORDER = ['invalid', 'established', 'related', 'new', 'untracked'];
const IFACE_KEYS = new Set(['iif', 'oif', 'iifname', 'oifname']);

function quoteIface(v: NftValue): NftValue {
  if (v.kind === 'literal' && !v.text.startsWith('"') && !v.text.startsWith('$')) return { kind: 'literal', text: `"${v.text}"` };
  if (v.kind === 'set') return { kind: 'set', elements: v.elements.map(quoteIface) };
  return v;
}

function hostPrefix(v: NftValue): NftValue {
  if (v.kind === 'prefix' && ((v.length === 32 && !v.address.includes(':')) || (v.length === 128 && v.address.includes(':')))) {
    return { kind: 'literal', text: v.address };
  }
  if (v.kind === 'set') return { kind: 'set', elements: v.elements.map(hostPrefix) };
  return v;
}

function markHex(text: string): string {
  const n = /^0x[0-9a-f]+$/i.test(text) ? parseInt(text.slice(2), 16) : /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(n) || n > 0xffffffff) return text;
  return `0x${n.toString(16).padStart(8, '0')}`;
}

function canonicalStatement(s: NftStatement): NftStatement {
  if (s.kind === 'match') {
    let right = s.right;
    if (s.left.kind === 'meta' && IFACE_KEYS.has(s.left.key)) right = quoteIface(right);
    if (s.left.kind === 'payload' && (s.left.field === 'saddr' || s.left.field === 'daddr')) right = hostPrefix(right);
    if (s.left.kind === 'ct' && s.left.key === 'state' && right.kind === 'flags') {
      const items = [...right.items].sort((a, b) => CT_STATE_ORDER.indexOf(a) - CT_STATE_ORDER.indexOf(b));
      right = { kind: 'flags', items };
    }
    if (((s.left.kind === 'meta' && s.left.key === 'mark') || (s.left.kind === 'ct' && s.left.key === 'mark')) && right.kind === 'literal') {
      right = { kind: 'literal', text: markHex(right.text) };
    }
    return right === s.right ? s : { ...s, right };
  }
  if (s.kind === 'set-key' && ((s.target.kind === 'meta' && s.target.key === 'mark') || (s.target.kind === 'ct' && s.target.key === 'mark'))) {
    return { ...s, value: markHex(s.value) };
  }
  return s;
}

/** Rewrites a script-written rule into the form nft lists it in. */
export function canonicalNftRule(rule: NftRule): void {
  rule.statements = rule.statements.map(canonicalStatement);
}
