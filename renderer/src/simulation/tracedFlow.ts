// The simulation view's step-through: one flow simulated by the real
// simulator, with every rule the packet visited at each filter hook of each
// node (Packet Tracer's "inbound/outbound PDU details"). The simulator's path
// says which rule decided a hook; for the rules visited before it, each
// node's filter is wrapped once for this run and evaluated again with the
// evaluator's trace on. The verdict itself is always the simulator's own.
// Runs in the lab worker (a fresh world per explained flow: ~5–10 ms).

import type { Lab } from '../../../shared/lab/labModel.ts';
import { evaluateHook } from '../../../shared/netfilter/eval/evaluateHook.ts';
import type { HookOutcome, TraceEntry } from '../../../shared/netfilter/eval/hookResult.ts';
import { CompiledFilter, toPacket } from '../../../shared/simulator/hostFilter.ts';
import { FlowRequestError, type FlowRequest, type FlowVerdict } from '../../../shared/simulator/flowTypes.ts';
import { buildLabWorld } from '../../../shared/simulator/labWorld.ts';
import { labRuntime } from '../../../shared/simulator/labRuntime.ts';
import { runtimeOf } from '../../../shared/simulator/simulateFlow.ts';
import { findGuestNode, simulateInWorld } from '../../../shared/simulator/simulateInWorld.ts';
import type { FilterHook, FilterPacket, NodeFilter } from '../../../shared/simulator/world.ts';

const FILTER_HOOKS = new Set<string>(['prerouting', 'input', 'forward', 'output', 'postrouting']);

/** The rules one filter hook of one node visited for one step of the path. */
export interface StepTrace {
  /** Index into verdict.path. */
  step: number;
  entries: TraceEntry[];
}

export interface TracedVerdict {
  verdict: FlowVerdict;
  traces: StepTrace[];
}

// The branch the simulator follows for a rule it cannot decide (hostFilter.ts):
// a rate limit matches one probe; any other unknown match is assumed not to match.
function takenTrace(o: HookOutcome): TraceEntry[] {
  if (o.kind === 'final') return o.trace ?? [];
  if (o.kind === 'capped') return [{ kind: 'note', text: o.reason }];
  const limitOnly = o.unknown.length > 0 && o.unknown.every((u) => /\blimit\b/.test(u.match));
  return takenTrace(limitOnly ? o.ifMatches : o.ifNotMatches);
}

interface Recorded {
  node: string;
  hook: FilterHook;
  entries: TraceEntry[];
}

class TracingFilter implements NodeFilter {
  constructor(
    private readonly inner: CompiledFilter,
    private readonly node: string,
    private readonly log: Recorded[],
  ) {}

  run(hook: FilterHook, p: FilterPacket) {
    const traced = evaluateHook(this.inner.compiled, hook, toPacket(p), { trace: true });
    this.log.push({ node: this.node, hook, entries: takenTrace(traced.outcome) });
    return this.inner.run(hook, p);
  }
}

/** Pairs each filter step of the path with the trace recorded for it (same node, same hook, in order). */
export function attachTraces(verdict: FlowVerdict, log: readonly Recorded[]): StepTrace[] {
  const queues = new Map<string, Recorded[]>();
  for (const r of log) {
    const key = `${r.node}|${r.hook}`;
    queues.set(key, [...(queues.get(key) ?? []), r]);
  }
  const out: StepTrace[] = [];
  verdict.path.forEach((s, i) => {
    if (!FILTER_HOOKS.has(s.stage)) return;
    const next = queues.get(`${s.node}|${s.stage}`)?.shift();
    if (next) out.push({ step: i, entries: next.entries });
  });
  return out;
}

export function tracedFlow(lab: Lab, request: FlowRequest, uptoEventId?: string): TracedVerdict {
  const runtime = uptoEventId !== undefined && !lab.snapshot ? labRuntime(lab, uptoEventId) : runtimeOf(lab);
  const world = buildLabWorld(lab, runtime);
  const log: Recorded[] = [];
  for (const node of world.nodes.values()) {
    if (node.filter instanceof CompiledFilter) node.filter = new TracingFilter(node.filter, node.label, log);
  }
  const guest = findGuestNode(world, request.from);
  if (!guest) throw new FlowRequestError(`${JSON.stringify(request.from)} is no guest of this variant`);
  const verdict = simulateInWorld(world, guest.id, request);
  return { verdict, traces: attachTraces(verdict, log) };
}
