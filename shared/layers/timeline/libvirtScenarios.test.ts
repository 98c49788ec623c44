// The captured libvirt scenarios, replayed as lab timelines through
// foldTimeline: every dump of every scenario, in order, byte for byte. Where
// libvirt's real reload order is random, the dump must be one of the outcomes
// the fold reports, and the fold must say that the order is not fixed; the
// fold is then run in the order the capture happened to use (commands.txt) to
// follow the same branch for the later dumps.

import { describe, expect, it } from 'vitest';
import { foldTimeline, type FoldOptions } from './foldTimeline.ts';
import { caseHas, caseNames, FOLDERS, folderSetup, printIpt, printNft, readDump } from '../../../test/testkit/libvirtFixtureCase.ts';
import { capturedReloadOrder, nftTableBlocks, scenarioLab } from './libvirtScenarioLab.testkit.ts';
import type { FixtureFolder } from '../../../test/testkit/libvirtFixtureCase.ts';
import type { NetfilterState } from '../../netfilter/netfilterState.ts';

function expectDumps(folder: FixtureFolder, name: string, state: NetfilterState, label: string): void {
  const { iptablesVersion, backend } = folderSetup(folder);
  const file = (prefix: string) => `${prefix}-${label}.txt`;
  if (caseHas(folder, name, file('iptables'))) {
    // switch-backend cases keep every tool's dump.
    expect(printIpt(state, 'ipv4', iptablesVersion)).toBe(readDump(folder, name, file('iptables')));
    expect(printIpt(state, 'ipv6', iptablesVersion)).toBe(readDump(folder, name, file('ip6tables')));
    const want = nftTableBlocks(readDump(folder, name, file('nft')));
    const got = nftTableBlocks(printNft(state));
    for (const key of ['ip libvirt_network', 'ip6 libvirt_network']) expect(got.get(key), key).toBe(want.get(key));
    return;
  }
  if (backend === 'nftables') {
    const want = readDump(folder, name, file('ruleset'));
    const got = printNft(state);
    if (name === 'preexisting-host-rules') {
      // iptables-nft's own tables are kept as iptables rulesets in the model (printed by iptables-save).
      for (const key of ['ip libvirt_network', 'ip6 libvirt_network']) expect(nftTableBlocks(got).get(key), key).toBe(nftTableBlocks(want).get(key));
      expect(printIpt(state, 'ipv4', iptablesVersion)).toContain(':FORWARD DROP\n');
      expect(printIpt(state, 'ipv4', iptablesVersion)).toContain('-A FORWARD -j DROP\n');
      return;
    }
    expect(got).toBe(want);
    expect(printNft(state, true)).toBe(readDump(folder, name, file('ruleset-handles')));
    return;
  }
  expect(printIpt(state, 'ipv4', iptablesVersion)).toBe(readDump(folder, name, file('ruleset')));
  expect(printIpt(state, 'ipv6', iptablesVersion)).toBe(readDump(folder, name, file('ruleset6')));
}

for (const folder of FOLDERS) {
  describe(`libvirt ${folder}: scenarios through the timeline fold`, () => {
    for (const name of caseNames(folder, /^(?!.*-(single|pair)$)(?!.*-trials$)(?!status-xml$)/)) {
      it(name, () => {
        const { lab, dumps } = scenarioLab(folder, name);
        expect(dumps.length).toBeGreaterThan(0);
        for (const dump of dumps) {
          // Each fold replays the reload orders the captured daemon happened to use.
          const options: FoldOptions = { reloadOrder: capturedReloadOrder(folder, name) };
          const host = foldTimeline(lab, { ...options, uptoEventId: dump.afterEventId });
          expectDumps(folder, name, host.state, dump.label);
        }
      });
    }
  });
}
