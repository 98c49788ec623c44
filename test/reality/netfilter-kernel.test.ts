// Kernel agreement: ≥ 200 generated rulesets (fixed seeds) loaded into a real
// namespace router (iptables-nft, ip6tables-nft, iptables-legacy,
// ip6tables-legacy, nft), probed from a client with ping / nc / a UDP socket,
// and each observation compared with the engine's prediction — the kind of
// answer, the ICMP type/code and its source, the RST's source, and the words
// ping and nc print (senderSymptom). A mismatch is an engine bug: it fails the
// suite with the ruleset, the probe, both sides and the engine's reasoning.
//
// Speed: four lanes (independent router topologies) run cases in parallel;
// each case is loaded with iptables-restore / nft -f into the same namespaces
// (flushed first) and all of its probes run at once.

import { afterAll, describe, expect, it } from 'vitest';
import { parseIptablesSave } from '../../shared/netfilter/iptables/parseIptablesSave.ts';
import { printNftRuleset } from '../../shared/netfilter/nft/printNftRuleset.ts';
import type { Ruleset } from '../../shared/netfilter/model.ts';
import { compileHost } from '../../shared/netfilter/eval/compileHost.ts';
import { senderSymptom } from '../../shared/netfilter/eval/senderSymptom.ts';
import { NetnsLab } from './netns/netnsLab.ts';
import type { Observation, Probe } from './netns/probe.ts';
import { realitySkipReason } from './netns/realityGuard.ts';
import { buildRouterTopology, ROUTER_ADDRESSES as A, type RouterTopology } from './netns/routerTopology.ts';
import { generateCase, ROUTER_TCP, ROUTER_UDP, SERVER_TCP, SERVER_UDP, type GeneratedCase, type RouterNames } from './netfilter-kernel-generate.ts';
import { predict, type Expected, type Listening } from './netfilter-kernel-predict.ts';

const CASES = Number(process.env.VW_KERNEL_CASES ?? 240);
const LANES = 4;
const LISTENING: Listening = { server: { tcp: SERVER_TCP, udp: SERVER_UDP }, router: { tcp: ROUTER_TCP, udp: ROUTER_UDP } };

const PROBES: Probe[] = [
  { service: 'icmp', dst: A.server.v4 },
  { service: 'tcp', dst: A.server.v4, port: 80 },
  { service: 'tcp', dst: A.server.v4, port: 443 },
  { service: 'tcp', dst: A.server.v4, port: 22 },
  { service: 'tcp', dst: A.server.v4, port: 81 },
  { service: 'tcp', dst: A.server.v4, port: 23 },
  { service: 'udp', dst: A.server.v4, port: 53 },
  { service: 'udp', dst: A.server.v4, port: 54 },
  { service: 'icmp', dst: A.server.v6 },
  { service: 'tcp', dst: A.server.v6, port: 80 },
  { service: 'tcp', dst: A.server.v6, port: 81 },
  { service: 'udp', dst: A.server.v6, port: 53 },
  { service: 'udp', dst: A.server.v6, port: 54 },
  { service: 'icmp', dst: A.routerClientSide.v4 },
  { service: 'icmp', dst: A.routerServerSide.v4 },
  { service: 'tcp', dst: A.routerClientSide.v4, port: 22 },
  { service: 'tcp', dst: A.routerClientSide.v4, port: 23 },
  { service: 'udp', dst: A.routerClientSide.v4, port: 5353 },
  { service: 'udp', dst: A.routerClientSide.v4, port: 54 },
  { service: 'icmp', dst: A.routerClientSide.v6 },
  { service: 'tcp', dst: A.routerClientSide.v6, port: 22 },
];

const EMPTY_TABLES = ['*raw', ':PREROUTING ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', 'COMMIT',
  '*mangle', ':PREROUTING ACCEPT [0:0]', ':INPUT ACCEPT [0:0]', ':FORWARD ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', ':POSTROUTING ACCEPT [0:0]', 'COMMIT',
  '*filter', ':INPUT ACCEPT [0:0]', ':FORWARD ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', 'COMMIT', ''].join('\n');

