// Two truths of nft 1.0.6's script syntax, each tried with the real `nft -c -f -`
// in a throwaway network namespace against the parser (parseNftScriptCommands):
//
// Names nft refuses, word by word: each of the 332 token names of nft 1.0.6's
// grammar (NFT_KEYWORD_NAMES: the 141 it refuses; ACCEPTED: the other 191,
// scoped keywords and the grammar's names for punctuation) plus names that are
// no keyword at all, tried as a table name, a chain name, a set name and a
// jump target with the real `nft -c -f -` in a throwaway network namespace; the
// parser must refuse exactly what nft refuses.
//
// Separators: nft ends every item of a block and every top-level block with a
// newline or ";" — `accept }`, `chain x { } }`, `} table ip u` are syntax errors,
// `elements = { … } }` is not.
// Root only: elsewhere the suite skips with a one-line reason, and fails under CI=true.

import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NFT_KEYWORD_NAMES } from '../../shared/netfilter/nft/nftKeywordNames.ts';
import { parseNftScriptCommands } from '../../shared/netfilter/nft/parseNftScript.ts';
import { RulesetParseError } from '../../shared/netfilter/parseError.ts';
import { realitySkipReason } from './netns/realityGuard.ts';

const skip = realitySkipReason(['ip', 'nft']);
const NS = `vwkw${process.pid}`;

/** Token names of nft 1.0.6's grammar that nft accepts as a name (found with this suite). */
const ACCEPTED = [
  'a-rwnd', 'abort', 'ackseq', 'addr', 'asconf', 'asconf-ack', 'avgpkt', 'burst', 'bypass', 'bytes', 'cfi',
  'cgroupv2', 'chains', 'checksum', 'chunk', 'classid', 'code', 'colon', 'comma', 'cookie-ack', 'cookie-echo',
  'count', 'counters', 'cpi', 'csumcov', 'cum-tsn-ack', 'cwr', 'daddr', 'data', 'dei', 'direction', 'doff', 'dport',
  'dscp', 'echo', 'ecne', 'eol', 'error', 'event', 'expectation', 'expiration', 'fanout', 'fastopen', 'flowlabel',
  'flowtables', 'forward-tsn', 'frag-off', 'fully-random', 'gateway', 'group', 'hdrlength', 'heartbeat',
  'heartbeat-ack', 'helper', 'helpers', 'hlen', 'hooks', 'hoplimit', 'htype', 'icmpx', 'id', 'in', 'inc', 'init',
  'init-ack', 'init-tag', 'initial-tsn', 'json', 'junk', 'l3proto', 'label', 'last-entry', 'left', 'length', 'level',
  'limits', 'll', 'lowest-tsn', 'lsrr', 'maps', 'max-delay', 'md5sig', 'memory', 'meters', 'minute', 'mod',
  'more-fragments', 'mptcp', 'mrt', 'mss', 'mtu', 'name', 'new-cum-tsn', 'newline', 'nexthdr', 'nexthop', 'nh',
  'nop', 'num', 'num-dup-tsns', 'num-gap-ack-blocks', 'num-inbound-streams', 'num-outbound-streams', 'number',
  'offset', 'operation', 'option', 'options', 'original', 'out', 'over', 'packets', 'param-problem', 'pcp',
  'performance', 'persistent', 'plen', 'port', 'ppid', 'prefix', 'proto-dst', 'proto-src', 'protocol', 'ptr',
  'ptype', 'queue-threshold', 'quotas', 'ra', 'rate', 'reply', 'reqid', 'reserved', 'reserved2', 'right', 'rr',
  'rules', 'sack', 'sack-permitted', 'sack0', 'sack1', 'sack2', 'sack3', 'saddr', 'secmarks', 'second', 'seed',
  'seg-left', 'semicolon', 'seq', 'seqno', 'sets', 'shutdown', 'shutdown-ack', 'shutdown-complete', 'sid', 'snaplen',
  'spi', 'spnum', 'sport', 'ssn', 'ssrr', 'state', 'status', 'stream', 'string', 'subtype', 'synproxys', 'tables',
  'tag', 'timestamp', 'to', 'trace', 'transparent', 'tsecr', 'tsn', 'tsval', 'ttl', 'until', 'urgptr', 'used',
  'value', 'version', 'vm', 'vtag', 'week', 'wildcard', 'window', 'with', 'wscale', 'xml', 'zone',
];
const NO_KEYWORDS = ['input', 'output', 'forward', 'prerouting', 'postrouting', 'filter', 'nat', 'route', 'raw', 'mangle', 'security', 'srcnat', 'dstnat', 'last', 'new', 'established', 'untracked', 'fwd_nt'];

