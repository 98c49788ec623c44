// iptables commands as operations on a ruleset: what `iptables -t T -I CHAIN …`,
// `-A`, `-D`, `-R`, `-F`, `-X`, `-N`, `-P`, `-Z`, `-E` do to the kernel's tables.
// Layer generators (libvirt, SuSEfirewall2, ufw, Docker, own scripts) emit these
// so the effective ruleset is the fold of what each tool ran, in order — which
// is how libvirt's `--insert` ends up above rules appended earlier.

import { IPT_BUILTIN_CHAINS, type Family, type IptChain, type IptRule, type IptRuleset, type IptTable, type IptTableName, type Provenance } from '../model.ts';

export type IptCommand =
  | { op: 'append'; table: IptTableName; chain: string; rule: IptRule }
  /** 1-based position; iptables' default for -I is 1. */
  | { op: 'insert'; table: IptTableName; chain: string; position: number; rule: IptRule }
  /** -D by rule specification (first rule equal to `rule`) or by 1-based number. */
  | { op: 'delete'; table: IptTableName; chain: string; rule?: IptRule; position?: number }
  | { op: 'replace'; table: IptTableName; chain: string; position: number; rule: IptRule }
  /** -F [chain]: without chain every chain of the table. */
  | { op: 'flush'; table: IptTableName; chain?: string }
  /** -X [chain]: without chain every (empty, unreferenced) user chain of the table. */
  | { op: 'delete-chain'; table: IptTableName; chain?: string }
  | { op: 'new-chain'; table: IptTableName; chain: string }
  | { op: 'policy'; table: IptTableName; chain: string; policy: 'ACCEPT' | 'DROP' }
  | { op: 'zero'; table: IptTableName; chain?: string }
  | { op: 'rename-chain'; table: IptTableName; chain: string; newName: string }
  /** -C: changes nothing; fails like iptables when no equal rule exists (scripts use it as `-C … || -A …`). */
  | { op: 'check'; table: IptTableName; chain: string; rule: IptRule }
  /** -L / -S (libvirt runs `--list-rules` before adding its chains): changes nothing; fails when the chain is missing. */
  | { op: 'list'; table: IptTableName; chain?: string; format: 'rules' | 'table' };

/** Why a command failed, with iptables' own wording where there is one. */
export class IptCommandError extends Error {
  constructor(
    message: string,
    readonly command: IptCommand,
  ) {
    super(message);
    this.name = 'IptCommandError';
  }
}

export function emptyIptRuleset(family: Family, backend: 'legacy' | 'nft'): IptRuleset {
  return { kind: 'iptables', family, backend, tables: [] };
}

function builtinTable(name: IptTableName): IptTable {
  return { name, chains: IPT_BUILTIN_CHAINS[name].map((c) => ({ name: c, policy: 'ACCEPT', rules: [] })) };
}

/** The table, created with its built-in chains (policy ACCEPT) on first use, as the kernel does. */
export function ensureTable(ruleset: IptRuleset, name: IptTableName): IptTable {
  let table = ruleset.tables.find((t) => t.name === name);
  if (!table) {
    table = builtinTable(name);
    ruleset.tables.push(table);
  }
  return table;
}

function findChain(table: IptTable, name: string): IptChain | undefined {
  return table.chains.find((c) => c.name === name);
}

function isBuiltin(table: IptTableName, chain: string): boolean {
  return IPT_BUILTIN_CHAINS[table].includes(chain);
}

function requireChain(table: IptTable, command: IptCommand, chain: string): IptChain {
  const found = findChain(table, chain);
  if (!found) throw new IptCommandError('iptables: No chain/target/match by that name.', command);
  return found;
}

/** Chains a rule jumps or goes to (for -X "Too many links" and for target existence). */
function referencedChains(table: IptTable): Set<string> {
  const refs = new Set<string>();
  for (const c of table.chains) for (const r of c.rules) if (r.target && findChain(table, r.target.name)) refs.add(r.target.name);
  return refs;
}

/** Targets provided by iptables extensions (libxt_NAME, libipt_NAME); anything else must be a chain of the table. */
export const IPT_EXTENSION_TARGETS: ReadonlySet<string> = new Set([
  'ACCEPT', 'DROP', 'RETURN', 'QUEUE', 'REJECT', 'LOG', 'NFLOG', 'ULOG', 'MASQUERADE', 'SNAT', 'DNAT', 'REDIRECT',
  'NETMAP', 'MARK', 'CONNMARK', 'CT', 'NOTRACK', 'TCPMSS', 'CHECKSUM', 'TRACE', 'CLASSIFY', 'DSCP', 'TOS', 'TTL', 'HL',
  'SET', 'NFQUEUE', 'AUDIT', 'SECMARK', 'CONNSECMARK', 'TPROXY', 'TEE', 'IDLETIMER', 'LED', 'HMARK', 'SYNPROXY',
  'RATEEST', 'CLUSTERIP', 'ECN', 'TCPOPTSTRIP',
]);

