// The netfilter ruleset model shared by every parser, printer, generator and the
// evaluator. Two shapes, because the two tools are different languages:
//
//  - iptables (legacy or nft-backed): tables → chains → rules; a rule is a list
//    of match modules with their options plus one target. Kept generic (module +
//    options, as iptables-save prints them) so nothing the parser reads is lost;
//    the evaluator compiles the modules it knows and treats others as unknown.
//  - nftables: tables (with family) → chains (base or regular) → rules made of
//    statements (matches, verdicts, NAT, counters, ...), plus named sets/maps.
//
// Every rule may carry provenance: which layer put it there, by which event and
// from which config entry or file line (architecture.md: "generated rules carry
// provenance").

export type Family = 'ipv4' | 'ipv6';

/** Where a rule came from. Filled by parsers (file/line) and generators (layer/event/reason). */
export interface Provenance {
  /** 'libvirt' | 'susefirewall2' | 'firewalld' | 'ufw' | 'docker' | 'own-script' | 'imported' | 'admin' | ... */
  layer?: string;
  /** Human label of the layer instance, e.g. "libvirt 9.0 · network deb (isolated)". */
  layerLabel?: string;
  /** The timeline event that placed the rule, e.g. "SIGHUP to libvirtd after SuSEfirewall2 start". */
  event?: string;
  /** Stable id of that event in the lab's timeline, when there is one. */
  eventId?: string;
  /** The config entry that produced it, e.g. `FW_FORWARD="192.168.90.0/24,192.168.10.0/24"` or "forward mode isolated". */
  reason?: string;
  /** File and 1-based line the rule was read from. */
  file?: string;
  line?: number;
}

// ---------------------------------------------------------------- iptables

export type IptTableName = 'raw' | 'mangle' | 'nat' | 'filter' | 'security';

