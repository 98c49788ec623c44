// `nft add table|chain|set` on objects that exist, and `delete chain` of a referenced chain: the
// engine does what nft 1.0.6 on Linux 6.18 did (test/reality/nft-existing-objects.test.ts runs the
// same scripts against the kernel).
import { describe, expect, test } from 'vitest';
import { applyNftCommand, newNftHandleState, NftCommandError } from './nftCommand.ts';
import { parseNftScript } from './parseNftScript.ts';
import { printNftRuleset } from './printNftRuleset.ts';
import type { NftRuleset } from '../model.ts';

/** Applies each script in turn; returns nft's error for the first failing one, or null, and the listing. */
function run(...scripts: string[]): { error: string | null; listing: string } {
  const ruleset: NftRuleset = { kind: 'nft', tables: [] };
  const state = newNftHandleState(ruleset);
  let error: string | null = null;
  for (const script of scripts) {
    try {
      for (const c of parseNftScript(script)) applyNftCommand(ruleset, state, c, { layer: 'own-script', line: 1 });
    } catch (e) {
      if (!(e instanceof NftCommandError)) throw e;
      error ??= e.message;
    }
  }
  return { error, listing: printNftRuleset(ruleset) };
}

const BASE = 'add table ip t\nadd chain ip t c { type filter hook forward priority 0; policy accept; }';

describe('add chain on an existing base chain', () => {
  test('same type, hook and priority: the policy changes (named priority or number)', () => {
    expect(run(BASE, 'add chain ip t c { type filter hook forward priority filter; policy drop; }').listing).toContain('policy drop;');
    expect(run(BASE, 'chain ip t c { type filter hook forward priority 0; policy drop; }').error).toBeNull();
  });

  test('without a policy the policy is kept; a policy alone changes it', () => {
    const dropped = 'add chain ip t c { type filter hook forward priority 0; policy drop; }';
    expect(run(BASE, dropped, 'add chain ip t c { type filter hook forward priority 0; }').listing).toContain('policy drop;');
    expect(run(BASE, dropped, 'add chain ip t c').listing).toContain('policy drop;');
    expect(run(BASE, dropped, 'add chain ip t c { policy accept; }').listing).toContain('policy accept;');
    expect(run(BASE, 'table ip t {\n chain c {\n  policy drop;\n }\n}\n').listing).toContain('policy drop;');
  });

  test('the chain policy provenance names the command that changed it', () => {
    const ruleset: NftRuleset = { kind: 'nft', tables: [] };
    const state = newNftHandleState(ruleset);
    for (const c of parseNftScript(BASE)) applyNftCommand(ruleset, state, c, { layer: 'libvirt', line: 1 });
    for (const c of parseNftScript('add chain ip t c { policy drop; }')) applyNftCommand(ruleset, state, c, { layer: 'own-script', line: 7 });
    expect(ruleset.tables[0].chains[0].policyProvenance).toEqual({ layer: 'own-script', line: 7 });
  });

  test('another hook or priority: Operation not supported; another type only: File exists; nothing changes', () => {
    for (const spec of ['type filter hook input priority 0', 'type filter hook forward priority 10', 'type route hook output priority 0']) {
      const r = run(BASE, `add chain ip t c { ${spec}; policy drop; }`);
      expect(r.error, spec).toBe('Error: Could not process rule: Operation not supported');
      expect(r.listing, spec).toContain('type filter hook forward priority filter; policy accept;');
    }
    const nat = 'add table ip t\nadd chain ip t n { type nat hook postrouting priority 100; policy accept; }';
    expect(run(nat, 'add chain ip t n { type filter hook postrouting priority 100; policy drop; }').error).toBe('Error: Could not process rule: File exists');
    expect(run(nat, 'add chain ip t n { type filter hook postrouting priority 50; }').error).toBe('Error: Could not process rule: Operation not supported');
  });

  test('a base spec or a policy for a regular chain, or a policy for a new chain: Operation not supported', () => {
    expect(run('add table ip t\nadd chain ip t r', 'add chain ip t r { type filter hook input priority 0; policy drop; }').error).toBe('Error: Could not process rule: Operation not supported');
    expect(run('add table ip t\nadd chain ip t r', 'add chain ip t r { policy drop; }').error).toBe('Error: Could not process rule: Operation not supported');
    expect(run('add table ip t', 'add chain ip t x { policy drop; }')).toEqual({ error: 'Error: Could not process rule: Operation not supported', listing: 'table ip t {\n}\n' });
  });

  test('create chain of an existing chain: File exists, whatever the spec', () => {
    expect(run(BASE, 'create chain ip t c').error).toBe('Error: Could not process rule: File exists');
    expect(run(BASE, 'create chain ip t c { type filter hook forward priority 0; policy accept; }').error).toBe('Error: Could not process rule: File exists');
    expect(run('add table ip t', 'create chain ip t c { type filter hook input priority 0; policy drop; }').error).toBeNull();
  });

  test('a dump (nft list ruleset) with a policy and no type is still refused', async () => {
    const { parseNft } = await import('./parseNft.ts');
    expect(() => parseNft('table ip t {\n\tchain c {\n\t\tpolicy drop;\n\t}\n}\n')).toThrow(/a policy needs a base chain/);
  });
});