function checkTarget(table: IptTable, command: IptCommand, rule: IptRule): void {
  const target = rule.target;
  if (!target) return;
  if (findChain(table, target.name)) return;
  // `-g` needs a chain; `-j X` with X neither an extension nor a chain is what iptables reports as
  // "Couldn't load target" (e.g. libvirt's jump after its chains were deleted with -X).
  if (target.goto || !IPT_EXTENSION_TARGETS.has(target.name)) {
    throw new IptCommandError(`iptables: Couldn't load target \`${target.name}':No such file or directory`, command);
  }
}

function sameRule(a: IptRule, b: IptRule): boolean {
  return JSON.stringify([a.matches, a.target]) === JSON.stringify([b.matches, b.target]);
}

function withProvenance(rule: IptRule, provenance: Provenance | undefined): IptRule {
  return provenance ? { ...rule, provenance: { ...rule.provenance, ...provenance } } : rule;
}

/**
 * Applies one command in place. Throws IptCommandError where iptables would fail
 * (missing chain, deleting a referenced or non-empty chain, bad position), leaving
 * the ruleset unchanged.
 */
export function applyIptCommand(ruleset: IptRuleset, command: IptCommand, provenance?: Provenance): void {
  const table = ensureTable(ruleset, command.table);
  switch (command.op) {
    case 'append': {
      const chain = requireChain(table, command, command.chain);
      checkTarget(table, command, command.rule);
      chain.rules.push(withProvenance(command.rule, provenance));
      return;
    }
    case 'insert': {
      const chain = requireChain(table, command, command.chain);
      checkTarget(table, command, command.rule);
      if (command.position < 1 || command.position > chain.rules.length + 1) {
        throw new IptCommandError('iptables: Index of insertion too big.', command);
      }
      chain.rules.splice(command.position - 1, 0, withProvenance(command.rule, provenance));
      return;
    }
    case 'delete': {
      const chain = requireChain(table, command, command.chain);
      let index = -1;
      if (command.position !== undefined) index = command.position - 1;
      else if (command.rule) index = chain.rules.findIndex((r) => sameRule(r, command.rule as IptRule));
      if (index < 0 || index >= chain.rules.length) {
        throw new IptCommandError(
          command.position !== undefined ? 'iptables: Index of deletion too big.' : 'iptables: Bad rule (does a matching rule exist in that chain?).',
          command,
        );
      }
      chain.rules.splice(index, 1);
      return;
    }
    case 'replace': {
      const chain = requireChain(table, command, command.chain);
      checkTarget(table, command, command.rule);
      if (command.position < 1 || command.position > chain.rules.length) throw new IptCommandError('iptables: Index of replacement too big.', command);
      chain.rules[command.position - 1] = withProvenance(command.rule, provenance);
      return;
    }
    case 'flush': {
      if (command.chain === undefined) for (const c of table.chains) c.rules = [];
      else requireChain(table, command, command.chain).rules = [];
      return;
    }
    case 'delete-chain': {
      const refs = referencedChains(table);
      if (command.chain === undefined) {
        // -X without a name deletes every user chain; iptables refuses if any is still referenced
        // from a built-in chain (after -F they are not) or not empty.
        const user = table.chains.filter((c) => !isBuiltin(command.table, c.name));
        for (const c of user) {
          if (c.rules.length > 0 || refs.has(c.name)) throw new IptCommandError('iptables: Directory not empty.', command);
        }
        table.chains = table.chains.filter((c) => isBuiltin(command.table, c.name));
        return;
      }
      if (isBuiltin(command.table, command.chain)) throw new IptCommandError('iptables: Invalid argument. Run `dmesg\' for more information.', command);
      const chain = requireChain(table, command, command.chain);
      if (refs.has(chain.name)) throw new IptCommandError('iptables: Too many links.', command);
      if (chain.rules.length > 0) throw new IptCommandError('iptables: Directory not empty.', command);
      table.chains = table.chains.filter((c) => c !== chain);
      return;
    }
    case 'new-chain': {
      if (findChain(table, command.chain)) throw new IptCommandError('iptables: Chain already exists.', command);
      table.chains.push({ name: command.chain, policy: null, rules: [] });
      return;
    }
    case 'policy': {
      if (!isBuiltin(command.table, command.chain)) throw new IptCommandError('iptables: Bad built-in chain name.', command);
      requireChain(table, command, command.chain).policy = command.policy;
      return;
    }
    case 'zero': {
      const chains = command.chain === undefined ? table.chains : [requireChain(table, command, command.chain)];
      for (const c of chains) {
        delete c.counters;
        for (const r of c.rules) delete r.counters;
      }
      return;
    }
    case 'check': {
      const chain = requireChain(table, command, command.chain);
      if (!chain.rules.some((r) => sameRule(r, command.rule))) {
        throw new IptCommandError('iptables: Bad rule (does a matching rule exist in that chain?).', command);
      }
      return;
    }
    case 'list': {
      if (command.chain !== undefined) requireChain(table, command, command.chain);
      return;
    }
    case 'rename-chain': {
      const chain = requireChain(table, command, command.chain);
      if (findChain(table, command.newName)) throw new IptCommandError('iptables: File exists.', command);
      for (const c of table.chains) for (const r of c.rules) if (r.target?.name === chain.name) r.target.name = command.newName;
      chain.name = command.newName;
      return;
    }
  }
}
