// Conntrack tuple matches, simulator vs kernel: the labs of lab/ctTupleLabs.ts
// built in namespaces, every matrix cell probed; the simulator must agree with
// the kernel on each. (`--ctorigdstport`/`ct original proto-dst` after DNAT and
// REDIRECT, `--ctrepldst`/`ct reply daddr` after SNAT and masquerade, ICMP
// echo's tuple fields, a REJECT's RELATED error seeing the connection's tuple.)

import { afterAll, describe, expect, it } from 'vitest';
import { buildLabWorld } from '../../shared/simulator/labWorld.ts';
import { computeMatrix } from '../../shared/simulator/matrix.ts';
import { NetnsLab } from './netns/netnsLab.ts';
import { realitySkipReason } from './netns/realityGuard.ts';
import { probeMatrix, type Mismatch } from './lab/compareMatrix.ts';
import { CT_TUPLE_CASES, ctTupleLab } from './lab/ctTupleLabs.ts';
import { realizeWorld } from './lab/worldNamespaces.ts';

const skip = realitySkipReason(['ip', 'iptables-restore', 'iptables-legacy-restore', 'nft', 'ping', 'nc', 'tcpdump']);

describe.skipIf(skip !== null)('simulator vs kernel: conntrack tuples', () => {
  let totalCells = 0;
  let mismatchCount = 0;
  afterAll(() => {
    process.stdout.write(`simulator-ct-tuples: ${CT_TUPLE_CASES.length} labs, ${totalCells} cells probed, ${mismatchCount} mismatches\n`);
  });

  CT_TUPLE_CASES.forEach((c, i) => {
    it(c.name, { timeout: 180_000 }, async () => {
      const g = ctTupleLab(c, i);
      const world = buildLabWorld(g.lab, g.runtime);
      const matrix = computeMatrix(world, g.lab.services);
      // Every cell is decided: a tuple match the simulator could not read would be a condition.
      expect(matrix.cells.filter((x) => x.verdict.conditions.length).map((x) => `${x.target} ${x.service}: ${x.verdict.conditions.join('; ')}`)).toEqual([]);
      const lab = new NetnsLab('sct');
      let mismatches: Mismatch[] = [];
      try {
        const realized = await realizeWorld(lab, world, { hostRulesets: g.rulesets, nodeRulesets: {}, probedPorts: { tcp: [22, 443], udp: [53] } });
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
