// nft commands as operations on a ruleset (`nft add table`, `add chain`,
// `insert rule`, `delete rule … handle N`, `flush ruleset`, ...), with the
// kernel's handle numbering: every table has one counter shared by its chains,
// rules and sets, starting at 1, and tables take handles from a global counter
// (fixture v11-nftables/nat-single/ruleset-handles.txt). libvirt deletes its
// rules by stored handle, so after `nft flush ruleset` + restart a fresh table
// hands out the same numbers again and libvirt can delete another network's
// rules (fixture nft-flush-ruleset-restart) — reproducing that needs real handles.

import { EEXIST, EOPNOTSUPP, updateExistingChain, updateExistingSet, updateExistingTable } from './nftExistingObjects.ts';
import type { NftBaseChainSpec, NftChain, NftFamily, NftRule, NftRuleset, NftSet, NftTable, Provenance } from '../model.ts';

export type NftCommand =
  | { op: 'add-table'; family: NftFamily; table: string; flags?: string[] }
  /** `create table` fails if it exists; `add table` does not. */
  | { op: 'create-table'; family: NftFamily; table: string; flags?: string[] }
  | { op: 'delete-table'; family: NftFamily; table: string }
  | { op: 'flush-table'; family: NftFamily; table: string }
  /** On an existing chain: updates the policy or fails as the kernel does (nftExistingObjects.ts). `policy` alone = `{ policy drop; }` without a type. */
  | { op: 'add-chain'; family: NftFamily; table: string; chain: string; base?: NftBaseChainSpec; policy?: 'accept' | 'drop' }
  /** `create chain` fails if it exists. */
  | { op: 'create-chain'; family: NftFamily; table: string; chain: string; base?: NftBaseChainSpec; policy?: 'accept' | 'drop' }
  | { op: 'delete-chain'; family: NftFamily; table: string; chain: string }
  | { op: 'flush-chain'; family: NftFamily; table: string; chain: string }
  /** Append, or after the rule with handle `afterHandle` (`add rule … position N`). */
  | { op: 'add-rule'; family: NftFamily; table: string; chain: string; rule: NftRule; afterHandle?: number }
  /** Prepend, or before the rule with handle `beforeHandle` (`insert rule … position N`). */
  | { op: 'insert-rule'; family: NftFamily; table: string; chain: string; rule: NftRule; beforeHandle?: number }
  | { op: 'replace-rule'; family: NftFamily; table: string; chain: string; handle: number; rule: NftRule }
  | { op: 'delete-rule'; family: NftFamily; table: string; chain: string; handle: number }
  | { op: 'add-set'; family: NftFamily; table: string; set: NftSet }
  /** `create set|map` fails if it exists. */
  | { op: 'create-set'; family: NftFamily; table: string; set: NftSet }
  | { op: 'delete-set'; family: NftFamily; table: string; name: string }
  | { op: 'add-element'; family: NftFamily; table: string; name: string; elements: string[] }
  | { op: 'delete-element'; family: NftFamily; table: string; name: string; elements: string[] }
  /** `flush ruleset [family]`: deletes tables (not only their rules). */
  | { op: 'flush-ruleset'; family?: NftFamily };

export class NftCommandError extends Error {
  constructor(
    message: string,
    readonly command: NftCommand,
  ) {
    super(message);
    this.name = 'NftCommandError';
  }
}

/** Handle counters live beside the ruleset (they are kernel state, not part of the printed text). */
export interface NftHandleState {
  nextTableHandle: number;
  nextObjectHandle: Map<NftTable, number>;
}

export function newNftHandleState(ruleset: NftRuleset): NftHandleState {
  const state: NftHandleState = { nextTableHandle: 1, nextObjectHandle: new Map() };
  for (const t of ruleset.tables) {
    state.nextTableHandle = Math.max(state.nextTableHandle, (t.handle ?? 0) + 1);
    let max = 0;
    for (const c of t.chains) {
      max = Math.max(max, c.handle ?? 0);
      for (const r of c.rules) max = Math.max(max, r.handle ?? 0);
    }
    for (const s of t.sets) max = Math.max(max, s.handle ?? 0);
    state.nextObjectHandle.set(t, max + 1);
  }
  return state;
}

