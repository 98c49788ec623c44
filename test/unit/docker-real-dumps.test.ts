// What real dockerd left in the kernel (dumps captured by
// test/reality/docker-real.test.ts from Debian 12's docker.io 20.10.24 and
// Debian 13's 26.1.5, see test/fixtures/layers/docker-<version>/notes.txt) is
// what the model's Docker driver produces for the same steps — pinned here so
// the findings hold without root: FORWARD DROP only when dockerd flipped
// ip_forward, Docker's jumps on top of rules that were there before, DOCKER-USER
// kept across a restart, icc=false's DROP, userland-proxy=false's hairpin NAT,
// iptables=false and ip-forward=false leaving the tables alone, no IPv6 table;
// user-defined networks (default pools, enable_icc=false's appended DROP,
// --internal, no masquerade, restored before docker0 on a restart) and
// published ports (DNAT, per-port ACCEPT and MASQUERADE, gone with the
// containers, hairpin mode).

import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { iptablesDifferences } from '../reality/layerTools/compareIptables.ts';
import { DOCKER_SCENARIOS, dockerModelSteps } from '../reality/layerTools/dockerScenarios.ts';

const LAYERS = fileURLToPath(new URL('../fixtures/layers/', import.meta.url));

for (const version of ['20.10.24', '26.1.5']) {
  const dir = join(LAYERS, `docker-${version}`, 'dumps');
  const files = readdirSync(dir).filter((f) => f.endsWith('.save'));

  describe(`real dockerd ${version} dumps equal the model`, () => {
    it('every scenario and every step has its IPv4 and IPv6 dump', () => {
      const expected = DOCKER_SCENARIOS.flatMap((s) => dockerModelSteps(s, version).flatMap((m, i) => ['ipv4', 'ipv6'].map((f) => `${s.slug}.${i}-${m.name.replace(/ /g, '-')}.${f}.save`)));
      expect(files.sort()).toEqual(expected.sort());
    });

    it.each(files)('%s', (file) => {
      const [slug, step, family] = file.replace(/\.save$/, '').split('.') as [string, string, 'ipv4' | 'ipv6'];
      const scenario = DOCKER_SCENARIOS.find((s) => s.slug === slug);
      if (!scenario) throw new Error(`no scenario ${slug}`);
      const model = dockerModelSteps(scenario, version)[Number(step.split('-')[0])];
      expect({ refused: model.refused, errors: model.errors }).toEqual({ refused: [], errors: [] });
      expect(iptablesDifferences(family, readFileSync(join(dir, file), 'utf8'), model.iptables[family], 'nft')).toEqual([]);
    });
  });
}

describe('what the real dumps show', () => {
  const read = (file: string) => readFileSync(join(LAYERS, 'docker-26.1.5', 'dumps', file), 'utf8');
  it('userland-proxy=false: hairpin MASQUERADE above the subnet MASQUERADE, no RETURN for docker0 in nat DOCKER', () => {
    const nat = read('icc-off-no-proxy.0-dockerd-start.ipv4.save').split('*nat')[1];
    expect(nat).toContain('-A POSTROUTING -o docker0 -m addrtype --src-type LOCAL -j MASQUERADE\n-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE');
    expect(nat).not.toContain('-A DOCKER -i docker0 -j RETURN');
  });
  it('a user network with enable_icc=false: its DROP is the last FORWARD rule (appended), the other three on top', () => {
    const forward = read('networks.2-network-noicc.ipv4.save').split('\n').filter((l) => l.startsWith('-A FORWARD'));
    expect(forward.at(-1)).toMatch(/^-A FORWARD -i (br-[0-9a-f]{12}) -o \1 -j DROP$/);
    expect(forward[2]).toMatch(/^-A FORWARD -o br-[0-9a-f]{12} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT$/);
  });
  it('a published port: DNAT in nat DOCKER (with the host address when given), gone after dockerd stop', () => {
    expect(read('ports.2-run-c2.ipv4.save')).toContain('-A DOCKER -d 127.0.0.1/32 ! -i docker0 -p udp -m udp --dport 8081 -j DNAT --to-destination 172.17.0.3:81');
    expect(read('ports.8-dockerd-stop.ipv4.save')).not.toContain('DNAT');
  });
});