interface Mismatch {
  seed: number;
  kind: string;
  probe: string;
  observed: string;
  expected: string;
  why: string[];
  rulesets: string;
}

function describeObs(o: Pick<Observation, 'kind' | 'icmp' | 'resetFrom'>): string {
  if (o.kind === 'icmp-error') return `icmp-error ${o.icmp?.type}/${o.icmp?.code} from ${o.icmp?.from}`;
  if (o.kind === 'tcp-reset') return `tcp-reset from ${o.resetFrom}`;
  return o.kind;
}

/** The words the client printed must be the ones senderSymptom predicts. */
function clientWordsAgree(obs: Observation, exp: Expected): boolean {
  const family = obs.probe.dst.includes(':') ? 'ipv6' : 'ipv4';
  const verdict = exp.kind === 'icmp-error'
    ? { kind: 'reject' as const, with: { kind: 'icmp' as const, family: family as 'ipv4' | 'ipv6', code: exp.icmp!.code, name: '' } }
    : exp.kind === 'tcp-reset' ? { kind: 'reject' as const, with: { kind: 'tcp-reset' as const, name: '' } }
      : exp.kind === 'timeout' ? { kind: 'drop' as const } : { kind: 'accept' as const };
  const s = senderSymptom({ probe: obs.probe.service, family, verdict, errorFrom: exp.icmp?.from ?? null, replyFrom: obs.probe.dst });
  if (obs.probe.service === 'icmp') return exp.kind === 'reply' ? /bytes from/.test(obs.client) : exp.kind === 'timeout' ? obs.client === '100% packet loss' : obs.client === s.ping;
  if (obs.probe.service === 'tcp') return exp.kind === 'reply' ? /succeeded/.test(obs.client) : exp.kind === 'timeout' ? /timed out/.test(obs.client) : obs.client.endsWith(`failed: ${s.tcp}`);
  if (exp.kind === 'icmp-error') return obs.client === (s.udpErrno ? `error ${s.udpErrno}` : 'timeout');
  return exp.kind === 'reply' ? obs.client.startsWith('reply') : exp.kind === 'timeout' ? obs.client === 'timeout' : obs.client === `error ${s.errno}`;
}

async function load(topo: RouterTopology, c: GeneratedCase): Promise<void> {
  const { lab, router } = topo;
  await lab.execOk(router, ['nft', 'flush', 'ruleset']);
  await lab.execOk(router, ['iptables-legacy-restore'], EMPTY_TABLES);
  await lab.execOk(router, ['ip6tables-legacy-restore'], EMPTY_TABLES);
  if (c.legacy4) await lab.execOk(router, ['iptables-legacy-restore'], c.legacy4);
  if (c.legacy6) await lab.execOk(router, ['ip6tables-legacy-restore'], c.legacy6);
  if (c.iptNft4) await lab.execOk(router, ['iptables-nft-restore'], c.iptNft4);
  if (c.iptNft6) await lab.execOk(router, ['ip6tables-nft-restore'], c.iptNft6);
  if (c.nft) await lab.execOk(router, ['nft', '-f', '-'], printNftRuleset(c.nft));
}

/** The rulesets in the order the kernel registered their hooks (legacy first: its tables outlive every flush). */
function rulesetsOf(c: GeneratedCase): Ruleset[] {
  const out: Ruleset[] = [];
  if (c.legacy4) out.push(parseIptablesSave(c.legacy4, { family: 'ipv4', backend: 'legacy' }).ruleset);
  if (c.legacy6) out.push(parseIptablesSave(c.legacy6, { family: 'ipv6', backend: 'legacy' }).ruleset);
  if (c.iptNft4) out.push(parseIptablesSave(c.iptNft4, { family: 'ipv4', backend: 'nft' }).ruleset);
  if (c.iptNft6) out.push(parseIptablesSave(c.iptNft6, { family: 'ipv6', backend: 'nft' }).ruleset);
  if (c.nft) out.push(c.nft);
  return out;
}

