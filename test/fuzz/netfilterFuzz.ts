// Robustness of every netfilter parser: mutated real inputs (fixture dumps,
// generated rulesets, the seed's excerpts, nft scripts, command lines) must
// either parse or throw RulesetParseError with sane positions — never another
// exception, never a hang, never super-linear time. Deterministic: fast-check
// with a fixed seed. `npm run fuzz` runs ≥ 100k inputs (scripts/fuzz.mjs); a
// short run is part of `npm test` (shared/netfilter/parseRuleset.fuzz.test.ts).

import fc from 'fast-check';
import { generateFirewallSave } from '../../bench/gen/firewallGenerator.ts';
import { generateNftList } from '../../bench/gen/nftGenerator.ts';
import { parseIptablesCommandLine } from '../../shared/netfilter/iptables/parseIptablesCommandLine.ts';
import { parseIptablesS } from '../../shared/netfilter/iptables/parseIptablesS.ts';
import { parseIptablesSave } from '../../shared/netfilter/iptables/parseIptablesSave.ts';
import { parseIptablesScript } from '../../shared/netfilter/iptables/parseIptablesScript.ts';
import { printIptablesSave } from '../../shared/netfilter/iptables/printIptablesSave.ts';
import { parseNft } from '../../shared/netfilter/nft/parseNft.ts';
import { parseNftCommandLine } from '../../shared/netfilter/nft/parseNftCommandLine.ts';
import { parseNftScript } from '../../shared/netfilter/nft/parseNftScript.ts';
import { printNftRuleset } from '../../shared/netfilter/nft/printNftRuleset.ts';
import { RulesetParseError } from '../../shared/netfilter/parseError.ts';
import { parseRuleset } from '../../shared/netfilter/parseRuleset.ts';

export interface FuzzCorpus {
  texts: string[];
}

/** Small real and generated inputs of every format (the caller adds fixture files). */
export function builtinCorpus(): string[] {
  return [
    generateFirewallSave({ rules: 60, seed: 11 }),
    generateFirewallSave({ rules: 60, seed: 12, family: 'ipv6', header: true }),
    generateNftList({ rules: 60, seed: 13 }),
    '-P INPUT DROP\n-N fw\n-A INPUT -i lo -j ACCEPT\n.....\n-A INPUT -p tcp -m multiport --dports 22,80 -m conntrack --ctstate NEW -j fw\n-A fw -m limit --limit 3/min -j LOG --log-prefix "FW "\n',
    '#!/bin/sh\nIPT=/sbin/iptables\n$IPT -t nat -A POSTROUTING -s 10.0.0.0/8 -o eth0 -j MASQUERADE\nip6tables -I FORWARD 1 -m physdev --physdev-is-bridged -j ACCEPT || true\nnft add rule inet f c tcp dport { 22, 80 } accept\n',
    'define LAN = 192.168.1.0/24\ntable inet f {\n\tset s { type ipv4_addr; flags interval; elements = { 10.0.0.0/8 } }\n\tchain c { type filter hook input priority filter + 10; policy drop;\n\t\tip saddr $LAN ct state established,related counter accept\n\t\tiifname "eth*" reject with icmpx admin-prohibited\n\t}\n}\nadd rule inet f c position 2 log prefix "x" drop\n',
  ];
}

