// Port forwarding (<forward-port> in a zone and a policy, rich rule forward-port) against real
// firewalld, pinned without root: the dumps real 1.3.3 and 2.3.1 left for scenarios
// "forward-ports" and "forward-ports-strict" (test/reality/firewalld-real.test.ts) give every probe
// the verdict and DNAT decision the model gives, in both backends; the layout itself is compared
// line by line in firewalld-layout-dumps.test.ts. And how the element is read.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIREWALLD_2_FIXTURES, FIREWALLD_FIXTURES } from '../fixtures/fixturePaths.ts';
import { buildFirewalldSetup } from '../../shared/layers/firewalld/firewalldSetup.ts';
import { parseZoneXml } from '../../shared/layers/firewalld/firewalldXml.ts';
import { FIREWALLD_SCENARIOS, firewalldModelSteps, type FirewalldBackend } from '../reality/layerTools/firewalldScenarios.ts';
import { PROBES, realState, verdictOf } from '../reality/layerTools/verdictMatrix.ts';

const RELEASES = [
  { version: '1.3.3', dir: FIREWALLD_FIXTURES },
  { version: '2.3.1', dir: FIREWALLD_2_FIXTURES },
];

function real(dir: string, slug: string, backend: FirewalldBackend) {
  const read = (kind: string) => readFileSync(join(dir, 'dumps', `${slug}.${backend}.0-start.${kind}.txt`), 'utf8');
  // The iptables backend's nft listing is not stored (it repeats the iptables tables).
  return realState({ nft: backend === 'iptables' ? '' : read('nft'), ipv4: read('ipv4'), ipv6: read('ipv6') });
}

const scenario = (slug: string) => {
  const s = FIREWALLD_SCENARIOS.find((x) => x.slug === slug);
  if (!s) throw new Error(`scenario ${slug} missing`);
  return s;
};
const probe = (start: string) => {
  const p = PROBES.find((x) => x.name.startsWith(start));
  if (!p) throw new Error(`probe ${start} missing`);
  return p;
};
const DNAT_2222 = JSON.stringify({ verdict: { kind: 'accept' }, nat: { type: 'dnat', to: '192.168.10.50', ports: '22' } });

describe('firewalld forward-ports: the real dumps give the model\'s verdicts and DNAT decisions', () => {
  for (const { version, dir } of RELEASES) {
    for (const slug of ['forward-ports', 'forward-ports-strict']) {
      for (const backend of ['nftables', 'iptables'] as const) {
        it(`${version}, ${slug}, FirewallBackend=${backend}: every probe`, () => {
          const model = firewalldModelSteps(scenario(slug), backend, version)[0];
          expect(model.refused).toEqual([]);
          const kernel = real(dir, slug, backend);
          expect(PROBES.map((p) => `${p.hook} ${p.name}: ${verdictOf(model.state, p)}`)).toEqual(PROBES.map((p) => `${p.hook} ${p.name}: ${verdictOf(kernel, p)}`));
          expect(verdictOf(kernel, probe('eth1 → host tcp/2222 arriving'))).toBe(DNAT_2222);
        });
      }
    }
  }

  it('a plain forward-port DNATs whoever sends; the rich rule only its source; to-addr alone keeps the port; without to-addr the host\'s own port', () => {
    const k = real(FIREWALLD_2_FIXTURES, 'forward-ports', 'nftables');
    expect(verdictOf(k, probe('eth1 from 192.168.90.1 → host tcp/4443'))).toBe(JSON.stringify({ verdict: { kind: 'accept' }, nat: { type: 'dnat', to: '192.168.10.50', ports: '443' } }));
    expect(verdictOf(k, probe('eth1 from 203.0.113.9 → host tcp/4443'))).toBe(JSON.stringify({ verdict: { kind: 'accept' }, nat: null }));
    expect(verdictOf(k, probe('eth1 → host tcp/3389'))).toBe(JSON.stringify({ verdict: { kind: 'accept' }, nat: { type: 'dnat', to: '192.168.10.51', ports: null } }));
    expect(verdictOf(k, probe('eth1 → host tcp/8080 arriving'))).toContain('"type":"redirect"');
  });

  it('a policy\'s forward-port to a source-only zone applies only to packets already addressed to that source (1.3.3 and 2.3.1 dispatch by destination)', () => {
    for (const { version, dir } of RELEASES) {
      const p = probe('eth1 → host tcp/5900');
      expect(verdictOf(real(dir, 'forward-ports', 'nftables'), p)).toBe(JSON.stringify({ verdict: { kind: 'accept' }, nat: null }));
      expect(verdictOf(firewalldModelSteps(scenario('forward-ports'), 'nftables', version)[0].state, p)).toBe(JSON.stringify({ verdict: { kind: 'accept' }, nat: null }));
    }
  });

  it('StrictForwardPorts=yes (2.3.1, both backends): with the connection\'s tuples known the real rules pass the forward-ports\' original ports and reject another tool\'s DNAT; =no passes all', () => {
    const cells = (slug: string, backend: FirewalldBackend) => ['tcp/2222 (forward-port', 'tcp/2299 by another tool', 'redirected from tcp/8080'].map((n) => {
      const p = PROBES.find((x) => x.name.includes(n) && x.name.includes('tuples known'));
      if (!p) throw new Error(`probe ${n} missing`);
      const v = JSON.parse(verdictOf(real(FIREWALLD_2_FIXTURES, slug, backend), p)) as { kind: string; with?: { code: number } };
      return v.kind === 'reject' ? `reject ${v.with?.code}` : v.kind;
    });
    // admin-prohibited (icmpx → 3/13) in nft, iptables' %%REJECT%% is icmp-host-prohibited (3/10).
    expect(cells('forward-ports-strict', 'nftables')).toEqual(['accept', 'reject 13', 'accept']);
    expect(cells('forward-ports-strict', 'iptables')).toEqual(['accept', 'reject 10', 'accept']);
    for (const backend of ['nftables', 'iptables'] as const) expect(cells('forward-ports', backend)).toEqual(['accept', 'accept', 'accept']);
  });

  it('StrictForwardPorts=yes (2.3.1): filter_FORWARD_dnat / filter_INPUT_dnat accept exactly the forwarded original ports, newest first, before the reject', () => {
    const nft = readFileSync(join(FIREWALLD_2_FIXTURES, 'dumps', 'forward-ports-strict.nftables.0-start.nft.txt'), 'utf8');
    const chain = (name: string) => (new RegExp(`chain ${name} \\{\\n([^}]*)\\}`).exec(nft)?.[1] ?? '').trim().split('\n').map((l) => l.trim());
    expect(chain('filter_FORWARD_dnat')).toEqual(['ct original proto-dst 5900 accept', 'ct original proto-dst 4443 accept', 'ct original proto-dst 2223 accept', 'ct original proto-dst 3389 accept', 'ct original proto-dst 2222 accept', 'reject with icmpx admin-prohibited']);
    expect(chain('filter_INPUT_dnat')).toEqual(['ct original proto-dst 8080 accept', 'reject with icmpx admin-prohibited']);
  });
});

