// What real firewalld 1.3.3 put into the kernel (dumps captured by
// test/reality/firewalld-real.test.ts, see test/fixtures/layers/firewalld-1.3.3/notes.txt)
// gives every probe packet the same verdict and NAT decision as the model —
// pinned here without root. Found this way: a source binding wins over the
// interface the packet came in by (firewalld dispatches by sources first); a
// policy applies by its zones' interfaces, whatever zone the packet was
// dispatched to; a rich rule's <reject/> answers port-unreachable; RFC3964_IPv4
// and IPv6_rpfilter rules exist.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIREWALLD_2_FIXTURES, FIREWALLD_FIXTURES } from '../fixtures/fixturePaths.ts';
import { FIREWALLD_SCENARIOS, firewalldModelSteps, type FirewalldBackend } from '../reality/layerTools/firewalldScenarios.ts';
import { PROBES, realState, verdictOf } from '../reality/layerTools/verdictMatrix.ts';

const scenario = FIREWALLD_SCENARIOS.find((s) => s.slug === 'zones-policy');
const targetsRich = FIREWALLD_SCENARIOS.find((s) => s.slug === 'targets-rich');

function dump(backend: FirewalldBackend, step: string, kind: 'nft' | 'ipv4' | 'ipv6', slug = 'zones-policy'): string {
  const file = join(FIREWALLD_FIXTURES, 'dumps', `${slug}.${backend}.${step}.${kind}.txt`);
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

  for (const backend of ['nftables', 'iptables'] as const) {
    it(`FirewallBackend=${backend}, zone targets, icmp-block, rich rule, priority -1 policy: same verdict for every probe`, () => {
      if (!targetsRich) throw new Error('scenario targets-rich missing');
      const model = firewalldModelSteps(targetsRich, backend)[0];
      const real = realState({ nft: dump(backend, '0-start', 'nft', 'targets-rich'), ipv4: dump(backend, '0-start', 'ipv4', 'targets-rich'), ipv6: dump(backend, '0-start', 'ipv6', 'targets-rich') });
      const verdicts = (s: typeof real) => PROBES.map((p) => `${p.hook} ${p.name}: ${verdictOf(s, p)}`);
      expect(verdicts(model.state)).toEqual(verdicts(real));
    });
  }

  it('a policy applies by its zones\' interfaces: from a source of DROP zone dmz, arriving on external\'s eth1, the external → internal policy still accepts', () => {
    if (!targetsRich) throw new Error('scenario targets-rich missing');
    const probe = PROBES.find((p) => p.name === 'eth1 from 10.20.1.1 → virbr3 tcp/443');
    if (!probe) throw new Error('probe missing');
    const real = realState({ nft: dump('nftables', '0-start', 'nft', 'targets-rich'), ipv4: '', ipv6: '' });
    expect(verdictOf(real, probe)).toBe('{"kind":"accept"}');
    expect(verdictOf(firewalldModelSteps(targetsRich, 'nftables')[0].state, probe)).toBe('{"kind":"accept"}');
  });

  it('firewalld 2.3.1 (Debian 13) instead drops that packet: policies go by the dispatched zone (dmz, target DROP); every probe agrees with its dump', () => {
    if (!targetsRich) throw new Error('scenario targets-rich missing');
    const probe = PROBES.find((p) => p.name === 'eth1 from 10.20.1.1 → virbr3 tcp/443');
    if (!probe) throw new Error('probe missing');
    const v2 = (backend: FirewalldBackend, kind: 'nft' | 'ipv4' | 'ipv6') => (kind === 'nft' && backend === 'iptables' ? '' : readFileSync(join(FIREWALLD_2_FIXTURES, 'dumps', `targets-rich.${backend}.0-start.${kind}.txt`), 'utf8'));
    for (const backend of ['nftables', 'iptables'] as const) {
      const real = realState({ nft: v2(backend, 'nft'), ipv4: v2(backend, 'ipv4'), ipv6: v2(backend, 'ipv6') });
      const model = firewalldModelSteps(targetsRich, backend, '2.3.1')[0].state;
      expect(verdictOf(real, probe)).toBe('{"kind":"drop"}');
      expect(PROBES.map((p) => `${backend} ${p.name}: ${verdictOf(model, p)}`)).toEqual(PROBES.map((p) => `${backend} ${p.name}: ${verdictOf(real, p)}`));
    }
  });

  it('a rich rule <reject/> without a type answers port-unreachable, not admin-prohibited', () => {
    if (!targetsRich) throw new Error('scenario targets-rich missing');
    const probe = PROBES.find((p) => p.name.includes('(rich rule)'));
    if (!probe) throw new Error('probe missing');
    expect(verdictOf(firewalldModelSteps(targetsRich, 'nftables')[0].state, probe)).toContain('port-unreachable');
    expect(verdictOf(realState({ nft: dump('nftables', '0-start', 'nft', 'targets-rich'), ipv4: '', ipv6: '' }), probe)).toContain('port-unreachable');
  });

  it('a source binding wins over the interface: 192.168.20.5 arriving on eth1 (zone external) is in zone internal, which allows dns', () => {
    if (!scenario) throw new Error('scenario zones-policy missing');
    const probe = PROBES.find((p) => p.name.includes('source binding'));
    if (!probe) throw new Error('probe missing');
    const real = realState({ nft: dump('nftables', '0-start', 'nft'), ipv4: '', ipv6: '' });
    expect(verdictOf(real, probe)).toBe('{"kind":"accept"}');
    expect(verdictOf(firewalldModelSteps(scenario, 'nftables')[0].state, probe)).toBe('{"kind":"accept"}');
  });
});