const CONTEXTS: [string, (w: string) => string][] = [
  ['table name', (w) => `table ip ${w} {\n}\n`],
  ['chain name', (w) => `table ip t {\n\tchain ${w} {\n\t}\n}\n`],
  ['set name', (w) => `table ip t {\n\tset ${w} {\n\t\ttype ipv4_addr\n\t}\n}\n`],
  ['jump target', (w) => `add table ip t\nadd chain ip t c\nadd rule ip t c jump ${w}\n`],
];

const SEPARATOR_CASES = [
  'table ip t { chain x { } }',
  'table ip t { chain x { }; }',
  'table ip t { chain x { } ; chain y { } ; }',
  'table ip t {\n\tchain x {\n\t}}\n',
  'table ip t {\n\tchain x {\n\t} # c\n}\n',
  'table ip t { chain x { type filter hook input priority 0; policy accept; } }',
  'table ip t { chain x { type filter hook input priority 0; policy accept; }; }',
  'table ip t { chain x { type filter hook input priority 0; policy accept }; }',
  'table ip t { chain x { ip saddr 1.2.3.4 accept } }',
  'table ip t { chain x { ip saddr 1.2.3.4 accept; }; }',
  'table ip t {\n\tchain x {\n\t\tip saddr 1.2.3.4 accept }\n}\n',
  'table ip t { chain x { accept # c\n}; }',
  'table ip t { set s { type ipv4_addr; } }',
  'table ip t { set s { type ipv4_addr; }; }',
  'table ip t { set s { type ipv4_addr }; }',
  'table ip t { set s { type ipv4_addr; elements = { 1.2.3.4 } }; }',
  'table ip t { flags dormant }',
  'table ip t { flags dormant; }',
  'table ip t { }; table ip u { }',
  'table ip t { } table ip u { }',
  'table ip t {\n}table ip u {\n}\n',
];

/** Whether nft reads the name: no syntax error (a jump to a chain that does not exist fails later, with ENOENT). */
function nftAccepts(text: string, exists: boolean): boolean {
  const r = spawnSync('ip', ['netns', 'exec', NS, 'nft', '-c', '-f', '-'], { input: text, encoding: 'utf8', timeout: 30_000 });
  return exists ? r.status === 0 : !(r.stderr ?? '').includes('syntax error');
}

function parserAccepts(text: string): boolean {
  try {
    parseNftScriptCommands(text);
    return true;
  } catch (e) {
    if (e instanceof RulesetParseError) return false;
    throw e;
  }
}

describe.skipIf(skip !== null)('nft keywords as names: the parser refuses exactly what nft -c refuses (throwaway netns)', () => {
  beforeAll(() => {
    execFileSync('ip', ['netns', 'add', NS]);
  });
  afterAll(() => {
    spawnSync('ip', ['netns', 'del', NS]);
  });

  it.each(CONTEXTS)('as a %s', { timeout: 120_000 }, (what, make) => {
    const words = [...NFT_KEYWORD_NAMES, ...ACCEPTED, ...NO_KEYWORDS];
    const disagree = words.filter((w) => {
      const real = nftAccepts(make(w), what !== 'jump target');
      return real !== parserAccepts(make(w)) || real === NFT_KEYWORD_NAMES.has(w);
    });
    expect(disagree).toEqual([]);
  });

  it.each(SEPARATOR_CASES)('separators: %s', (text) => {
    expect(parserAccepts(text)).toBe(nftAccepts(text, true));
  });
});
