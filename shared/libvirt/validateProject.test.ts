import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixtureDirs, fixturePath, readFixture, validationSummary, type ValidationCaseRow } from '../../test/testkit/libvirtFixtures.ts';
import type { NetworkProblem } from './networkProblem.ts';
import { parseNetworkXml } from './parseNetworkXml.ts';
import { SEED_XML } from './seedNetwork.testkit.ts';
import { validateNetwork } from './validateNetwork.ts';
import { validateProject } from './validateProject.ts';

/** libvirt's text without virsh's category prefix (and libxml2's location prefix). */
function libvirtText(message: string): string {
  return message.replace(/^(internal error|XML error|unsupported configuration|operation failed): /, '').replace(/^(\(network_definition\):\d+|at line \d+): /, '');
}

const rows = validationSummary();
const cases = [...new Set(rows.map((r) => r.case))];

describe('validation fixtures (validation/summary.tsv): virtwall says what libvirt 9.0 and 11.3 do', () => {
  it('covers every case folder', () => {
    expect(cases.length).toBeGreaterThanOrEqual(59);
    expect([...cases].sort()).toEqual(fixtureDirs('validation'));
  });

  for (const name of cases) {
    const caseRows = rows.filter((r) => r.case === name);
    it(name, () => {
      const files = caseRows.map((r) => r.file);
      for (const f of files) expect(existsSync(fixturePath('validation', name, f)), f).toBe(true);
      const results = validateProject(files.map((file) => ({ file, text: readFixture('validation', name, file) })));
      caseRows.forEach((row, i) => checkRow(row, results[i]));
    });
  }
});

function checkRow(row: ValidationCaseRow, problems: NetworkProblem[]): void {
  const errors = problems.filter((p) => p.severity === 'error');
  const label = `${row.case}/${row.file}: ${JSON.stringify(problems, null, 1)}`;
  // 9.0 and 11.3 agree on the verdict for every case (README); messages differ in two cases.
  expect(row.v11Define, label).toBe(row.v9Define);
  expect(row.v11Start, label).toBe(row.v9Start);
  if (row.v9Define === 'accepted' && row.v9Start === 'started') {
    expect(errors, label).toEqual([]);
    return;
  }
  const expectedWhen = row.v9Define === 'rejected' ? 'define' : 'start';
  const texts = [libvirtText(row.v9Error), libvirtText(row.v11Error)];
  const match = errors.find((e) => texts.some((t) => e.message.includes(t)));
  expect(match, `${label}\nexpected an error containing: ${texts.join(' | ')}`).toBeDefined();
  expect(match!.when, label).toBe(expectedWhen);
  if (expectedWhen === 'start') expect(match!.message, label).toMatch(/would fail at net-start/);
}

describe('validateNetwork', () => {
  it('rejects the seed network for its DHCP range, at the range element', () => {
    const problems = validateNetwork(parseNetworkXml(SEED_XML));
    expect(problems.filter((p) => p.severity === 'error')).toEqual([
      {
        severity: 'error',
        message: 'range 192.168.10.10 - 192.168.50.254 is not entirely within network 192.168.10.1/24',
        line: 9,
        column: 36,
        path: 'ip/dhcp/range',
        network: 'deb',
        when: 'define',
      },
    ]);
  });

  it('accepts the seed network once the range is fixed, and warns about what libvirt lets through', () => {
    const fixed = SEED_XML.replace('192.168.50.254', '192.168.10.254').replace(
      "</dhcp>",
      "  <host mac='52:54:00:00:00:01' ip='192.168.10.1'/>\n      <host mac='52:54:00:00:00:01' ip='192.168.10.50'/>\n      <host mac='52:54:00:00:00:02' ip='192.168.99.9'/>\n    </dhcp>",
    );
    const problems = validateNetwork(parseNetworkXml(fixed));
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    const warnings = problems.map((p) => p.message);
    expect(warnings).toContain("static host 192.168.10.1 is the host's own address on the bridge");
    expect(warnings).toContain('static host 192.168.10.50 lies inside DHCP range 192.168.10.10 - 192.168.10.254; dnsmasq may also lease it to another guest');
    expect(warnings).toContain('static host MAC 52:54:00:00:00:01 is given twice (also host 1)');
    expect(warnings).toContain('static host 192.168.99.9 is outside 192.168.10.0/24; libvirt accepts it but dnsmasq will never hand it out');
  });

  it('checks what libvirt checks in parts the fixtures do not cover (routes, DNS, portgroups, modes)', () => {
    const messages = (xml: string) => validateNetwork(parseNetworkXml(xml)).filter((p) => p.severity === 'error').map((p) => p.message);
    const base = (inner: string, forward = "<forward mode='route'/>") =>
      `<network><name>n</name>${forward}<ip address='192.168.10.1' prefix='24'/>${inner}</network>`;
    expect(messages(base("<route address='10.0.0.0' prefix='8' gateway='192.168.20.1'/>"))).toEqual(["unreachable static route gateway '192.168.20.1' specified for network 'n'"]);
    expect(messages(base("<route address='10.0.0.1' prefix='8' gateway='192.168.10.254'/>"))).toEqual(["n: Address '10.0.0.1' in route definition is not a network address"]);
    expect(messages(base("<route address='10.0.0.0' prefix='8' gateway='192.168.10.254'/>"))).toEqual([]);
    expect(messages(base("<dns enable='no'><host ip='192.168.10.5'><hostname>a</hostname></host></dns>"))).toEqual(["Extra data in disabled network 'n'"]);
    expect(messages(base("<dns><txt name='a b' value='x'/></dns>"))).toEqual(["prohibited character in DNS TXT record name 'a b' of network n"]);
    expect(messages(base("<portgroup name='a' default='yes'/><portgroup name='a' default='yes'/>"))).toEqual([
      "network 'n' has multiple default <portgroup> elements (a and a), but only one default is allowed",
      "multiple <portgroup> elements with the same name (a) in network 'n'",
    ]);
    expect(messages(base('', "<forward mode='bridge'/>"))).toEqual(["Unsupported <ip> element in network n with forward mode='bridge'"]);
    expect(messages(base('', "<forward mode='open' dev='eth0'/>"))).toEqual(["forward dev not allowed for network 'n' with forward mode='open'"]);
    expect(messages(base('', "<forward mode='nat' dev='eth0'><interface dev='eth1'/></forward>"))).toEqual(["<forward dev='eth0'> must match first <interface dev='eth1'/> in network n"]);
  });
});