describe('<forward-port> read as firewalld reads it', () => {
  const zone = (fp: string) => parseZoneXml(`<zone>\n  <interface name="eth1"/>\n  ${fp}\n</zone>`, '/etc/firewalld/zones/public.xml', 'public');
  it('keeps port, protocol, to-port, to-addr (IPv6 normalised) with the line', () => {
    expect(zone('<forward-port port="2223" protocol="tcp" to-port="22" to-addr="fd00:10:0::50"/>').zone?.forwardPorts).toEqual([{ value: { port: '2223', protocol: 'tcp', toPort: '22', toAddr: 'fd00:10::50', family: 'ipv6' }, line: 3 }]);
  });
  it('refuses what firewalld refuses, naming the value and position', () => {
    const problems = (fp: string) => zone(fp).problems.map((p) => `${p.line}:${p.column} ${p.message}`);
    expect(problems('<forward-port port="70000" protocol="tcp" to-port="22"/>')).toEqual(['3:3 <forward-port>: port "70000" is not a port or range; firewalld refuses it']);
    expect(problems('<forward-port port="22" protocol="icmp" to-port="23"/>')).toEqual(['3:3 <forward-port>: protocol "icmp" is not tcp, udp, sctp or dccp; firewalld refuses it']);
    expect(problems('<forward-port port="22" protocol="tcp"/>')).toEqual(['3:3 <forward-port>: port "22" forwarded to itself (give to-port or to-addr); firewalld refuses it']);
    expect(problems('<forward-port port="22" protocol="tcp" to-addr="192.168.10.0/24"/>')).toEqual(['3:3 <forward-port>: to-addr "192.168.10.0/24" is not a single IPv4 or IPv6 address; firewalld refuses it']);
  });
  it('a rich rule forward-port is read with its source; a <log> on it is reported as not modelled', () => {
    const rich = (body: string) => parseZoneXml(`<zone>\n  <rule family="ipv4">\n    <source address="192.168.90.0/24"/>\n    ${body}\n  </rule>\n</zone>`, '/etc/firewalld/zones/public.xml', 'public');
    const plain = rich('<forward-port port="4443" protocol="tcp" to-port="443" to-addr="192.168.10.50"/>');
    expect(plain.problems).toEqual([]);
    expect(plain.zone?.richRules[0]).toMatchObject({ line: 2, source: { address: '192.168.90.0/24' }, element: { kind: 'forward-port', port: '4443', toPort: '443', toAddr: '192.168.10.50' }, text: 'rule family="ipv4" source address="192.168.90.0/24" forward-port port="4443" protocol="tcp" to-port="443" to-addr="192.168.10.50"' });
    const logged = rich('<forward-port port="4443" protocol="tcp" to-port="443" to-addr="192.168.10.50"/>\n    <log prefix="fwd "/>');
    expect(logged.problems.map((p) => `${p.severity} ${p.line}:${p.column} ${p.message}`)).toEqual(['warning 2:3 rich rule forward-port with <log>: the DNAT is modelled, its log rule is not']);
  });
  it('is no longer reported as not modelled', () => {
    expect(zone('<forward-port port="2222" protocol="tcp" to-port="22" to-addr="192.168.10.50"/>').problems).toEqual([]);
  });
  it('in a policy: needs to-addr unless the egress is HOST, and an egress zone without interfaces', () => {
    const policy = '<policy>\n  <ingress-zone name="public"/>\n  <egress-zone name="internal"/>\n  <forward-port port="8080" protocol="tcp" to-port="80"/>\n</policy>';
    const setup = buildFirewalldSetup({ version: '2.3.1', files: { '/etc/firewalld/zones/internal.xml': '<zone><interface name="virbr3"/></zone>', '/etc/firewalld/policies/p.xml': policy }, settings: {}, libvirtVersion: '', networks: [] });
    expect(setup.problems.map((p) => `${p.line} ${p.message}`)).toEqual([
      '4 policy p: forward-port needs to-addr when the egress zone is ANY or a zone (firewalld refuses the policy)',
      '4 policy p: forward-port cannot be used because egress zone internal has interfaces (firewalld refuses the policy)',
    ]);
  });
});
