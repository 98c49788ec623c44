// What a firewall layer does to a host when one of its timeline events fires,
// as plain data: the iptables/ip6tables/nft commands the tool runs (in the
// tool's own order), the sysctls it writes, the signals it sends to libvirtd,
// and notes for the explanation. Generators (SuSEfirewall2, firewalld, ufw,
// Docker, own script, raw ruleset) are pure functions config → LayerAction[];
// the layer drivers replay the list through the timeline context, which
// applies each command to the host's NetfilterState (so `-I` lands on top of
// whatever is there at that moment) and records failures instead of throwing.
//
// iptables commands are kept as the argument text the tool passes
// (`-t nat -A POSTROUTING -s 10.0.0.0/8 -j MASQUERADE`) and are parsed into
// IptCommand by the netfilter parser when replayed: the rule then has exactly
// the structure a parsed iptables-save dump of the real host would have.

import type { Family, Provenance } from '../netfilter/model.ts';

export type NoteSeverity = 'info' | 'warning' | 'error';

export type LayerAction =
  /**
   * One iptables (ipv4) or ip6tables (ipv6) invocation, arguments only. `backend` forces the
   * kernel API (`iptables-legacy` / `iptables-nft` in a script); otherwise the host's flavour.
   * `fallback`: run these arguments instead when the command fails (iptables-restore --noflush
   * declares a chain: create it, or flush it when it exists). `mayFail`: a failure is expected
   * and not an error (`iptables -D … || true`).
   */
  | { kind: 'iptables'; family: Family; args: string; provenance: Provenance; backend?: 'legacy' | 'nft'; fallback?: string; mayFail?: boolean; quoting?: 'shell' | 'restore' }
  /** One nft command line (`add rule inet firewalld filter_FORWARD ct state established,related accept`). */
  | { kind: 'nft'; command: string; provenance: Provenance; mayFail?: boolean }
  /** An `nft -f` file; `firstLine` is the file line of its first line (for provenance of each command). */
  | { kind: 'nft-script'; text: string; file: string; firstLine: number; provenance: Provenance }
  /** Replace the whole iptables state of one family (a raw imported ruleset); `backend` as for 'iptables'. */
  | { kind: 'iptables-replace'; family: Family; text: string; provenance: Provenance; backend?: 'legacy' | 'nft' }
  /** Replace the whole native nft ruleset (a raw imported `nft list ruleset`). */
  | { kind: 'nft-replace'; text: string; provenance: Provenance }
  /** A sysctl write: `net.ipv4.ip_forward` = '1'. Keys in dotted form. */
  | { kind: 'sysctl'; key: string; value: string; provenance: Provenance }
  | { kind: 'signal-libvirtd'; signal: 'sighup' | 'firewalld-reloaded'; provenance: Provenance }
  | { kind: 'note'; severity: NoteSeverity; text: string };

/** A problem in a layer's config file, positioned so the UI can point at it. */
export interface ConfigProblem {
  severity: 'error' | 'warning';
  message: string;
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

/** Collects actions with a shared provenance base, so generators stay short. */
export class ActionList {
  readonly actions: LayerAction[] = [];

  constructor(private readonly base: Provenance) {}

  private prov(reason: string | undefined, extra?: Provenance): Provenance {
    const p: Provenance = { ...this.base, ...extra };
    if (reason !== undefined) p.reason = reason;
    return p;
  }

  ipt(family: Family, args: string, reason?: string, extra?: Provenance, options?: { fallback?: string; mayFail?: boolean; backend?: 'legacy' | 'nft'; quoting?: 'shell' | 'restore' }): void {
    this.actions.push({ kind: 'iptables', family, args, provenance: this.prov(reason, extra), ...options });
  }

  /** The same command for IPv4 and IPv6 (tools that loop over iptables and ip6tables). */
  both(args: string, reason?: string, extra?: Provenance): void {
    this.ipt('ipv4', args, reason, extra);
    this.ipt('ipv6', args, reason, extra);
  }

  nft(command: string, reason?: string, extra?: Provenance): void {
    this.actions.push({ kind: 'nft', command, provenance: this.prov(reason, extra) });
  }

  sysctl(key: string, value: string, reason?: string): void {
    this.actions.push({ kind: 'sysctl', key, value, provenance: this.prov(reason) });
  }

  signal(signal: 'sighup' | 'firewalld-reloaded', reason?: string): void {
    this.actions.push({ kind: 'signal-libvirtd', signal, provenance: this.prov(reason) });
  }

  note(severity: NoteSeverity, text: string): void {
    this.actions.push({ kind: 'note', severity, text });
  }

  push(...actions: LayerAction[]): void {
    this.actions.push(...actions);
  }
}

/** Quotes an argument the way a shell (and iptables-save) needs it: only when it has blanks or quotes. */
export function shellQuote(value: string): string {
  if (value !== '' && !/[\s"'\\$`]/.test(value)) return value;
  return `"${value.replace(/(["\\$`])/g, '\\$1')}"`;
}

/** Splits a version like '3.6.312.333' or '28.0.1' into numbers for comparison. */
export function versionParts(version: string | undefined): number[] {
  if (!version) return [];
  return version.split(/[.\-+~]/).map((p) => Number.parseInt(p, 10)).filter((n) => Number.isFinite(n));
}

/** a < b → negative, equal → 0 (missing parts count as 0). */
export function compareVersions(a: string, b: string): number {
  const pa = versionParts(a);
  const pb = versionParts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export function versionAtLeast(version: string | undefined, min: string): boolean {
  return version !== undefined && version !== '' && compareVersions(version, min) >= 0;
}
