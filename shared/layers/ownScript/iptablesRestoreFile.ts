// An iptables-restore input file (the iptables-save format: `*table`,
// `:CHAIN POLICY [packets:bytes]`, rule lines, `COMMIT`) as the sequence of
// iptables commands that has the same effect, each with its file line:
//  - without --noflush, every table named in the file is replaced: all its
//    rules flushed and user chains deleted, then the declared chains created
//    and built-in policies set (iptables-restore(8));
//  - with --noflush (ufw loads its *.rules files with `iptables-restore -n`),
//    other rules stay; a declared user chain is created, or flushed when it
//    already exists.
// Rule lines are passed through as written (`-A ufw-before-input -i lo -j ACCEPT`)
// prefixed with their table. Lines outside a table, unknown directives and a
// missing COMMIT are reported with their line number.

import type { SkippedLine } from './shellScript.ts';

export interface RestoreStep {
  line: number;
  /** iptables arguments, table included: `-t filter -A INPUT -i lo -j ACCEPT`. */
  args: string;
  /** Arguments to run instead when `args` fails (declared chain exists under --noflush). */
  fallback?: string;
  /** What the step is, for provenance when the line is not a rule (`*filter` flush, `:CHAIN` declaration). */
  reason: string;
}

export interface RestoreProgram {
  steps: RestoreStep[];
  skipped: SkippedLine[];
  /** Problems that real iptables-restore would refuse the file for. */
  errors: SkippedLine[];
}

const BUILTIN = new Set(['INPUT', 'OUTPUT', 'FORWARD', 'PREROUTING', 'POSTROUTING']);
const TABLES = new Set(['filter', 'nat', 'mangle', 'raw', 'security']);

export function readIptablesRestore(text: string, options: { noflush: boolean }): RestoreProgram {
  const steps: RestoreStep[] = [];
  const skipped: SkippedLine[] = [];
  const errors: SkippedLine[] = [];
  let table: string | null = null;
  let tableLine = 0;
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = i + 1;
    const t = raw.trim();
    if (t === '' || t.startsWith('#')) return;
    if (t.startsWith('*')) {
      if (table) errors.push({ line, text: t, reason: `table ${table} (line ${tableLine}) has no COMMIT before the next table` });
      table = t.slice(1).trim();
      tableLine = line;
      if (!TABLES.has(table)) {
        errors.push({ line, text: t, reason: `unknown table '${table}'` });
        return;
      }
      if (!options.noflush) {
        steps.push({ line, args: `-t ${table} -F`, reason: `iptables-restore replaces table ${table}: every rule flushed` });
        steps.push({ line, args: `-t ${table} -X`, reason: `iptables-restore replaces table ${table}: user chains deleted` });
      }
      return;
    }
    if (t === 'COMMIT') {
      if (!table) errors.push({ line, text: t, reason: 'COMMIT outside a table' });
      table = null;
      return;
    }
    if (!table) {
      errors.push({ line, text: t, reason: 'line outside a table (no *filter/*nat/… before it)' });
      return;
    }
    if (t.startsWith(':')) {
      const m = /^:(\S+)\s+(\S+)/.exec(t);
      if (!m) {
        errors.push({ line, text: t, reason: 'chain declaration needs a name and a policy (`:NAME POLICY [0:0]`)' });
        return;
      }
      const [, chain, policy] = m;
      if (BUILTIN.has(chain)) {
        if (policy !== '-') steps.push({ line, args: `-t ${table} -P ${chain} ${policy}`, reason: `policy of ${chain} set by the restore file` });
      } else if (options.noflush) {
        steps.push({ line, args: `-t ${table} -N ${chain}`, fallback: `-t ${table} -F ${chain}`, reason: `chain ${chain} declared (created, or flushed if it exists)` });
      } else {
        steps.push({ line, args: `-t ${table} -N ${chain}`, reason: `chain ${chain} declared` });
      }
      return;
    }
    if (/^(\[\d+:\d+\]\s*)?-[AIDRNXPFZE]\s/.test(t) || /^(\[\d+:\d+\]\s*)?--(append|insert|delete|replace)\s/.test(t)) {
      steps.push({ line, args: `-t ${table} ${t.replace(/^\[\d+:\d+\]\s*/, '')}`, reason: 'rule line' });
      return;
    }
    skipped.push({ line, text: t, reason: 'not an iptables-restore line' });
  });
  if (table) errors.push({ line: tableLine, text: `*${table}`, reason: `table ${table} has no COMMIT: iptables-restore would not apply it` });
  return { steps, skipped, errors };
}
