// ≥ 100 generated labs (fixed seeds) built in namespaces; every matrix cell
// probed; the simulator must agree with the kernel on every one.

import { afterAll, describe, expect, it } from 'vitest';
import type { Ruleset } from '../../shared/netfilter/model.ts';
import { parseRuleset } from '../../shared/netfilter/parseRuleset.ts';
import { buildLabWorld } from '../../shared/simulator/labWorld.ts';
import { computeMatrix } from '../../shared/simulator/matrix.ts';
import { NetnsLab } from './netns/netnsLab.ts';
import { realitySkipReason } from './netns/realityGuard.ts';
import { probeMatrix, type Mismatch } from './lab/compareMatrix.ts';
import { generateLab } from './lab/generatedLabs.ts';
import { realizeWorld } from './lab/worldNamespaces.ts';

const skip = realitySkipReason(['ip', 'iptables-restore', 'iptables-legacy-restore', 'nft', 'ping', 'nc', 'tcpdump']);
const SEEDS = Array.from({ length: Number(process.env.VW_SIM_LABS ?? 100) }, (_, i) => 1000 + i);

describe.skipIf(skip !== null)('simulator vs kernel: generated labs', () => {
  let totalCells = 0;
  const failures: { description: string; mismatches: Mismatch[] }[] = [];
  afterAll(() => {
    process.stdout.write(`simulator-generated: ${SEEDS.length} labs, ${totalCells} cells probed, ${failures.reduce((n, f) => n + f.mismatches.length, 0)} mismatches\n`);
  });

  it(`${SEEDS.length} labs agree with the kernel cell by cell`, { timeout: 900_000 }, async () => {
    for (const seed of SEEDS) {
      const g = generateLab(seed);
      const world = buildLabWorld(g.lab, g.runtime);
      const matrix = computeMatrix(world, g.lab.services);
      const lab = new NetnsLab('sgen');
      try {
        const nodeRulesets: Record<string, Ruleset[]> = g.lab.gateway.ruleset ? { gateway: parseRuleset(g.lab.gateway.ruleset).rulesets } : {};
        const realized = await realizeWorld(lab, world, { hostRulesets: g.rulesets, nodeRulesets, probedPorts: { tcp: [22, 443], udp: [53] } });
        const { cells, mismatches } = await probeMatrix(lab, realized, matrix);
        totalCells += cells;
        if (mismatches.length) failures.push({ description: g.description, mismatches });
      } finally {
        await lab.destroy();
      }
    }
    expect(failures).toEqual([]);
  });
});