export const IPT_BUILTIN_CHAINS: Record<IptTableName, readonly string[]> = {
  raw: ['PREROUTING', 'OUTPUT'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  security: ['INPUT', 'FORWARD', 'OUTPUT'],
};

/** Order in which iptables-save prints tables (as observed in the libvirt fixtures). */
export const IPT_SAVE_TABLE_ORDER: readonly IptTableName[] = ['raw', 'mangle', 'filter', 'nat', 'security'];

export interface IptOption {
  /** Long option name without dashes: 'dport', 'ctstate', 'reject-with', 'to-ports'. */
  name: string;
  /** Values exactly as written (most options take one; some none, a few several, e.g. --tcp-flags MASK COMP). */
  values: string[];
  /** `! --dport 22`. */
  negated: boolean;
}

/** One `-m MODULE [options]` block, or the built-in matches under the pseudo module ''. */
export interface IptMatch {
  /** '' for the built-in matches (-s -d -i -o -p -f), else the -m module name ('tcp', 'conntrack', ...). */
  module: string;
  options: IptOption[];
}

export interface IptTarget {
  /** 'ACCEPT', 'DROP', 'REJECT', 'RETURN', 'LOG', 'MASQUERADE', a user chain name, ... */
  name: string;
  /** true for `-g CHAIN` (goto), false for `-j`. */
  goto: boolean;
  options: IptOption[];
}

export interface IptRule {
  matches: IptMatch[];
  /** null: a rule without -j/-g (only counts packets). */
  target: IptTarget | null;
  /** Packet/byte counters when the dump had them (`[p:b] -A ...`). */
  counters?: { packets: number; bytes: number };
  provenance?: Provenance;
}

export interface IptChain {
  name: string;
  /** ACCEPT/DROP for built-in chains, null for user chains (printed as `-`). */
  policy: 'ACCEPT' | 'DROP' | null;
  rules: IptRule[];
  counters?: { packets: number; bytes: number };
  /** Who set the policy last (a layer's `-P FORWARD DROP`: Docker, SuSEfirewall2, ufw), when known. */
  policyProvenance?: Provenance;
}

export interface IptTable {
  name: IptTableName;
  chains: IptChain[];
}

export interface IptRuleset {
  kind: 'iptables';
  family: Family;
  /** Which kernel API holds it. Both may be populated at once and both are evaluated. */
  backend: 'legacy' | 'nft';
  tables: IptTable[];
}

// ---------------------------------------------------------------- nftables

export type NftFamily = 'ip' | 'ip6' | 'inet' | 'bridge' | 'arp' | 'netdev';
export type NftHook = 'prerouting' | 'input' | 'forward' | 'output' | 'postrouting' | 'ingress' | 'egress';

/** Left-hand side of a match, or the key of a set/mangle statement. */
export type NftExpr =
  /** `ip saddr`, `ip6 daddr`, `tcp dport`, `th dport`, `icmp type`, `ether saddr`, ... */
  | { kind: 'payload'; protocol: string; field: string }
  /** `meta l4proto`, and the bare meta keys `iifname`, `oif`, `mark`, `pkttype`, `nfproto`, ... */
  | { kind: 'meta'; key: string }
  /** `ct state`, `ct status`, `ct mark`, `ct original ip saddr` ... */
  | { kind: 'ct'; key: string; direction?: 'original' | 'reply' }
  /** `fib saddr . iif oif`, `fib daddr type` ... */
  | { kind: 'fib'; flags: string[]; result: string }
  /** Anything else, kept verbatim so it prints back unchanged (the evaluator treats it as unknown). */
  | { kind: 'raw'; text: string };

export type NftValue =
  | { kind: 'literal'; text: string }
  /** `192.168.10.0/24` */
  | { kind: 'prefix'; address: string; length: number }
  /** `1024-65535`, `10.0.0.1-10.0.0.9` */
  | { kind: 'range'; from: string; to: string }
  /** `{ 22, 80, 443 }` */
  | { kind: 'set'; elements: NftValue[] }
  /** `@allowed` */
  | { kind: 'setref'; name: string }
  /** Comma-separated flag list: `established,related` */
  | { kind: 'flags'; items: string[] }
  /** `$var` inside an nft -f script before substitution */
  | { kind: 'variable'; name: string };

export type NftMatchOp = '==' | '!=' | '<' | '>' | '<=' | '>=' | 'implicit';

export type NftStatement =
  | { kind: 'match'; left: NftExpr; op: NftMatchOp; right: NftValue }
  | { kind: 'verdict'; verdict: 'accept' | 'drop' | 'continue' | 'return' | 'jump' | 'goto' | 'queue'; chain?: string; queueNum?: string }
  /** `reject`, `reject with icmp type host-prohibited`, `reject with icmpx type admin-prohibited`, `reject with tcp reset` */
  | { kind: 'reject'; withType?: 'icmp' | 'icmpv6' | 'icmpx' | 'tcp reset'; code?: string }
  | { kind: 'nat'; type: 'masquerade' | 'snat' | 'dnat' | 'redirect'; family?: 'ip' | 'ip6'; to?: string; flags?: string[] }
  | { kind: 'counter'; packets?: number; bytes?: number }
  | { kind: 'log'; prefix?: string; level?: string; group?: number; flags?: string[] }
  | { kind: 'limit'; over: boolean; rate: number; unit: string; burst?: number; burstUnit?: string }
  | { kind: 'comment'; text: string }
  /** `meta mark set 0x1`, `ct mark set ...`, `meta nftrace set 1` */
  | { kind: 'set-key'; target: NftExpr; value: string }
  | { kind: 'notrack' }
  /** Statement the parser could not structure; printed verbatim, evaluated as unknown. */
  | { kind: 'other'; text: string };

export interface NftRule {
  statements: NftStatement[];
  handle?: number;
  provenance?: Provenance;
}

export interface NftBaseChainSpec {
  type: 'filter' | 'nat' | 'route';
  hook: NftHook;
  /** Numeric priority (named priorities resolved: filter 0, srcnat 100, ...). */
  priority: number;
  /** How it was written, to print it back ('filter', 'srcnat', 'filter + 10', '-150'). */
  priorityText: string;
  policy?: 'accept' | 'drop';
  device?: string;
}

export interface NftChain {
  name: string;
  base?: NftBaseChainSpec;
  rules: NftRule[];
  handle?: number;
  /** Other lines of the chain block before its rules (`comment "..."`, `devices = { ... }`), kept verbatim. */
  extraLines?: string[];
  /** Base chains: who created the chain with its policy (a layer's `add chain … { policy drop; }`), when known. */
  policyProvenance?: Provenance;
}

export interface NftSet {
  name: string;
  /** true for a map (`map NAME { type a : b; elements = { k : v } }`). */
  isMap: boolean;
  type: string;
  flags?: string[];
  /** Elements as written; null when the contents are not known (then membership is an unknown). */
  elements: string[] | null;
  handle?: number;
  /** Other lines of the set block (`size 65535`, `timeout 1h`, `counter`), kept verbatim so they print back. */
  extraLines?: string[];
}

export interface NftTable {
  family: NftFamily;
  name: string;
  /** Set for tables iptables-nft manages (the `# Warning: table ip filter is managed by iptables-nft` comment). */
  managedBy?: 'iptables-nft';
  chains: NftChain[];
  sets: NftSet[];
  flags?: string[];
  /** `comment "…"` of the table (nft ≥ 0.9.7), as written (quotes kept) so it prints back identically. */
  comment?: string;
  handle?: number;
}

export interface NftRuleset {
  kind: 'nft';
  tables: NftTable[];
}

export type Ruleset = IptRuleset | NftRuleset;

/** A reference to one rule (or a chain policy) for traces and explanations. */
export interface RuleRef {
  source: 'iptables' | 'nft';
  /** iptables: 'legacy'/'nft'; nft: the table family. */
  backend: string;
  family: Family | NftFamily;
  table: string;
  chain: string;
  /** 1-based position in the chain; 0 for the chain policy. */
  position: number;
  /** The rule as written (`-A FORWARD -i virbr3 -j REJECT --reject-with icmp-port-unreachable`, or the nft statement text). */
  text: string;
  provenance?: Provenance;
}