const TOKENS = [
  '-A', '-I', '-D', '-N', '-P', '-X', '-F', '-t', '-j', '-g', '-m', '-p', '-s', '-d', '-i', '-o', '!', '--dport', '--sport', '--ctstate',
  '--reject-with', '--log-prefix', '--comment', '--to-ports', 'tcp', 'udp', 'icmp', 'ACCEPT', 'DROP', 'REJECT', 'LOG', 'RETURN', '*filter',
  '*nat', 'COMMIT', ':INPUT ACCEPT', ':X -', '...', '…', '"', "'", '\\', '{', '}', ';', '(', ')', '|', '&&', '$', '$X', '${Y}', 'table', 'chain',
  'set', 'map', 'elements', '=', 'type', 'hook', 'priority', 'policy', 'filter', 'nat', 'jump', 'goto', 'accept', 'drop', 'reject', 'with',
  'ip', 'ip6', 'inet', 'saddr', 'daddr', 'ct', 'state', 'meta', 'counter', 'log', 'limit', 'rate', 'comment', '#', '# handle 7', '/', ':',
  '10.0.0.0/8', 'fd00::/64', '::', '999999999999', '-1', '0x', '65536', 'iptables', 'ip6tables', 'nft', 'add', 'insert', 'define',
  'include', '\t', '\n', '\r\n', ' ', '', 'é', '\u0000', '𝕏', '[1:2]', '[', ']', 'x'.repeat(300),
];

