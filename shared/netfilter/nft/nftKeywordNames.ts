// Names nft refuses. nft's grammar reads a table, chain or set name (and a
// jump/goto target, an `@set` reference) as a plain string token; a word its
// scanner turns into a keyword there is a syntax error ("unexpected fwd,
// expecting string"), and quoting does not help: a quoted string is refused
// in the same places ("unexpected quoted string"). Which keywords: every one
// of the 332 token names in nft 1.0.6's grammar tried as `table ip W`, `chain
// W`, `set W`, `jump W`, `add table`/`add chain` with `nft -c -f` in a
// throwaway namespace — these 141 are refused in all of them, the other 191
// (scoped keywords such as saddr, state, in, last-entry) are accepted, and so
// are hook, type and priority names that are no keywords at all (input,
// forward, filter, nat, raw). `nft list ruleset` still prints such a name when
// another tool created it (nft's JSON API accepts any), so a real host's dump
// may hold one; nft -f cannot read that dump back.

/** Words nft 1.0.6 refuses as a table, chain or set name and as a jump/goto target. */
export const NFT_KEYWORD_NAMES: ReadonlySet<string> = new Set([
  'accept', 'add', 'ah', 'all', 'arp', 'auto-merge', 'bridge', 'cgroup', 'chain', 'comment', 'comp', 'constant',
  'continue', 'counter', 'cpu', 'create', 'ct', 'day', 'dccp', 'define', 'delete', 'describe', 'device', 'devices',
  'dnat', 'drop', 'dst', 'dup', 'dynamic', 'ecn', 'element', 'elements', 'esp', 'ether', 'exists', 'expires',
  'export', 'exthdr', 'fib', 'flags', 'flow', 'flowtable', 'flush', 'frag', 'fwd', 'gc-interval', 'get', 'goto',
  'handle', 'hbh', 'hook', 'hour', 'ibriport', 'ibrname', 'icmp', 'icmpv6', 'igmp', 'iif', 'iifgroup', 'iifname',
  'iiftype', 'import', 'include', 'index', 'inet', 'insert', 'interval', 'ip', 'ip6', 'ipsec', 'jhash', 'jump',
  'limit', 'list', 'log', 'map', 'mark', 'masquerade', 'meta', 'meter', 'mh', 'missing', 'monitor', 'netdev',
  'nftrace', 'notrack', 'numgen', 'obriport', 'obrname', 'offload', 'oif', 'oifgroup', 'oifname', 'oiftype', 'osf',
  'pkttype', 'policy', 'position', 'priority', 'queue', 'quota', 'random', 'redefine', 'redirect', 'reject',
  'rename', 'replace', 'reset', 'return', 'rt', 'rt0', 'rt2', 'rtclassid', 'rule', 'ruleset', 'sctp', 'secmark',
  'set', 'size', 'skgid', 'skuid', 'snat', 'socket', 'srh', 'symhash', 'synproxy', 'table', 'tcp', 'th', 'time',
  'timeout', 'tproxy', 'type', 'typeof', 'udp', 'udplite', 'undefine', 'update', 'vlan', 'vmap', 'xt',
]);

/** The refusal, in nft's terms: `"fwd" is an nft keyword: nft refuses it as a chain name (syntax error, unexpected fwd)`. */
export function keywordNameProblem(word: string, what: string): string {
  return `"${word}" is an nft keyword: nft refuses it as ${what} (syntax error, unexpected ${word}; quoting does not help) — choose another name`;
}
