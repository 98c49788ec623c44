// The lab worker's jobs over the real simulator and timeline fold (without a
// browser Worker), the client's id bookkeeping, the admin's headline and the
// topology graph's link colours from real verdicts.
import { describe, expect, it } from 'vitest';
import { SAMPLE_VARIANT_NAMES, sampleProjectVariants } from '../../../shared/lab/sampleLab.ts';
import { labMatrix } from '../../../shared/simulator/simulateFlow.ts';
import { i18n } from '../i18n/i18n.svelte.ts';
import { analyseNetworks } from '../state/networkAnalysis.ts';
import { topologyGraph } from '../components/topology/topologyGraph.ts';
import { adminHeadline } from './adminHeadline.ts';
import { topologyFlows } from './labFlows.ts';
import { runLabJob, type JobControl } from './labJobs.ts';
import { LabWorkerClient, type WorkerLike } from './labWorkerClient.ts';
import type { FlowOutcome, WorkerReply, WorkerRequest } from './workerProtocol.ts';

const variants = sampleProjectVariants();
const labOf = (name: string) => variants.find((v) => v.name === name)!.lab;
const isolated = labOf(SAMPLE_VARIANT_NAMES.isolatedSuSEfirewall2);
const routed = labOf(SAMPLE_VARIANT_NAMES.routedSuSEfirewall2);
const ownScript = labOf(SAMPLE_VARIANT_NAMES.isolatedOwnScript);
const ref = (lab: typeof isolated, stamp = 'v@1') => ({ stamp, lab });
const free: JobControl = { cancelled: () => false, progress: () => undefined };

describe('flows the screens ask for', () => {
  it('topology: each guest pings the gateway and the internet host', () => {
    expect(topologyFlows(isolated)).toEqual([
      { from: 'guest-kali', to: '192.168.90.1', service: 'icmp' },
      { from: 'guest-kali', to: '203.0.113.10', service: 'icmp' },
    ]);
  });
});

describe('lab worker jobs', () => {
  it('flows: the isolated variant is refused by libvirt’s REJECT, the routed one gets through', async () => {
    const progress: number[] = [];
    const bad = await runLabJob({ kind: 'flows', lab: ref(isolated), flows: topologyFlows(isolated) }, { cancelled: () => false, progress: (d) => progress.push(d) });
    expect(bad.map((o) => (o.ok ? o.verdict.cause : o.error))).toEqual(['rule-reject', 'rule-reject']);
    expect(progress.at(-1)).toBe(2);
    const good = await runLabJob({ kind: 'flows', lab: ref(routed), flows: topologyFlows(routed) }, free);
    expect(good.map((o) => (o.ok ? o.verdict.cause : o.error))).toEqual(['ok', 'ok']);
  });

  it('flows: an unknown guest is an error naming it, not a crash', async () => {
    const [o] = await runLabJob({ kind: 'flows', lab: ref(isolated), flows: [{ from: 'nobody', to: '192.168.90.1', service: 'icmp' }] }, free);
    expect(o.ok).toBe(false);
    expect((o as { error: string }).error).toContain('"nobody"');
  });

  it('matrix: the simulator’s own matrix, cell for cell', async () => {
    const matrix = await runLabJob({ kind: 'matrix', lab: ref(isolated) }, free);
    const expected = labMatrix(isolated);
    expect(matrix.targets).toEqual(expected.targets);
    expect(matrix.guests).toEqual(expected.guests);
    expect(matrix.cells.map((c) => [c.guest, c.target, c.service, c.verdict.guestSees])).toEqual(expected.cells.map((c) => [c.guest, c.target, c.service, c.verdict.guestSees]));
    expect(matrix.cells.length).toBe(16);
  });

  it('explain: every rule visited at the deciding hook, the REJECT marked, proven fixes', async () => {
    const out = await runLabJob({ kind: 'explain', lab: ref(isolated), flow: { from: 'guest-kali', to: '192.168.90.1', service: 'icmp' } }, free);
    if (!out.ok) throw new Error(out.error);
    const deciding = out.verdict.path.findIndex((s) => s.outcome === 'reject');
    const trace = out.traces.find((x) => x.step === deciding)!;
    const rules = trace.entries.filter((e) => e.kind === 'rule');
    // SuSEfirewall2's and libvirt's FORWARD rules were tried before the REJECT decided.
    expect(rules.length).toBeGreaterThan(1);
    const last = rules.at(-1)!;
    expect(last.kind === 'rule' && last.ref.text).toBe('-A FORWARD -i virbr3 -j REJECT --reject-with icmp-port-unreachable');
    expect(last.kind === 'rule' && last.result).toBe('match');
    expect(out.fixes.map((f) => f.label)).toContain('Switch network deb to forward mode route');
    expect(out.fixes.every((f) => f.result.cause === 'ok')).toBe(true);
  });

  it('timeline: the own-script variant works after fw.sh and breaks when libvirtd is reloaded', async () => {
    const t = await runLabJob({ kind: 'timeline', lab: ref(ownScript) }, free);
    const causes = t.moments.map((m) => [m.eventId, (m.outcomes[0] as FlowOutcome & { ok: true }).verdict.cause]);
    expect(causes).toEqual([
      ['event-boot-libvirtd', 'network-inactive'],
      ['event-boot-net-deb', 'rule-reject'],
      ['event-boot-fw-sh', 'ok'],
      ['event-later-libvirtd-sighup', 'rule-reject'],
    ]);
  });

  it('hostAt: the rules right after an event, with provenance', async () => {
    const afterScript = await runLabJob({ kind: 'hostAt', lab: ref(ownScript), uptoEventId: 'event-boot-fw-sh' }, free);
    const all = await runLabJob({ kind: 'hostAt', lab: ref(ownScript), uptoEventId: null }, free);
    expect(afterScript.lastEventId).toBe('event-boot-fw-sh');
    expect(all.lastEventId).toBe('event-later-libvirtd-sighup');
    const forward = (h: typeof all) => h.state.iptables.legacy.ipv4.tables.find((x) => x.name === 'filter')!.chains.find((c) => c.name === 'FORWARD')!.rules;
    // After the reload libvirt's rules are on top again, placed by that event.
    expect(forward(all)[0].provenance?.eventId).toBe('event-later-libvirtd-sighup');
    expect(forward(afterScript)[0].provenance?.layer).not.toBe('libvirt');
  });

  it('compare: effective rule and matrix differences between isolated and routed', async () => {
    const c = await runLabJob({ kind: 'compare', a: ref(isolated, 'a@1'), b: ref(routed, 'b@1') }, free);
    expect(c.rules.some((r) => r.change === 'added' && r.rule === '-A FORWARD -s 192.168.10.0/24 -i virbr3 -j ACCEPT' && r.provenance?.layer === 'libvirt')).toBe(true);
    expect(c.matrix.find((m) => m.target === 'gateway' && m.service === 'icmp')).toMatchObject({ a: { cause: 'rule-reject' }, b: { cause: 'ok' } });
  });
});

