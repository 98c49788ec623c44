// `virtwall check` as a pure function: snapshot files + one question → the
// same verdict simulateFlow gives for a lab.

import type { FlowVerdict } from '../simulator/flowTypes.ts';
import { simulateInWorld } from '../simulator/simulateInWorld.ts';
import { buildCheckWorld, CHECK_GUEST } from './checkWorld.ts';
import { readSnapshot } from './snapshotFiles.ts';
import { snapshotRulesets } from './snapshotRulesets.ts';

export interface CheckRequest {
  from: string;
  to: string;
  service: string;
  /** Default true: the upstream routes the bridge subnets back to the host. */
  returnRoute?: boolean;
}

export function checkSnapshot(files: Record<string, string>, request: CheckRequest): FlowVerdict {
  const data = readSnapshot(files);
  const { rulesets, problems } = snapshotRulesets(files, data.versions);
  const world = buildCheckWorld(data, rulesets, { from: request.from, to: request.to, returnRoute: request.returnRoute !== false });
  for (const p of problems) world.notes.push(`snapshot: ${p}`);
  return simulateInWorld(world, CHECK_GUEST, { from: request.from, to: request.to, service: request.service });
}
