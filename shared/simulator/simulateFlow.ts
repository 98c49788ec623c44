// The simulator's front door for labs: simulateFlow(lab, { from, to, service })
// and labMatrix(lab). Pure and deterministic. The world of a lab (timeline fold,
// compiled host filter, topology) is built once per lab object and cached: the
// store hands out a new object for every edit (structural sharing), so an
// unchanged lab is never folded or compiled twice.

import type { Lab } from '../lab/labModel.ts';
import { FlowRequestError, type FlowRequest, type FlowVerdict } from './flowTypes.ts';
import type { HostRuntime } from './hostRuntime.ts';
import { labRuntime } from './labRuntime.ts';
import { buildLabWorld } from './labWorld.ts';
import { computeMatrix, type Matrix } from './matrix.ts';
import { findGuestNode, simulateInWorld } from './simulateInWorld.ts';
import type { World } from './world.ts';
import { snapshotRuntime } from '../snapshot/snapshotLab.ts';

const worlds = new WeakMap<Lab, World>();

export function runtimeOf(lab: Lab): HostRuntime {
  return lab.snapshot ? snapshotRuntime(lab) : labRuntime(lab);
}

export function labWorld(lab: Lab): World {
  let w = worlds.get(lab);
  if (!w) {
    w = buildLabWorld(lab, runtimeOf(lab));
    worlds.set(lab, w);
  }
  return w;
}

export interface SimulateOptions {
  /** Simulate the host as it is right after this timeline event (default: after the last). */
  uptoEventId?: string;
}

export function simulateFlow(lab: Lab, request: FlowRequest, options: SimulateOptions = {}): FlowVerdict {
  const world = options.uptoEventId !== undefined && !lab.snapshot ? buildLabWorld(lab, labRuntime(lab, options.uptoEventId)) : labWorld(lab);
  const guest = findGuestNode(world, request.from);
  if (!guest) {
    const known = [...world.nodes.values()].filter((n) => n.role === 'guest').map((n) => n.label).join(', ') || 'none';
    throw new FlowRequestError(`--from ${JSON.stringify(request.from)} is no guest of this lab (guests: ${known})`);
  }
  return simulateInWorld(world, guest.id, request);
}

export function labMatrix(lab: Lab): Matrix {
  return computeMatrix(labWorld(lab), lab.services);
}
