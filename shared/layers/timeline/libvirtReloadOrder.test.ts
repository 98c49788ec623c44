// Where real libvirt's outcome is random (the order in which it reloads its
// networks after a restart), the fold must show one outcome, say that the
// order is not fixed, and report the other outcomes: their set must be the set
// the captured trials produced (fixtures */restart-order-trials/trials.txt,
// v11-nftables/nft-flush-restart-trials/trials.txt).

import { describe, expect, it } from 'vitest';
import { foldTimeline } from './foldTimeline.ts';
import { FOLDERS, folderSetup, readCase, readDump } from '../../../test/testkit/libvirtFixtureCase.ts';
import { scenarioLab } from './libvirtScenarioLab.testkit.ts';
import type { NetfilterState } from '../../netfilter/netfilterState.ts';
import { formatIptRule } from '../../netfilter/iptables/printIptablesSave.ts';
import { formatNftRule } from '../../netfilter/nft/printNftRuleset.ts';
import { printIpt, printNft } from '../../../test/testkit/libvirtFixtureCase.ts';

function firstCrossRule(state: NetfilterState, backend: 'iptables' | 'nftables'): string {
  if (backend === 'nftables') {
    const chain = state.nft.tables.find((t) => t.family === 'ip' && t.name === 'libvirt_network')?.chains.find((c) => c.name === 'guest_cross');
    return chain?.rules[0] ? formatNftRule(chain.rules[0]) : '(none)';
  }
  const chain = state.iptables.nft.ipv4.tables.find((t) => t.name === 'filter')?.chains.find((c) => c.name === 'LIBVIRT_FWX');
  return chain?.rules[0] ? formatIptRule('LIBVIRT_FWX', chain.rules[0]) : '(none)';
}

function trialOutcomes(text: string, pattern: RegExp): Set<string> {
  return new Set(text.split('\n').flatMap((l) => pattern.exec(l)?.[1] ?? []).map((s) => s.trim()));
}

describe('restart: the order between networks is not fixed', () => {
  for (const folder of FOLDERS) {
    it(`${folder}: the fold shows start order, says so, and its alternatives cover every captured trial`, () => {
      const { backend } = folderSetup(folder);
      const { lab } = scenarioLab(folder, 'restart-order-trials');
      const host = foldTimeline(lab, { keepAlternativeStates: true });
      const restart = lab.events.find((e) => e.kind === 'libvirtd-restart');
      expect(host.notes.some((n) => n.eventId === restart?.id && n.severity === 'info' && /not fixed/.test(n.text))).toBe(true);
      const alt = host.reloadAlternatives.find((a) => a.eventId === restart?.id);
      expect(alt?.shownOrder).toEqual(['net11', 'net10']);
      // Only the block order differs: the same rules in every order, so no warning.
      expect(alt?.alternatives.every((a) => a.sameRulesAsShown)).toBe(true);
      expect(host.notes.some((n) => n.severity === 'warning')).toBe(false);
      const outcomes = new Set([firstCrossRule(host.state, backend), ...(alt?.alternatives ?? []).map((a) => firstCrossRule(a.state as NetfilterState, backend))]);
      expect(outcomes).toEqual(trialOutcomes(readCase(folder, 'restart-order-trials', 'trials.txt'), /after: (.*)$/));
      // Start order keeps the layout from before the restart: the most recently started network on top.
      expect(firstCrossRule(host.state, backend)).toContain('virbr3');
    });
  }

  it('the captured restart dumps are among the outcomes the fold reports', () => {
    for (const folder of FOLDERS) {
      for (const name of ['restart', 'restart-reverse-order']) {
        const { lab, dumps } = scenarioLab(folder, name);
        const after = dumps.find((d) => d.label === '2-after-restart');
        const host = foldTimeline(lab, { uptoEventId: after?.afterEventId, keepAlternativeStates: true });
        const print = (s: NetfilterState) => (folderSetup(folder).backend === 'nftables' ? printNft(s) : printIpt(s, 'ipv4', folderSetup(folder).iptablesVersion));
        const states = [host.state, ...host.reloadAlternatives.flatMap((a) => a.alternatives.map((x) => x.state as NetfilterState))];
        expect(states.map(print), `${folder}/${name}`).toContain(readDump(folder, name, 'ruleset-2-after-restart.txt'));
      }
    }
  });
});

describe('nft flush ruleset + restart: a network may lose its rules', () => {
  it('start order keeps both networks; the reverse order loses net11, as 3 of 6 captured trials did; the fold warns', () => {
    const { lab } = scenarioLab('v11-nftables', 'nft-flush-restart-trials');
    const host = foldTimeline(lab, { keepAlternativeStates: true });
    const count = (s: NetfilterState, bridge: string) =>
      s.nft.tables.filter((t) => t.family === 'ip' && t.name === 'libvirt_network').flatMap((t) => t.chains.flatMap((c) => c.rules)).filter((r) => formatNftRule(r).includes(`"${bridge}"`)).length;
    const outcome = (s: NetfilterState) => `virbr3 rules: ${count(s, 'virbr3')}, virbr4 rules: ${count(s, 'virbr4')}`;
    const alternatives = host.reloadAlternatives.flatMap((a) => a.alternatives);
    const outcomes = new Set([outcome(host.state), ...alternatives.map((a) => outcome(a.state as NetfilterState))]);
    expect(outcomes).toEqual(trialOutcomes(readCase('v11-nftables', 'nft-flush-restart-trials', 'trials.txt'), /^run \d+: (.*)$/));
    expect(outcome(host.state)).toBe('virbr3 rules: 5, virbr4 rules: 5');
    expect(alternatives).toMatchObject([{ order: ['net11', 'net10'], sameRulesAsShown: false, rulesPerNetwork: { net10: 10, net11: 0 } }]);
    const warning = host.notes.find((n) => n.severity === 'warning');
    expect(warning?.text).toContain('If libvirt reloads in the order net11, net10, network net11 keeps 0 of its 5 rules');
    expect(warning?.text).toContain('stored rule handles');
  });
});

describe('iptables backend: other orders are listed without replaying them', () => {
  it('gives the same orders and rule counts as replaying them would', () => {
    const { lab } = scenarioLab('v9-iptables', 'restart-order-trials');
    const listed = foldTimeline(lab).reloadAlternatives;
    const replayed = foldTimeline(lab, { keepAlternativeStates: true }).reloadAlternatives;
    expect(listed.map((a) => a.simulated)).toEqual([false]);
    expect(replayed.map((a) => a.simulated)).toEqual([true]);
    const strip = (xs: typeof listed) => xs.map((a) => ({ ...a, simulated: null, alternatives: a.alternatives.map(({ state: _state, ...rest }) => rest) }));
    expect(strip(listed)).toEqual(strip(replayed));
  });
});
