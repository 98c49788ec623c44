// `nft add table|chain|set` on objects that already exist, `create …` of them, and `delete chain` of a
// referenced chain: each case's scripts go to the real `nft -f -` in a throwaway network namespace
// (one per file, ruleset flushed between cases; nothing on the host is touched) and to the engine
// (applyNftCommand); the first error message and the final `nft list ruleset` must be equal.
// Root only: elsewhere the suite skips with a one-line reason, and fails under CI=true.

import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { NftRuleset } from '../../shared/netfilter/model.ts';
import { applyNftCommand, newNftHandleState, NftCommandError } from '../../shared/netfilter/nft/nftCommand.ts';
import { parseNftScript } from '../../shared/netfilter/nft/parseNftScript.ts';
import { printNftRuleset } from '../../shared/netfilter/nft/printNftRuleset.ts';
import { realitySkipReason } from './netns/realityGuard.ts';

const skip = realitySkipReason(['ip', 'nft']);
const NS = `vwgaps${process.pid}`;

const BASE = 'add table ip t\nadd chain ip t c { type filter hook forward priority 0; policy accept; }';
const NAT = 'add table ip t\nadd chain ip t n { type nat hook postrouting priority 100; policy accept; }';
const SET = 'add table ip t\nadd set ip t s { type ipv4_addr; elements = { 1.1.1.1 }; }';

/** Scripts applied one after another (each its own `nft -f`, so its own transaction). */
const CASES: [string, string[]][] = [
  ['base chain: new policy', [BASE, 'add chain ip t c { type filter hook forward priority filter; policy drop; }']],
  ['base chain: no policy keeps it', [BASE, 'add chain ip t c { type filter hook forward priority 0; policy drop; }', 'add chain ip t c { type filter hook forward priority 0; }', 'add chain ip t c']],
  ['base chain: policy alone', [BASE, 'add chain ip t c { policy drop; }']],
  ['base chain: policy alone in a table block', [BASE, 'table ip t {\n chain c {\n  policy drop;\n }\n}']],
  ['base chain: chain keyword without add', [BASE, 'chain ip t c { type filter hook forward priority 0; policy drop; }']],
  ['base chain: another hook', [BASE, 'add chain ip t c { type filter hook input priority 0; policy drop; }']],
  ['base chain: another priority', [BASE, 'add chain ip t c { type filter hook forward priority 10; policy drop; }']],
  ['base chain: another type and hook', [BASE, 'add chain ip t c { type route hook output priority 0; policy drop; }']],
  ['base chain: another type only', [NAT, 'add chain ip t n { type filter hook postrouting priority 100; policy drop; }']],
  ['base chain: table block with another hook', [BASE, 'table ip t {\n chain c {\n  type filter hook input priority 0; policy drop;\n }\n}']],
  ['regular chain: base spec', ['add table ip t\nadd chain ip t r', 'add chain ip t r { type filter hook input priority 0; policy drop; }']],
  ['regular chain: policy', ['add table ip t\nadd chain ip t r', 'add chain ip t r { policy drop; }']],
  ['new chain: policy without type', ['add table ip t', 'add chain ip t x { policy drop; }']],
  ['create chain: exists', [BASE, 'create chain ip t c { type filter hook forward priority 0; policy drop; }']],
  ['create chain: exists, no body', [BASE, 'create chain ip t c']],
  ['table: flags dormant added', ['add table ip t', 'add table ip t { flags dormant; }']],
  ['table: flags cleared by add table', ['add table ip t { flags dormant; }', 'add table ip t']],
  ['table: owner flag on an existing table', ['add table ip t', 'add table ip t { flags owner; }']],
  ['create table: exists', ['add table ip t', 'create table ip t { flags dormant; }']],
  ['set: same definition adds elements', [SET, 'add set ip t s { type ipv4_addr; elements = { 2.2.2.2 }; }']],
  ['set: table block adds elements', [SET, 'table ip t {\n set s {\n  type ipv4_addr\n  elements = { 3.3.3.3 }\n }\n}']],
  ['set: another type', [SET, 'add set ip t s { type inet_service; }']],
  ['set: other flags', [SET, 'add set ip t s { type ipv4_addr; flags interval; }']],
  ['set: a map of the same name', [SET, 'add map ip t s { type ipv4_addr : ipv4_addr; }']],
  ['set: a timeout', [SET, 'add set ip t s { type ipv4_addr; timeout 10s; }']],
  ['create set: exists', [SET, 'create set ip t s { type ipv4_addr; }']],
  ['delete chain: with rules, not referenced', ['add table ip t\nadd chain ip t a\nadd rule ip t a counter accept', 'delete chain ip t a']],
  ['delete chain: target of a jump', ['add table ip t\nadd chain ip t a\nadd chain ip t b\nadd rule ip t a jump b', 'delete chain ip t b']],
  ['delete chain: in a verdict map', ['add table ip t\nadd chain ip t m\nadd map ip t vm { type ipv4_addr : verdict; }\nadd element ip t vm { 1.2.3.4 : jump m }', 'delete chain ip t m']],
  ['delete chain: missing', ['add table ip t', 'delete chain ip t nosuch']],
];

function nftInNetns(args: string[], input?: string): { status: number; stdout: string; stderr: string } {
  const r = spawnSync('ip', ['netns', 'exec', NS, 'nft', ...args], { input: input ?? '', encoding: 'utf8', timeout: 30_000 });
  return { status: r.status ?? -1, stdout: r.stdout ?? '', stderr: `${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

/** The kernel's answer: the first `Error: …` message of the first failing script, and the listing. */
function real(scripts: string[]): { error: string | null; listing: string } {
  nftInNetns(['flush', 'ruleset']);
  let error: string | null = null;
  for (const script of scripts) {
    const r = nftInNetns(['-f', '-'], `${script}\n`);
    if (r.status !== 0) error ??= /Error: [^\n]*/.exec(r.stderr)?.[0] ?? `nft exit ${r.status}: ${r.stderr}`;
  }
  return { error, listing: nftInNetns(['list', 'ruleset']).stdout };
}

/** The engine's answer for the same scripts. */
function modelled(scripts: string[]): { error: string | null; listing: string } {
  const ruleset: NftRuleset = { kind: 'nft', tables: [] };
  const state = newNftHandleState(ruleset);
  let error: string | null = null;
  for (const script of scripts) {
    try {
      for (const c of parseNftScript(script)) applyNftCommand(ruleset, state, c);
    } catch (e) {
      if (!(e instanceof NftCommandError)) throw e;
      error ??= e.message;
    }
  }
  return { error, listing: printNftRuleset(ruleset) };
}

describe.skipIf(skip !== null)('existing nft objects: the engine answers as the kernel does (throwaway netns)', () => {
  beforeAll(() => {
    execFileSync('ip', ['netns', 'add', NS]);
  });
  afterAll(() => {
    spawnSync('ip', ['netns', 'del', NS]);
  });

  test.each(CASES)('%s', (_name, scripts) => {
    expect(modelled(scripts)).toEqual(real(scripts));
  });

  test('the cases cover both outcomes: some fail, some change the ruleset', () => {
    const errors = CASES.map(([, s]) => real(s).error);
    expect(errors.filter((e) => e === null).length).toBeGreaterThan(5);
    expect(new Set(errors.filter(Boolean))).toEqual(new Set(['Error: Could not process rule: Operation not supported', 'Error: Could not process rule: File exists', 'Error: Could not process rule: Device or resource busy', 'Error: Could not process rule: No such file or directory']));
  });
});