function takeHandle(state: NftHandleState, table: NftTable): number {
  const h = state.nextObjectHandle.get(table) ?? 1;
  state.nextObjectHandle.set(table, h + 1);
  return h;
}

const ENOENT = 'Error: No such file or directory';

function findTable(ruleset: NftRuleset, family: NftFamily, name: string): NftTable | undefined {
  return ruleset.tables.find((t) => t.family === family && t.name === name);
}

function requireTable(ruleset: NftRuleset, command: NftCommand & { family: NftFamily; table: string }): NftTable {
  const table = findTable(ruleset, command.family, command.table);
  if (!table) {
    const other = ruleset.tables.find((t) => t.name === command.table);
    const hint = other ? `; did you mean table '${other.name}' in family ${other.family}?` : '';
    throw new NftCommandError(`${ENOENT}${hint}`, command);
  }
  return table;
}

function requireChain(table: NftTable, command: NftCommand & { chain: string }): NftChain {
  const chain = table.chains.find((c) => c.name === command.chain);
  if (!chain) throw new NftCommandError(`Error: Could not process rule: ${ENOENT.slice('Error: '.length)}`, command);
  return chain;
}

function ruleIndex(chain: NftChain, handle: number, command: NftCommand): number {
  const i = chain.rules.findIndex((r) => r.handle === handle);
  if (i < 0) throw new NftCommandError(`Error: Could not process rule: ${ENOENT.slice('Error: '.length)}`, command);
  return i;
}

function jumpTargets(rule: NftRule): string[] {
  return rule.statements.flatMap((s) => (s.kind === 'verdict' && (s.verdict === 'jump' || s.verdict === 'goto') && s.chain ? [s.chain] : []));
}

/** Jumps/gotos to `name` from rules (verdicts, verdict maps written inline) and from verdict map elements (`1.2.3.4 : jump name`). */
function isReferenced(table: NftTable, name: string): boolean {
  const jumpTo = new RegExp(`\\b(?:jump|goto) "?${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"?(?![\\w.-])`);
  const inRules = table.chains.some((c) => c.rules.some((r) => jumpTargets(r).includes(name) || r.statements.some((s) => s.kind === 'other' && jumpTo.test(s.text))));
  return inRules || table.sets.some((s) => s.isMap && (s.elements ?? []).some((e) => jumpTo.test(e)));
}

function checkJumps(table: NftTable, rule: NftRule, command: NftCommand): void {
  for (const target of jumpTargets(rule)) {
    if (!table.chains.some((c) => c.name === target)) throw new NftCommandError(`Error: Could not process rule: ${ENOENT.slice('Error: '.length)}`, command);
  }
}

function stamp(rule: NftRule, handle: number, provenance: Provenance | undefined): NftRule {
  return { ...rule, handle, provenance: provenance ? { ...rule.provenance, ...provenance } : rule.provenance };
}

