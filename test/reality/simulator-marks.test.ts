// Marks, simulator vs kernel: the labs of lab/markLabs.ts built in namespaces,
// every matrix cell probed; the simulator must agree with the kernel on each.
// (The packet mark set at one hook and read at a later one, the connection mark
// across the reply and RELATED errors, nft meta/ct mark, br_netfilter.)

import { afterAll, describe, expect, it } from 'vitest';
import type { Ruleset } from '../../shared/netfilter/model.ts';
import { parseRuleset } from '../../shared/netfilter/parseRuleset.ts';
import { buildLabWorld } from '../../shared/simulator/labWorld.ts';
import { computeMatrix } from '../../shared/simulator/matrix.ts';
import { NetnsLab } from './netns/netnsLab.ts';
import { realitySkipReason } from './netns/realityGuard.ts';
import { probeMatrix, type Mismatch } from './lab/compareMatrix.ts';
import { MARK_CASES, markLab } from './lab/markLabs.ts';
import { realizeWorld } from './lab/worldNamespaces.ts';

const skip = realitySkipReason(['ip', 'iptables-restore', 'iptables-legacy-restore', 'nft', 'ping', 'nc', 'tcpdump']);

describe.skipIf(skip !== null)('simulator vs kernel: marks', () => {
  let totalCells = 0;
  let mismatchCount = 0;
  afterAll(() => {
    process.stdout.write(`simulator-marks: ${MARK_CASES.length} labs, ${totalCells} cells probed, ${mismatchCount} mismatches\n`);
  });

  MARK_CASES.forEach((c, i) => {
    it(c.name, { timeout: 180_000 }, async () => {
      const g = markLab(c, i);
      const world = buildLabWorld(g.lab, g.runtime);
      const matrix = computeMatrix(world, g.lab.services);
      const lab = new NetnsLab('smk');
      let mismatches: Mismatch[] = [];
      try {
        const nodeRulesets: Record<string, Ruleset[]> = g.lab.gateway.ruleset ? { gateway: parseRuleset(g.lab.gateway.ruleset).rulesets } : {};
        const realized = await realizeWorld(lab, world, { hostRulesets: g.rulesets, nodeRulesets, probedPorts: { tcp: [22, 443], udp: [53] } });
        const probed = await probeMatrix(lab, realized, matrix);
        totalCells += probed.cells;
        mismatches = probed.mismatches;
        mismatchCount += mismatches.length;
        expect(probed.cells).toBeGreaterThan(0);
      } finally {
        await lab.destroy();
      }
      expect(mismatches).toEqual([]);
    });
  });
});