describe('add table on an existing table', () => {
  test('flags are replaced: dormant set, then cleared by a plain add table', () => {
    expect(run('add table ip t', 'add table ip t { flags dormant; }').listing).toBe('table ip t {\n\tflags dormant\n}\n');
    expect(run('add table ip t { flags dormant; }', 'add table ip t').listing).toBe('table ip t {\n}\n');
  });

  test('create table of an existing table: File exists', () => {
    expect(run('add table ip t', 'create table ip t { flags dormant; }')).toEqual({ error: 'Error: Could not process rule: File exists', listing: 'table ip t {\n}\n' });
  });

  test('the owner flag cannot be added to an existing table', () => {
    expect(run('add table ip t', 'add table ip t { flags owner; }').error).toBe('Error: Could not process rule: Operation not supported');
  });
});

describe('add set on an existing set', () => {
  const SET = 'add table ip t\nadd set ip t s { type ipv4_addr; elements = { 1.1.1.1 }; }';
  test('same definition: the elements are added', () => {
    expect(run(SET, 'add set ip t s { type ipv4_addr; elements = { 2.2.2.2 }; }').listing).toContain('elements = { 1.1.1.1, 2.2.2.2 }');
    expect(run(SET, 'table ip t {\n set s {\n  type ipv4_addr\n  elements = { 3.3.3.3 }\n }\n}\n').error).toBeNull();
  });

  test('another type, flags, kind or timeout: File exists, elements unchanged', () => {
    for (const other of ['add set ip t s { type inet_service; }', 'add set ip t s { type ipv4_addr; flags interval; elements = { 3.3.3.3 }; }', 'add map ip t s { type ipv4_addr : ipv4_addr; }', 'add set ip t s { type ipv4_addr; timeout 10s; }']) {
      const r = run(SET, other);
      expect(r.error, other).toBe('Error: Could not process rule: File exists');
      expect(r.listing, other).toContain('elements = { 1.1.1.1 }');
    }
  });

  test('create set of an existing set: File exists', () => {
    expect(run(SET, 'create set ip t s { type ipv4_addr; }').error).toBe('Error: Could not process rule: File exists');
  });
});

describe('delete chain', () => {
  test('a chain with rules that nothing jumps to is deleted with its rules', () => {
    expect(run('add table ip t\nadd chain ip t a\nadd rule ip t a counter accept', 'delete chain ip t a')).toEqual({ error: null, listing: 'table ip t {\n}\n' });
  });

  test('a jump from a rule or from a verdict map element: Device or resource busy', () => {
    const busy = 'Error: Could not process rule: Device or resource busy';
    expect(run('add table ip t\nadd chain ip t a\nadd chain ip t b\nadd rule ip t a jump b', 'delete chain ip t b').error).toBe(busy);
    expect(run('add table ip t\nadd chain ip t m\nadd map ip t vm { type ipv4_addr : verdict; }\nadd element ip t vm { 1.2.3.4 : jump m }', 'delete chain ip t m').error).toBe(busy);
    expect(run('add table ip t\nadd chain ip t m\nadd chain ip t m2\nadd chain ip t a\nadd rule ip t a ip saddr vmap { 10.0.0.1 : goto m }', 'delete chain ip t m2', 'delete chain ip t m').error).toBe(busy);
  });

  test('a missing chain: No such file or directory', () => {
    expect(run('add table ip t', 'delete chain ip t nosuch').error).toBe('Error: Could not process rule: No such file or directory');
  });
});