function caseText(c: GeneratedCase): string {
  return [
    c.legacy4 && `## iptables-legacy\n${c.legacy4}`, c.legacy6 && `## ip6tables-legacy\n${c.legacy6}`,
    c.iptNft4 && `## iptables-nft\n${c.iptNft4}`, c.iptNft6 && `## ip6tables-nft\n${c.iptNft6}`,
    c.nft && `## nft\n${printNftRuleset(c.nft)}`,
  ].filter(Boolean).join('\n');
}

const TOOLS = ['ip', 'ping', 'nc', 'tcpdump', 'nft', 'iptables-nft-restore', 'ip6tables-nft-restore', 'iptables-legacy-restore', 'ip6tables-legacy-restore'];
const skip = realitySkipReason(TOOLS);

describe.skipIf(skip !== null)('netfilter engine vs the kernel (root)', () => {
  const labs: NetnsLab[] = [];
  afterAll(async () => {
    for (const lab of labs) await lab.destroy();
  });

  it(`predicts what the client sees for ${CASES} generated rulesets`, async () => {
    const mismatches: Mismatch[] = [];
    const counts = { cases: 0, probes: 0, agreed: 0, byKind: new Map<string, number>(), outcomes: new Map<string, number>() };
    const lane = async (index: number): Promise<void> => {
      const lab = new NetnsLab('nk');
      labs.push(lab);
      const topo = await buildRouterTopology(lab, LISTENING);
      const names: RouterNames = { rc: topo.ifaces.routerClient, rs: topo.ifaces.routerServer };
      const context = {
        interfaces: [
          { name: names.rc, addresses: [`${A.routerClientSide.v4}/24`, `${A.routerClientSide.v6}/64`] },
          { name: names.rs, addresses: [`${A.routerServerSide.v4}/24`, `${A.routerServerSide.v6}/64`] },
          { name: 'lo', addresses: ['127.0.0.1/8', '::1/128'] },
        ],
      };
      for (let seed = index; seed < CASES; seed += LANES) {
        const c = generateCase(seed, names);
        await load(topo, c);
        const observations = await topo.prober.run(PROBES);
        const host = compileHost(rulesetsOf(c), { context });
        counts.cases++;
        counts.byKind.set(c.kind, (counts.byKind.get(c.kind) ?? 0) + 1);
        for (const obs of observations) {
          const exp = predict(host, names, LISTENING, obs.probe, obs.sport);
          counts.probes++;
          const same = describeObs(obs) === describeObs(exp) && obs.kind !== 'unclear' && clientWordsAgree(obs, exp);
          if (same) {
            counts.agreed++;
            counts.outcomes.set(obs.kind, (counts.outcomes.get(obs.kind) ?? 0) + 1);
          } else {
            mismatches.push({
              seed, kind: c.kind, probe: `${obs.probe.service} ${obs.probe.dst}${obs.probe.port ? `:${obs.probe.port}` : ''} (sport ${obs.sport ?? '-'})`,
              observed: `${describeObs(obs)} — client said: ${obs.client}`, expected: describeObs(exp), why: exp.why, rulesets: caseText(c),
            });
          }
        }
      }
    };
    await Promise.all(Array.from({ length: LANES }, (_, i) => lane(i)));
    const kinds = [...counts.byKind].map(([k, n]) => `${k} ${n}`).join(', ');
    const outcomes = [...counts.outcomes].map(([k, n]) => `${k} ${n}`).join(', ');
    process.stdout.write(`kernel agreement: ${counts.agreed}/${counts.probes} probes agree over ${counts.cases} rulesets (${kinds}); agreed outcomes: ${outcomes}\n`);
    for (const m of mismatches.slice(0, 5)) {
      process.stdout.write(`\nMISMATCH seed ${m.seed} (${m.kind}) ${m.probe}\n  kernel: ${m.observed}\n  engine: ${m.expected}\n  ${m.why.join('\n  ')}\n${m.rulesets}\n`);
    }
    expect(mismatches.map((m) => `seed ${m.seed} ${m.probe}: kernel ${m.observed} / engine ${m.expected}`)).toEqual([]);
  }, 900_000);
});