type Mutation =
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'insert'; at: number; token: string }
  | { kind: 'duplicate-line'; line: number; times: number }
  | { kind: 'swap-lines'; a: number; b: number }
  | { kind: 'replace-char'; at: number; char: string }
  | { kind: 'truncate'; at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), token: fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 6 })) }),
  fc.record({ kind: fc.constant('duplicate-line' as const), line: fc.nat(), times: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('swap-lines' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ kind: fc.constant('replace-char' as const), at: fc.nat(), char: fc.oneof(fc.constantFrom(' ', '"', '{', '}', '!', '-', '.', ':', '/', ',', '\n', '#'), fc.string({ minLength: 1, maxLength: 1, unit: 'binary' })) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

export function applyMutations(text: string, mutations: Mutation[]): string {
  let t = text;
  for (const m of mutations) {
    const n = Math.max(1, t.length);
    switch (m.kind) {
      case 'delete': {
        const at = m.at % n;
        t = t.slice(0, at) + t.slice(at + m.length);
        break;
      }
      case 'insert': {
        const at = m.at % (t.length + 1);
        t = `${t.slice(0, at)}${m.token}${t.slice(at)}`;
        break;
      }
      case 'duplicate-line': {
        const lines = t.split('\n');
        const i = m.line % lines.length;
        lines.splice(i, 0, ...new Array<string>(m.times).fill(lines[i]));
        t = lines.join('\n');
        break;
      }
      case 'swap-lines': {
        const lines = t.split('\n');
        const a = m.a % lines.length;
        const b = m.b % lines.length;
        [lines[a], lines[b]] = [lines[b], lines[a]];
        t = lines.join('\n');
        break;
      }
      case 'replace-char': {
        const at = m.at % n;
        t = t.slice(0, at) + m.char + t.slice(at + 1);
        break;
      }
      case 'truncate':
        t = t.slice(0, m.at % (t.length + 1));
        break;
    }
  }
  return t;
}

type Parser = { name: string; run: (text: string) => unknown };

/** Every parser, each also exercised on its own printer's output when it succeeds. */
export const PARSERS: readonly Parser[] = [
  { name: 'parseIptablesSave', run: (t) => printIptablesSave(parseIptablesSave(t).ruleset) },
  { name: 'parseIptablesSave(lenient)', run: (t) => parseIptablesSave(t, { lenient: true }) },
  { name: 'parseIptablesS', run: (t) => printIptablesSave(parseIptablesS(t, { lenient: true }).ruleset) },
  { name: 'parseIptablesScript', run: (t) => parseIptablesScript(t) },
  { name: 'parseNft', run: (t) => printNftRuleset(parseNft(t).ruleset, { handles: true }) },
  { name: 'parseNftScript', run: (t) => parseNftScript(t) },
  { name: 'parseRuleset', run: (t) => parseRuleset(t) },
  {
    name: 'command lines',
    run: (t) => {
      for (const line of t.split('\n').slice(0, 20)) {
        try {
          if (/nft/.test(line)) parseNftCommandLine(line);
          else parseIptablesCommandLine(line);
        } catch (e) {
          check(e, 1, 'command line');
        }
      }
    },
  },
];

export class FuzzFailure extends Error {}

/** Throws FuzzFailure unless `e` is a RulesetParseError with positions inside the text. */
function check(e: unknown, lineCount: number, parser: string): void {
  if (!(e instanceof RulesetParseError)) throw new FuzzFailure(`${parser} threw ${e instanceof Error ? `${e.name}: ${e.message}\n${e.stack}` : String(e)}`);
  if (e.problems.length === 0) throw new FuzzFailure(`${parser}: RulesetParseError without problems`);
  for (const p of e.problems) {
    if (!Number.isInteger(p.line) || p.line < 1 || p.line > lineCount + 1 || !Number.isInteger(p.column) || p.column < 1 || !p.message) {
      throw new FuzzFailure(`${parser}: bad problem position ${JSON.stringify(p)} (text has ${lineCount} lines)`);
    }
  }
}

/** Per input and parser: a parse of a few KB must not take seconds (quadratic paths). */
const SLOW_MS = 1500;

export function runParsers(text: string): void {
  const lineCount = text.split('\n').length;
  for (const parser of PARSERS) {
    const start = Date.now();
    try {
      parser.run(text);
    } catch (e) {
      if (e instanceof FuzzFailure) throw e;
      check(e, parser.name === 'command lines' ? 1 : lineCount, parser.name);
    }
    const ms = Date.now() - start;
    if (ms > SLOW_MS && text.length < 200_000) throw new FuzzFailure(`${parser.name} took ${ms} ms on ${text.length} characters`);
  }
}

export interface FuzzResult {
  inputs: number;
  failure?: { message: string; input: string; seed: number; index: number };
}

export type FuzzCase = [corpusIndex: number, mutations: Mutation[]];

/** The cases of a run: deterministic for (seed, runs, corpus size), so any one can be regenerated by index. */
export function fuzzCases(seed: number, runs: number, corpusSize: number): FuzzCase[] {
  const arb = fc.tuple(fc.nat({ max: corpusSize - 1 }), fc.oneof(fc.array(mutation, { minLength: 1, maxLength: 1 }), fc.array(mutation, { minLength: 1, maxLength: 6 })));
  return fc.sample(arb, { seed, numRuns: runs });
}

export function fuzzInput(corpus: string[], fuzzCase: FuzzCase): string {
  return applyMutations(corpus[fuzzCase[0]], fuzzCase[1]);
}

export function fuzzNetfilterParsers(options: { runs: number; seed: number; corpus: string[]; from?: number; onProgress?: (done: number) => void }): FuzzResult {
  const cases = fuzzCases(options.seed, options.runs, options.corpus.length);
  let done = 0;
  for (let index = options.from ?? 0; index < cases.length; index++) {
    const input = fuzzInput(options.corpus, cases[index]);
    options.onProgress?.(index);
    try {
      runParsers(input);
    } catch (e) {
      return { inputs: done, failure: { message: e instanceof Error ? e.message : String(e), input, seed: options.seed, index } };
    }
    done++;
  }
  return { inputs: done };
}

/** A big input (thousands of lines, long lines, deep nesting) for the super-linear-time check. */
export function hugeInputs(): string[] {
  const save = generateFirewallSave({ rules: 10000, seed: 5 });
  return [
    save,
    `*filter\n${'-A INPUT '.repeat(20000)}\nCOMMIT\n`,
    `${'{ '.repeat(20000)}${'} '.repeat(20000)}\n`,
    `table ip t {\n\tchain c {\n\t\tip saddr { ${Array.from({ length: 20000 }, (_, i) => `10.${i >> 8 & 255}.${i & 255}.1`).join(', ')} } accept\n\t}\n}\n`,
    `${'"'.repeat(50000)}\n`,
    '.\n'.repeat(50000),
    `iptables -A INPUT ${'! '.repeat(10000)}-j ACCEPT\n`,
    `define A = 1\n${Array.from({ length: 2000 }, (_, i) => `define V${i} = $${i ? `V${i - 1}` : 'A'}`).join('\n')}\n`,
  ];
}
