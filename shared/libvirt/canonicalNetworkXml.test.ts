import { describe, expect, it } from 'vitest';
import { canonicalNetworkXml, firstFreeBridgeName } from './canonicalNetworkXml.ts';
import { fixtureDirs, readFixture } from '../../test/testkit/libvirtFixtures.ts';

/** The random values libvirt chose in a captured dump, so the comparison can be exact. */
function randomsOf(dump: string): { uuid: string; mac: string } {
  return { uuid: /<uuid>([^<]+)<\/uuid>/.exec(dump)![1], mac: /<mac address='([^']+)'/.exec(dump)![1] };
}

describe('canonicalNetworkXml = virsh net-dumpxml --inactive after net-define (fixtures dumpxml/)', () => {
  const cases = fixtureDirs('dumpxml');

  it('has the six captured cases', () => {
    expect(cases).toEqual(['debian-default', 'minimal', 'minimal-ip', 'nat-dhcp', 'prefix-ipv6', 'route-stp-domain-host']);
  });

  for (const name of cases) {
    for (const version of ['v9', 'v11']) {
      it(`${name} (${version})`, () => {
        const expected = readFixture('dumpxml', name, `${version}-inactive.xml`);
        const { uuid, mac } = randomsOf(expected);
        const result = canonicalNetworkXml(readFixture('dumpxml', name, 'network.xml'), {
          usedBridgeNames: [],
          newUuid: () => uuid,
          newMac: () => mac,
        });
        expect(result.problems.filter((p) => p.severity === 'error')).toEqual([]);
        expect(result.xml).toBe(expected);
      });
    }
  }
});

describe('canonicalNetworkXml beyond the captures', () => {
  const opts = { usedBridgeNames: ['virbr0', 'virbr1', 'virbr3'], newUuid: () => '5CC68519-3B4A-4479-9267-8492A78C826D', newMac: () => '52:54:00:AA:BB:CC' };

  it('takes the first free virbrN of the project, fills a %d template, normalises uuid and mac', () => {
    expect(canonicalNetworkXml('<network><name>a</name></network>', opts).xml).toBe(
      "<network>\n  <name>a</name>\n  <uuid>5cc68519-3b4a-4479-9267-8492a78c826d</uuid>\n  <bridge name='virbr2' stp='on' delay='0'/>\n  <mac address='52:54:00:aa:bb:cc'/>\n</network>\n",
    );
    expect(canonicalNetworkXml("<network><name>a</name><bridge name='lab%d'/></network>", opts).xml).toContain("<bridge name='lab0' stp='on' delay='0'/>");
    expect(firstFreeBridgeName(['virbr0'])).toBe('virbr1');
  });

  it('writes forward dev as the interface pool, keeps nat port/address, and formats addresses canonically', () => {
    const xml = canonicalNetworkXml(
      `<network><name>n</name><forward mode='nat' dev='eth0'><nat><port start='1024' end='65535'/></nat></forward>
       <ip family='ipv6' address='FD00:0010:0:0::1' prefix='64'/><ip address='192.168.10.1' netmask='255.255.255.0'/></network>`,
      opts,
    ).xml;
    expect(xml).toBe(`<network>
  <name>n</name>
  <uuid>5cc68519-3b4a-4479-9267-8492a78c826d</uuid>
  <forward dev='eth0' mode='nat'>
    <nat>
      <port start='1024' end='65535'/>
    </nat>
    <interface dev='eth0'/>
  </forward>
  <bridge name='virbr2' stp='on' delay='0'/>
  <mac address='52:54:00:aa:bb:cc'/>
  <ip family='ipv6' address='fd00:10::1' prefix='64'>
  </ip>
  <ip address='192.168.10.1' netmask='255.255.255.0'>
  </ip>
</network>
`);
  });

  it('gives no XML, only the problem, when libvirt would refuse to define the file', () => {
    const r = canonicalNetworkXml(readFixture('validation', 'dhcp-range-end-outside-subnet', 'network.xml'), opts);
    expect(r.xml).toBeNull();
    expect(r.problems[0]).toMatchObject({ severity: 'error', when: 'define', line: 7 });
  });

  it('still gives the canonical form when only net-start would fail (libvirt defines it)', () => {
    const r = canonicalNetworkXml(readFixture('validation', 'bridge-name-with-slash', 'network.xml'), opts);
    expect(r.xml).toContain("<bridge name='vir/br3' stp='on' delay='0'/>");
    expect(r.problems).toMatchObject([{ when: 'start' }]);
  });
});
