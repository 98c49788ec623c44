// One "simulator vs kernel" lab: the simulator's matrix for a generated lab,
// then the same world built in throwaway namespaces and every cell probed.
// Shared by the marks, notrack and conntrack-tuple suites.

import type { Ruleset } from '../../../shared/netfilter/model.ts';
import { parseRuleset } from '../../../shared/netfilter/parseRuleset.ts';
import { buildLabWorld } from '../../../shared/simulator/labWorld.ts';
import { computeMatrix, type Matrix } from '../../../shared/simulator/matrix.ts';
import { NetnsLab } from '../netns/netnsLab.ts';
import { probeMatrix, type Mismatch } from './compareMatrix.ts';
import type { GeneratedLab } from './generatedLabs.ts';
import { realizeWorld } from './worldNamespaces.ts';

/** The simulator's matrix of `g` and what the kernel did for each cell; the namespaces are deleted in every path. */
export async function probeLabWorld(g: GeneratedLab, nsPrefix: string): Promise<{ matrix: Matrix; cells: number; mismatches: Mismatch[] }> {
  const world = buildLabWorld(g.lab, g.runtime);
  const matrix = computeMatrix(world, g.lab.services);
  const lab = new NetnsLab(nsPrefix);
  try {
    const nodeRulesets: Record<string, Ruleset[]> = g.lab.gateway.ruleset ? { gateway: parseRuleset(g.lab.gateway.ruleset).rulesets } : {};
    const realized = await realizeWorld(lab, world, { hostRulesets: g.rulesets, nodeRulesets, probedPorts: { tcp: [22, 443], udp: [53] } });
    const probed = await probeMatrix(lab, realized, matrix);
    return { matrix, cells: probed.cells, mismatches: probed.mismatches };
  } finally {
    await lab.destroy();
  }
}
