// virtwall compare PROJECT VARIANT_A VARIANT_B [--json]
// What differs between two variants: network XML fields, effective rules per
// hook (added/removed/moved with provenance), matrix cells (reason on both sides).

import { compareVariants, type VariantComparison } from '../../shared/simulator/compareVariants.ts';
import { UsageError, type CliCommand } from '../io.ts';
import { parseFlags } from '../parseFlags.ts';
import { projectPath } from './projectCliStore.ts';
import { readVariantLabs } from './projectLabs.ts';

function formatComparison(c: VariantComparison, a: string, b: string): string {
  const lines = [`${a}  ⟷  ${b}`, '', `network XML (${c.xml.length} difference${c.xml.length === 1 ? '' : 's'}):`];
  for (const d of c.xml) lines.push(`  ${d.network} ${d.field}: ${JSON.stringify(d.a)} → ${JSON.stringify(d.b)}`);
  lines.push('', `effective rules (${c.rules.length}):`);
  for (const r of c.rules) {
    const who = r.provenance ? ` — ${r.provenance.layerLabel ?? r.provenance.layer ?? ''}${r.provenance.event ? `, ${r.provenance.event}` : ''}` : '';
    const pos = r.change === 'moved' ? ` (#${r.positionA} → #${r.positionB})` : r.positionA ? ` (#${r.positionA})` : r.positionB ? ` (#${r.positionB})` : '';
    lines.push(`  ${r.change.padEnd(7)} [${r.hooks.join(',') || '-'}] ${r.chain}: ${r.rule}${pos}${who}`);
  }
  lines.push('', `matrix (${c.matrix.length} cell${c.matrix.length === 1 ? '' : 's'} differ):`);
  for (const m of c.matrix) {
    lines.push(`  ${m.guest} → ${m.target} ${m.service}`, `    ${a}: ${m.a.headline}`, `    ${b}: ${m.b.headline}`);
  }
  return lines.join('\n') + '\n';
}

export const compare: CliCommand = async (args, io) => {
  const flags = parseFlags(args, { booleans: ['json'] });
  if (flags.positional.length !== 3) throw new UsageError('expected PROJECT VARIANT_A VARIANT_B');
  const [file, va, vb] = flags.positional;
  const [a, b] = readVariantLabs(projectPath(file, io), [va, vb]);
  const c = compareVariants(a.lab, b.lab);
  io.stdout(flags.booleans.has('json') ? JSON.stringify(c, null, 2) + '\n' : formatComparison(c, a.name, b.name));
  return 0;
};