describe('adminHeadline', () => {
  it('says it in the admin’s words, in English and German', async () => {
    const [o] = await runLabJob({ kind: 'flows', lab: ref(isolated), flows: [{ from: 'guest-kali', to: '192.168.90.1', service: 'icmp' }] }, free);
    if (!o.ok) throw new Error(o.error);
    i18n.switchTo('en');
    expect(adminHeadline(o.verdict)).toBe("192.168.10.20 → 192.168.90.1, ping: Destination Port Unreachable from 192.168.10.1 — libvirt's REJECT for isolated network deb".replace("'", '’'));
    i18n.switchTo('de');
    expect(adminHeadline(o.verdict)).toBe('192.168.10.20 → 192.168.90.1, ping: Destination Port Unreachable von 192.168.10.1 — REJECT von libvirt für das isolierte Netzwerk deb');
    i18n.switchTo('en');
    const [ok] = await runLabJob({ kind: 'flows', lab: ref(routed), flows: [{ from: 'guest-kali', to: '203.0.113.10', service: 'tcp/443' }] }, free);
    if (!ok.ok) throw new Error(ok.error);
    expect(adminHeadline(ok.verdict)).toMatch(/^192\.168\.10\.20 → 203\.0\.113\.10, TCP 443: connected — accepted by libvirt’s ACCEPT for routed network deb$/);
  });
});

describe('LabWorkerClient', () => {
  function fakeWorker() {
    const sent: WorkerRequest[] = [];
    const worker: WorkerLike & { reply(r: WorkerReply): void } = {
      onmessage: null,
      postMessage: (m) => sent.push(m),
      reply: (r) => worker.onmessage?.({ data: r } as MessageEvent<WorkerReply>),
    };
    return { worker, sent };
  }

  it('routes progress and results by job id; a cancelled job resolves to null and tells the worker', async () => {
    const { worker, sent } = fakeWorker();
    const client = new LabWorkerClient(worker);
    const seen: number[] = [];
    const a = client.run({ kind: 'flows', lab: ref(isolated), flows: [] }, (done) => seen.push(done));
    const b = client.run({ kind: 'matrix', lab: ref(isolated) });
    worker.reply({ type: 'progress', id: 1, done: 5, total: 9 });
    worker.reply({ type: 'result', id: 1, result: [] });
    expect(await a.promise).toEqual([]);
    expect(seen).toEqual([5]);
    b.cancel();
    expect(await b.promise).toBeNull();
    expect(sent.at(-1)).toEqual({ type: 'cancel', id: 2 });
    worker.reply({ type: 'result', id: 2, result: [] }); // late: ignored
    const c = client.run({ kind: 'matrix', lab: ref(isolated) });
    worker.reply({ type: 'failed', id: 3, message: 'boom' });
    await expect(c.promise).rejects.toThrow('boom');
  });
});

describe('topologyGraph', () => {
  const networks = analyseNetworks(isolated);

  it('lays out guest → bridge → host → gateway → internet, grey without verdicts', () => {
    const { nodes, edges } = topologyGraph(isolated, networks, () => undefined, null);
    expect(nodes.map((n) => n.id)).toEqual(['guest:guest-kali', 'net:net-deb', 'host', 'gateway', 'internet']);
    expect(edges.map((e) => `${e.source}>${e.target}`)).toEqual(['guest:guest-kali>net:net-deb', 'net:net-deb>host', 'host>gateway', 'gateway>internet']);
    expect(edges.every((e) => e.class === 'tone-unknown')).toBe(true);
  });

  it('colours links by the simulator’s verdicts: red for the isolated variant, green for the routed one', async () => {
    const colours = async (lab: typeof isolated) => {
      const flows = topologyFlows(lab);
      const outcomes = await runLabJob({ kind: 'flows', lab: ref(lab), flows }, free);
      const lookup = (g: string, to: string) => outcomes[flows.findIndex((f) => f.from === g && f.to === to)];
      return [...new Set(topologyGraph(lab, analyseNetworks(lab), lookup, null).edges.map((e) => e.class))];
    };
    expect(await colours(isolated)).toEqual(['tone-bad']);
    expect(await colours(routed)).toEqual(['tone-ok']);
  });
});
