// virtwall matrix PROJECT --variant NAME [--json]
// Every guest × target × service of a variant: a table of what each guest sees.

import { labMatrix } from '../../shared/simulator/simulateFlow.ts';
import type { Matrix } from '../../shared/simulator/matrix.ts';
import { UsageError, type CliCommand } from '../io.ts';
import { parseFlags } from '../parseFlags.ts';
import { projectPath } from './projectCliStore.ts';
import { readVariantLabs } from './projectLabs.ts';

export function matrixJson(m: Matrix): unknown {
  return {
    guests: m.guests,
    targets: m.targets,
    services: m.services,
    cells: m.cells.map((c) => ({ guest: c.guest, target: c.target, service: c.service, guestSees: c.verdict.guestSees, cause: c.verdict.cause, headline: c.verdict.headline, decidedBy: c.verdict.decidedBy ? { ...c.verdict.decidedBy, provenance: undefined } : null })),
  };
}

function short(guestSees: string): string {
  if (guestSees === 'reply') return 'ok';
  if (guestSees === 'timeout') return 'timeout';
  // No verdict: the guest has only IPv6, which is not simulated (never shown as ok or as an error).
  if (guestSees === 'not simulated (IPv6)') return 'IPv6 n/a';
  if (/Connection refused|Port Unreachable/.test(guestSees)) return 'refused';
  if (/Prohibited|filtered/.test(guestSees)) return 'prohibited';
  return guestSees.startsWith('error:') ? 'error' : guestSees;
}

export function formatMatrix(m: Matrix): string {
  const lines: string[] = [];
  for (const g of m.guests) {
    lines.push(`${g.label}:`);
    const width = Math.max(...m.targets.map((t) => `${t.label} ${t.address}`.length));
    lines.push(`  ${''.padEnd(width)}  ${m.services.map((s) => s.padEnd(10)).join(' ')}`);
    for (const t of m.targets) {
      if (t.key === g.key) continue;
      const row = m.services.map((s) => short(m.cells.find((c) => c.guest === g.key && c.target === t.key && c.service === s)?.verdict.guestSees ?? '-').padEnd(10));
      lines.push(`  ${`${t.label} ${t.address}`.padEnd(width)}  ${row.join(' ')}`);
    }
    const failing = m.cells.filter((c) => c.guest === g.key && c.verdict.cause !== 'ok');
    if (failing.length) lines.push('', ...failing.map((c) => `  ${c.verdict.headline}`));
    lines.push('');
  }
  return lines.join('\n');
}

export const matrix: CliCommand = async (args, io) => {
  const flags = parseFlags(args, { values: ['variant'], booleans: ['json'] });
  if (flags.positional.length !== 1) throw new UsageError('exactly one PROJECT file expected');
  if (!flags.values.variant) throw new UsageError('--variant is required');
  const [{ lab }] = readVariantLabs(projectPath(flags.positional[0], io), [flags.values.variant]);
  const m = labMatrix(lab);
  io.stdout(flags.booleans.has('json') ? JSON.stringify(matrixJson(m), null, 2) + '\n' : formatMatrix(m));
  return 0;
};
