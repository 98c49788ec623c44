// What nft stores for a rule written in a script: `nft list ruleset` prints it
// back normalised, and a ruleset built from commands must print the same way
// (libvirt's `insert rule … iif virbr3 … ct state related,established` is
// listed as `iif "virbr3" … ct state established,related` — fixtures
// v11-nftables/*/commands.txt vs ruleset.txt):
//  - interface names are strings: `iif virbr3` → `iif "virbr3"`;
//  - a full-length prefix is the address: `ip daddr 255.255.255.255/32` → `… 255.255.255.255`;
//  - ct state flags in bit order (invalid, established, related, new, untracked — nf_conntrack_common.h);
//  - marks as 0x%08x (`meta mark set 0x5` → `0x00000005`, nft 1.0.6 checked in a namespace);
//  - conntrack tuple addresses name their family and are masked like a prefix is stored:
//    `ct original saddr 10.0.0.1` (ip table) → `ct original ip saddr 10.0.0.1`,
//    `ct reply ip daddr 10.1.2.3/8` → `… 10.0.0.0/8`, `/32` → the address (nft 1.0.6, checked in a namespace).

import { canonicalAddressMask } from '../iptables/iptAddresses.ts';
import type { NftExpr, NftRule, NftStatement, NftValue } from '../model.ts';

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

const CT_TUPLE_ADDRESS = /^(?:(ip6?) )?([sd]addr)$/;

function firstAddress(v: NftValue): string | null {
  if (v.kind === 'literal') return v.text;
  if (v.kind === 'prefix') return v.address;
  if (v.kind === 'range') return v.from;
  if (v.kind === 'set') return v.elements.length ? firstAddress(v.elements[0]) : null;
  return null;
}

function maskedPrefix(v: NftValue): NftValue {
  if (v.kind === 'prefix') {
    const family = v.address.includes(':') ? 'ipv6' : 'ipv4';
    try {
      const [address, length] = canonicalAddressMask(`${v.address}/${v.length}`, family).split('/');
      return { kind: 'prefix', address, length: Number(length) };
    } catch {
      return v;
    }
  }
  if (v.kind === 'set') return { kind: 'set', elements: v.elements.map(maskedPrefix) };
  return v;
}

/** `ct original saddr` → `ct original ip saddr` (or ip6, by the value), as nft lists it. */
function ctTupleLeft(left: NftExpr & { kind: 'ct' }, right: NftValue): NftExpr {
  const m = CT_TUPLE_ADDRESS.exec(left.key);
  if (!m || m[1]) return left;
  const a = firstAddress(right);
  if (a === null || a.startsWith('$') || a.startsWith('@')) return left;
  return { ...left, key: `${a.includes(':') ? 'ip6' : 'ip'} ${m[2]}` };
}

function canonicalStatement(s: NftStatement): NftStatement {
  if (s.kind === 'match' && s.left.kind === 'ct' && s.left.direction && CT_TUPLE_ADDRESS.test(s.left.key)) {
    return { ...s, left: ctTupleLeft(s.left, s.right), right: hostPrefix(maskedPrefix(s.right)) };
  }
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
