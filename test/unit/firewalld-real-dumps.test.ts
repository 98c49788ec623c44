// What real firewalld 1.3.3 put into the kernel (dumps captured by
// test/reality/firewalld-real.test.ts, see test/fixtures/layers/firewalld-1.3.3/notes.txt)
// gives every probe packet the same verdict and NAT decision as the model —
// pinned here without root. Found this way: a source binding wins over the
// interface the packet came in by (firewalld dispatches by sources first).

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIREWALLD_FIXTURES } from '../fixtures/fixturePaths.ts';
import { FIREWALLD_SCENARIOS, firewalldModelSteps, type FirewalldBackend } from '../reality/layerTools/firewalldScenarios.ts';
import { PROBES, realState, verdictOf } from '../reality/layerTools/verdictMatrix.ts';

const scenario = FIREWALLD_SCENARIOS.find((s) => s.slug === 'zones-policy');

function dump(backend: FirewalldBackend, step: string, kind: 'nft' | 'ipv4' | 'ipv6'): string {
  const file = join(FIREWALLD_FIXTURES, 'dumps', `zones-policy.${backend}.${step}.${kind}.txt`);
  // The iptables backend's nft listing is not stored (it repeats the iptables tables).
  if (kind === 'nft' && backend === 'iptables') return '';
  return readFileSync(file, 'utf8');
}

describe('real firewalld 1.3.3 dumps give the model\'s verdicts', () => {
  it('the fixtures are there', () => {
    expect(scenario).toBeDefined();
    expect(existsSync(join(FIREWALLD_FIXTURES, 'dumps', 'zones-policy.nftables.0-start.nft.txt'))).toBe(true);
  });

  for (const backend of ['nftables', 'iptables'] as const) {
    it.each([['0-start', 0], ['1-reload', 1]] as const)(`FirewallBackend=${backend}, %s: same verdict for every probe`, (step, index) => {
      if (!scenario) throw new Error('scenario zones-policy missing');
      const model = firewalldModelSteps(scenario, backend)[index];
      expect(model.refused).toEqual([]);
      const real = realState({ nft: dump(backend, step, 'nft'), ipv4: dump(backend, step, 'ipv4'), ipv6: dump(backend, step, 'ipv6') });
      const verdicts = (s: typeof real) => PROBES.map((p) => `${p.hook} ${p.name}: ${verdictOf(s, p)}`);
      expect(verdicts(model.state)).toEqual(verdicts(real));
    });
  }

  it('a source binding wins over the interface: 192.168.20.5 arriving on eth1 (zone external) is in zone internal, which allows dns', () => {
    if (!scenario) throw new Error('scenario zones-policy missing');
    const probe = PROBES.find((p) => p.name.includes('source binding'));
    if (!probe) throw new Error('probe missing');
    const real = realState({ nft: dump('nftables', '0-start', 'nft'), ipv4: '', ipv6: '' });
    expect(verdictOf(real, probe)).toBe('{"kind":"accept"}');
    expect(verdictOf(firewalldModelSteps(scenario, 'nftables')[0].state, probe)).toBe('{"kind":"accept"}');
  });
});
