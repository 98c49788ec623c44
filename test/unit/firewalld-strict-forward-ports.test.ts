// StrictForwardPorts=yes against real firewalld, pinned without root: the dumps real 2.3.1 and
// 1.3.3 left for scenario "strict-forward-ports" (captured by test/reality/firewalld-real.test.ts)
// give a packet DNAT'd by another tool (docker's published port, an own DNAT rule) the verdict the
// model gives — rejected by 2.3.1 (filter_INPUT_dnat / filter_FORWARD_dnat), accepted by 1.3.3,
// which ignores the key. And how firewalld.conf's value is read.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIREWALLD_2_FIXTURES, FIREWALLD_FIXTURES } from '../fixtures/fixturePaths.ts';
import { parseFirewalldConf } from '../../shared/layers/firewalld/firewalldSetup.ts';
import type { ConfigProblem } from '../../shared/layers/layerActions.ts';
import { FIREWALLD_SCENARIOS, firewalldModelSteps, type FirewalldBackend } from '../reality/layerTools/firewalldScenarios.ts';
import { PROBES, realState, verdictOf } from '../reality/layerTools/verdictMatrix.ts';

const scenario = FIREWALLD_SCENARIOS.find((s) => s.slug === 'strict-forward-ports');
// DNAT'd by another tool (the forward-port probes of scenario forward-ports* are pinned in firewalld-forward-ports.test.ts).
const DNAT_PROBES = PROBES.filter((p) => p.packet.ctStatus?.includes('DNAT') && p.name.includes('(published port)'));
const ACCEPTED = JSON.stringify({ kind: 'accept' });
/** firewalld's own reject: nft `reject with icmpx admin-prohibited`, iptables `%%REJECT%%` (icmp-host-prohibited). */
const REJECTED: Record<FirewalldBackend, string> = {
  nftables: JSON.stringify({ kind: 'reject', with: { kind: 'icmp', family: 'ipv4', code: 13, name: 'icmpx admin-prohibited' } }),
  iptables: JSON.stringify({ kind: 'reject', with: { kind: 'icmp', family: 'ipv4', code: 10, name: 'icmp-host-prohibited' } }),
};

function realDumps(dir: string, backend: FirewalldBackend) {
  const read = (kind: string) => readFileSync(join(dir, 'dumps', `strict-forward-ports.${backend}.0-start.${kind}.txt`), 'utf8');
  // The iptables backend's nft listing is not stored (it repeats the iptables tables).
  return realState({ nft: backend === 'iptables' ? '' : read('nft'), ipv4: read('ipv4'), ipv6: read('ipv6') });
}

describe('StrictForwardPorts=yes: real firewalld dumps and the model agree on DNAT\'d packets', () => {
  it('the scenario and its DNAT probes exist', () => {
    expect(scenario?.conf).toBe('StrictForwardPorts=yes\n');
    expect(DNAT_PROBES.map((p) => p.hook)).toEqual(['input', 'forward']);
  });

  for (const { version, dir, strict } of [
    { version: '2.3.1', dir: FIREWALLD_2_FIXTURES, strict: true },
    { version: '1.3.3', dir: FIREWALLD_FIXTURES, strict: false },
  ]) {
    for (const backend of ['nftables', 'iptables'] as const) {
      const expected = strict ? REJECTED[backend] : ACCEPTED;
      it(`firewalld ${version}, FirewallBackend=${backend}: ${strict ? 'rejected by filter_*_dnat' : 'accepted (key ignored)'}, in the real dumps and in the model`, () => {
        const real = realDumps(dir, backend);
        const model = firewalldModelSteps(scenario!, backend, version)[0].state;
        for (const probe of DNAT_PROBES) {
          expect(`${probe.name}: ${verdictOf(real, probe)}`).toBe(`${probe.name}: ${expected}`);
          expect(`${probe.name}: ${verdictOf(model, probe)}`).toBe(`${probe.name}: ${expected}`);
        }
      });
    }
  }
});

describe('StrictForwardPorts in firewalld.conf', () => {
  const read = (text: string, version: string) => {
    const problems: ConfigProblem[] = [];
    return { strict: parseFirewalldConf(text, version, problems).strictForwardPorts, problems: problems.map((p) => `${p.line}:${p.column} ${p.message}`) };
  };

  it('yes/true (any case) is strict from 2.3 on; no, false, empty or absent is not', () => {
    expect(read('StrictForwardPorts=yes\n', '2.3.1')).toEqual({ strict: true, problems: [] });
    expect(read('StrictForwardPorts=True\n', '2.3.0')).toEqual({ strict: true, problems: [] });
    expect(read('StrictForwardPorts=no\n', '2.3.1')).toEqual({ strict: false, problems: [] });
    expect(read('StrictForwardPorts=FALSE\n', '2.4.0')).toEqual({ strict: false, problems: [] });
    expect(read('StrictForwardPorts=\n', '2.3.1')).toEqual({ strict: false, problems: [] });
    expect(read('DefaultZone=public\n', '2.3.1')).toEqual({ strict: false, problems: [] });
  });

  it('any other value is strict, as firewalld reads it (fw.py: not no/false → yes), with a warning', () => {
    expect(read('DefaultZone=public\nStrictForwardPorts=1\n', '2.3.1')).toEqual({ strict: true, problems: ['2:1 StrictForwardPorts=1 is not yes or no; firewalld reads anything but no/false as yes'] });
  });

  it('before 2.3.0 the key is unknown to firewalld: ignored, with a warning naming the version', () => {
    expect(read('StrictForwardPorts=yes\n', '2.2.1')).toEqual({ strict: false, problems: ['1:1 firewalld 2.2.1 does not know StrictForwardPorts (added in 2.3.0): it logs "Invalid option" and ignores it'] });
  });
});
