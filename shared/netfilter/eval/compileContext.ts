// What the iptables and nft compilers share while building one CompiledHost:
// interface interning, host addresses, known set contents, rule ids, notes.

import type { CompiledRule } from './compiledForm.ts';
import { hostAddressInfo, type HostAddressInfo } from './hostAddresses.ts';
import type { EvalContext } from './packet.ts';

export interface CompileContext {
  intern: (name: string) => number;
  ifaceIds: Map<string, number>;
  addresses: HostAddressInfo;
  /** Known contents of ipsets / nft sets not listed in the ruleset (EvalContext.sets). */
  sets: Record<string, string[]>;
  rules: CompiledRule[];
  notes: Set<string>;
}

export function newCompileContext(context: EvalContext | undefined): CompileContext {
  const ifaceIds = new Map<string, number>();
  return {
    ifaceIds,
    intern: (name) => {
      let id = ifaceIds.get(name);
      if (id === undefined) {
        id = ifaceIds.size;
        ifaceIds.set(name, id);
      }
      return id;
    },
    addresses: hostAddressInfo(context),
    sets: context?.sets ?? {},
    rules: [],
    notes: new Set(),
  };
}

/** Port numbers for the service names iptables/nft accept and dumps sometimes contain (/etc/services). */
const SERVICES: Record<string, number> = {
  ftp: 21, ssh: 22, telnet: 23, smtp: 25, domain: 53, bootps: 67, bootpc: 68, tftp: 69, http: 80, pop3: 110,
  ntp: 123, imap: 143, snmp: 161, ldap: 389, https: 443, submission: 587, imaps: 993, pop3s: 995,
};

/** A port number or service name; null when neither. */
export function portNumber(text: string): number | null {
  const t = text.trim();
  if (/^\d+$/.test(t)) {
    const n = Number(t);
    return n <= 65535 ? n : null;
  }
  return SERVICES[t] ?? null;
}

/** `22`, `1000:2000` (iptables), `1000-2000` (nft), `:1024`, `1024:` → inclusive range; null when unreadable. */
export function portRange(text: string): [number, number] | null {
  const m = /^([^:-]*)[:-]([^:-]*)$/.exec(text.trim());
  if (!m) {
    const n = portNumber(text);
    return n === null ? null : [n, n];
  }
  const lo = m[1] === '' ? 0 : portNumber(m[1]);
  const hi = m[2] === '' ? 65535 : portNumber(m[2]);
  if (lo === null || hi === null || lo > hi) return null;
  return [lo, hi];
}

/** `0x10`, `16`, `0x10/0xff` → [value, mask]; null when unreadable. */
export function markValue(text: string): [number, number] | null {
  const [v, m] = text.trim().split('/');
  const num = (s: string): number | null => (/^(0x[0-9a-f]+|\d+)$/i.test(s) ? Number(s) >>> 0 : null);
  const value = num(v);
  const mask = m === undefined ? 0xffffffff : num(m);
  if (value === null || mask === null) return null;
  return [value, mask];
}

/**
 * `198.51.100.10-198.51.100.20:10000-20000`, `[fd00::1]:80`, `fd00::1`, `:1024-65535` (SNAT/DNAT
 * --to-*, nft `snat to`) → address part and port part.
 */
export function splitNatTo(value: string): { toAddress?: string; toPorts?: string } {
  const v = value.trim();
  const bracket = /^\[([^\]]+)\](?::(.+))?$/.exec(v);
  if (bracket) return { toAddress: bracket[1], ...(bracket[2] ? { toPorts: bracket[2] } : {}) };
  const colons = v.split(':').length - 1;
  if (colons > 1) return { toAddress: v };
  const [addr, ports] = v.split(':');
  return { ...(addr ? { toAddress: addr } : {}), ...(ports ? { toPorts: ports } : {}) };
}