/** Applies one command in place; throws NftCommandError (nft's wording) and leaves the ruleset unchanged on failure. Returns the new object's handle, if any. */
export function applyNftCommand(ruleset: NftRuleset, state: NftHandleState, command: NftCommand, provenance?: Provenance): number | undefined {
  switch (command.op) {
    case 'add-table':
    case 'create-table': {
      const existing = findTable(ruleset, command.family, command.table);
      if (existing) {
        const error = command.op === 'create-table' ? EEXIST : updateExistingTable(existing, command.flags);
        if (error) throw new NftCommandError(error, command);
        return existing.handle;
      }
      const table: NftTable = { family: command.family, name: command.table, chains: [], sets: [], handle: state.nextTableHandle++ };
      if (command.flags?.length) table.flags = command.flags;
      ruleset.tables.push(table);
      state.nextObjectHandle.set(table, 1);
      return table.handle;
    }
    case 'delete-table': {
      const table = requireTable(ruleset, command);
      ruleset.tables = ruleset.tables.filter((t) => t !== table);
      state.nextObjectHandle.delete(table);
      return undefined;
    }
    case 'flush-table': {
      const table = requireTable(ruleset, command);
      for (const c of table.chains) c.rules = [];
      return undefined;
    }
    case 'add-chain':
    case 'create-chain': {
      const table = requireTable(ruleset, command);
      const existing = table.chains.find((c) => c.name === command.chain);
      if (existing) {
        const error = command.op === 'create-chain' ? EEXIST : updateExistingChain(existing, command.base, command.policy, provenance);
        if (error) throw new NftCommandError(error, command);
        return existing.handle;
      }
      // A policy needs a hook: `add chain t c { policy drop; }` for a new chain is refused.
      if (command.policy && !command.base) throw new NftCommandError(EOPNOTSUPP, command);
      const chain: NftChain = { name: command.chain, rules: [], handle: takeHandle(state, table) };
      if (command.base) {
        chain.base = command.base;
        if (provenance) chain.policyProvenance = provenance;
      }
      table.chains.push(chain);
      return chain.handle;
    }
    case 'delete-chain': {
      const table = requireTable(ruleset, command);
      const chain = requireChain(table, command);
      // The kernel deletes the chain's own rules with it (nft 1.0.6, Linux 6.18; the man page's "must not
      // contain any rules" is older); a jump or goto to it from elsewhere, a verdict map element included, is EBUSY.
      const referencedElsewhere = isReferenced({ ...table, chains: table.chains.filter((c) => c !== chain) }, chain.name);
      if (referencedElsewhere) throw new NftCommandError('Error: Could not process rule: Device or resource busy', command);
      table.chains = table.chains.filter((c) => c !== chain);
      return undefined;
    }
    case 'flush-chain': {
      requireChain(requireTable(ruleset, command), command).rules = [];
      return undefined;
    }
    case 'add-rule':
    case 'insert-rule': {
      const table = requireTable(ruleset, command);
      const chain = requireChain(table, command);
      checkJumps(table, command.rule, command);
      let index: number;
      if (command.op === 'add-rule') index = command.afterHandle === undefined ? chain.rules.length : ruleIndex(chain, command.afterHandle, command) + 1;
      else index = command.beforeHandle === undefined ? 0 : ruleIndex(chain, command.beforeHandle, command);
      const handle = takeHandle(state, table);
      chain.rules.splice(index, 0, stamp(command.rule, handle, provenance));
      return handle;
    }
    case 'replace-rule': {
      const table = requireTable(ruleset, command);
      const chain = requireChain(table, command);
      checkJumps(table, command.rule, command);
      const i = ruleIndex(chain, command.handle, command);
      chain.rules[i] = stamp(command.rule, command.handle, provenance);
      return command.handle;
    }
    case 'delete-rule': {
      const table = requireTable(ruleset, command);
      const chain = requireChain(table, command);
      chain.rules.splice(ruleIndex(chain, command.handle, command), 1);
      return undefined;
    }
    case 'add-set':
    case 'create-set': {
      const table = requireTable(ruleset, command);
      const existing = table.sets.find((s) => s.name === command.set.name);
      if (existing) {
        const error = command.op === 'create-set' ? EEXIST : updateExistingSet(existing, command.set);
        if (error) throw new NftCommandError(error, command);
        return existing.handle;
      }
      const set: NftSet = { ...command.set, handle: takeHandle(state, table) };
      table.sets.push(set);
      return set.handle;
    }
    case 'delete-set': {
      const table = requireTable(ruleset, command);
      if (!table.sets.some((s) => s.name === command.name)) throw new NftCommandError(ENOENT, command);
      table.sets = table.sets.filter((s) => s.name !== command.name);
      return undefined;
    }
    case 'add-element':
    case 'delete-element': {
      const table = requireTable(ruleset, command);
      const set = table.sets.find((s) => s.name === command.name);
      if (!set) throw new NftCommandError(ENOENT, command);
      const current = set.elements ?? [];
      set.elements =
        command.op === 'add-element'
          ? [...current, ...command.elements.filter((e) => !current.includes(e))]
          : current.filter((e) => !command.elements.includes(e));
      return undefined;
    }
    case 'flush-ruleset': {
      const removed = ruleset.tables.filter((t) => command.family === undefined || t.family === command.family);
      ruleset.tables = ruleset.tables.filter((t) => !removed.includes(t));
      for (const t of removed) state.nextObjectHandle.delete(t);
      return undefined;
    }
  }
}