describe('validateNetwork: NAT port ranges', () => {
  const nat = (port: string) => `<network><name>n</name><forward mode='nat'><nat>${port}</nat></forward><ip address='192.168.10.1' prefix='24'/></network>`;
  const errors = (xml: string) => validateNetwork(parseNetworkXml(xml)).filter((p) => p.severity === 'error');

  it('start = end is defined by libvirt but fails at net-start (seen with real libvirt 9.0): a start error at <port>', () => {
    expect(errors(nat("<port start='5000' end='5000'/>"))).toMatchObject([
      { when: 'start', path: 'forward/nat/port', message: "would fail at net-start: Invalid port range '5000-5000'. (libvirt wants start below end when it builds the masquerade rules)" },
    ]);
  });

  it('start < end starts; start > end is refused at define (validation fixture nat-port-start-gt-end)', () => {
    expect(errors(nat("<port start='5000' end='5001'/>"))).toEqual([]);
    expect(errors(nat("<port start='1024' end='65535'/>"))).toEqual([]);
    expect(errors(nat("<port start='20000' end='10000'/>"))).toMatchObject([{ when: 'define', path: 'forward/nat/port' }]);
  });
});

describe('validateProject: cross-network checks', () => {
  const net = (name: string, bridge: string | null, ip: string, prefix = 24) =>
    `<network>\n  <name>${name}</name>\n${bridge ? `  <bridge name='${bridge}'/>\n` : ''}  <ip address='${ip}' prefix='${prefix}'/>\n</network>\n`;

  it('warns (not errors) about a supernet of a running network, in both start orders', () => {
    const [a, b] = validateProject([{ text: net('a', 'virbr3', '192.168.10.1') }, { text: net('b', 'virbr4', '192.168.0.1', 16) }]);
    expect(a).toEqual([]);
    expect(b.map((p) => [p.severity, p.message])).toEqual([
      ['warning', "192.168.0.0/16 is a supernet of 192.168.10.0/24 of network 'a' (virbr3): libvirt starts both, but the host routes the overlap to only one of them"],
    ]);
    const [, c] = validateProject([{ text: net('b', 'virbr4', '192.168.0.1', 16) }, { text: net('a', 'virbr3', '192.168.10.1') }]);
    expect(c[0].message).toMatch(/^192\.168\.10\.0\/24 lies inside 192\.168\.0\.0\/16 of network 'b'/);
  });

  it('gives the same subnet as a host interface a start error and an overlap a warning', () => {
    const host = [{ name: 'eth0', addresses: ['192.168.90.5/24'] }, { name: 'eth1', addresses: ['10.0.0.2/8'] }];
    const [same] = validateProject([{ text: net('lan', 'virbr3', '192.168.90.1') }], host);
    expect(same).toMatchObject([{ severity: 'error', when: 'start', path: 'ip', message: "would fail at net-start: Network is already in use by interface eth0 (the host's eth0 is on 192.168.90.0/24)" }]);
    const [inside] = validateProject([{ text: net('ten', 'virbr3', '10.20.0.1', 16) }], host);
    expect(inside.map((p) => p.severity)).toEqual(['warning']);
  });

  it('assigns free virbrN names in order and rejects a later network that asks for a taken one', () => {
    const [a, b] = validateProject([{ text: net('a', null, '192.168.10.1') }, { text: net('b', 'virbr0', '192.168.11.1') }]);
    expect(a).toEqual([]);
    expect(b).toMatchObject([{ severity: 'error', when: 'define', message: "bridge name 'virbr0' already in use.", line: 3, column: 11 }]);
    const [taken] = validateProject([{ text: net('a', 'eth0', '192.168.10.1') }], [{ name: 'eth0', addresses: [] }]);
    expect(taken).toMatchObject([{ severity: 'error', when: 'start' }]);
  });

  it('knows what real libvirt 9.0 did with two networks (found by test/reality): same host address, redefinition', () => {
    const [, sameAddress] = validateProject([{ text: net('a', 'virbr3', '192.168.10.1', 25) }, { text: net('b', 'virbr4', '192.168.10.1', 24) }]);
    expect(sameAddress.filter((p) => p.severity === 'error')).toMatchObject([{ when: 'start', path: 'ip' }]);
    expect(sameAddress.find((p) => p.severity === 'error')!.message).toContain('unexpected exit status 2: (dnsmasq cannot listen on 192.168.10.1');
    const uuid = '<uuid>3e3fce45-4f53-4fa7-bb32-11f34168b82b</uuid>';
    const again = net('a', 'virbr3', '192.168.10.1').replace('</name>', `</name>${uuid}`);
    const [, redefined] = validateProject([{ text: again }, { text: again.replace('192.168.10.1', '192.168.20.1') }]);
    expect(redefined.map((p) => [p.severity, p.when])).toEqual([['error', 'start']]);
    expect(redefined[0].message).toMatch(/^would fail at net-start: network is already active/);
  });
});
