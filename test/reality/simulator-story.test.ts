// The story's lab in its variants, built in network namespaces: every matrix
// cell probed with the real kernel and compared with the simulator's verdict.

import { afterEach, describe, expect, it } from 'vitest';
import type { Lab } from '../../shared/lab/labModel.ts';
import { parseIptablesSave } from '../../shared/netfilter/iptables/parseIptablesSave.ts';
import { parseNft } from '../../shared/netfilter/nft/parseNft.ts';
import type { Ruleset } from '../../shared/netfilter/model.ts';
import type { HostRuntime } from '../../shared/simulator/hostRuntime.ts';
import { buildLabWorld } from '../../shared/simulator/labWorld.ts';
import { computeMatrix } from '../../shared/simulator/matrix.ts';
import { iptablesSave, libvirtRules, storyLab } from '../../shared/simulator/simulatorTestkit.testkit.ts';
import { NetnsLab } from './netns/netnsLab.ts';
import { realitySkipReason } from './netns/realityGuard.ts';
import { probeMatrix } from './lab/compareMatrix.ts';
import { realizeWorld } from './lab/worldNamespaces.ts';

const skip = realitySkipReason(['ip', 'iptables-restore', 'iptables-legacy-restore', 'nft', 'ping', 'nc', 'tcpdump']);

function runtime(lab: Lab, rulesets: Ruleset[], over: Partial<HostRuntime['sysctls']> = {}): HostRuntime {
  const s = lab.host.sysctls;
  return {
    netfilter: rulesets,
    sysctls: { ipForward: s.ipForward, interfaceForwarding: {}, rpFilter: { ...s.rpFilter, interfaces: {} }, bridgeNfCallIptables: s.bridgeNfCallIptables, setBy: {}, ...over },
    runningNetworkIds: lab.networks.map((n) => n.id),
    notes: [],
  };
}

function legacy(text: string): Ruleset {
  return parseIptablesSave(text, { family: 'ipv4', backend: 'legacy' }).ruleset;
}

interface Case {
  name: string;
  lab: Lab;
  rulesets: Ruleset[];
  sysctls?: Partial<HostRuntime['sysctls']>;
}

function cases(): Case[] {
  const out: Case[] = [];
  for (const mode of ['isolated', 'route', 'nat'] as const) {
    const lab = storyLab(mode);
    const r = libvirtRules(mode);
    out.push({ name: `${mode} (libvirt's rules, SuSEfirewall2-style DROP policies)`, lab, rulesets: [legacy(iptablesSave([...r.filter, '-A FORWARD -j DROP'], r.nat, { INPUT: 'ACCEPT', FORWARD: 'DROP' }))] });
  }
  const flushed = storyLab('isolated');
  out.push({ name: 'isolated + own flush script (no rules, policies ACCEPT)', lab: flushed, rulesets: [] });
  const noReturn = storyLab('route');
  noReturn.gateway.routes = [];
  out.push({ name: 'routed without a return route', lab: noReturn, rulesets: [legacy(iptablesSave(libvirtRules('route').filter))] });
  const off = storyLab('route');
  out.push({ name: 'routed, ip_forward off', lab: off, rulesets: [legacy(iptablesSave(libvirtRules('route').filter))], sysctls: { ipForward: false } });
  const second = storyLab('nat');
  const nft = parseNft('table inet guard {\n\tchain forward_guard {\n\t\ttype filter hook forward priority 10; policy accept;\n\t\ttcp dport 443 drop\n\t}\n}\n').ruleset;
  out.push({ name: 'NAT + a second nft table that drops tcp/443', lab: second, rulesets: [legacy(iptablesSave(libvirtRules('nat').filter, libvirtRules('nat').nat)), nft] });
  return out;
}

describe.skipIf(skip !== null)('simulator vs kernel: the story\'s lab', () => {
  let lab: NetnsLab | null = null;
  afterEach(async () => {
    await lab?.destroy();
    lab = null;
  });

  for (const c of cases()) {
    it(c.name, async () => {
      const world = buildLabWorld(c.lab, runtime(c.lab, c.rulesets, c.sysctls));
      const matrix = computeMatrix(world, c.lab.services);
      lab = new NetnsLab('sim');
      const realized = await realizeWorld(lab, world, { hostRulesets: c.rulesets, probedPorts: { tcp: [22, 443], udp: [53] } });
      const { cells, mismatches } = await probeMatrix(lab, realized, matrix);
      expect(cells).toBeGreaterThan(10);
      expect(mismatches).toEqual([]);
    });
  }
});
