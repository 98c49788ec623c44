import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cloneJson } from '../json/cloneJson.ts';
import { SAMPLE_VARIANT_NAMES } from '../lab/sampleLab.ts';
import { buildExportBundle } from './buildExportBundle.ts';
import type { ExportBundle } from './bundleTypes.ts';
import { ExportError } from './exportError.ts';
import { FIXED_IDS, fixtureEffectiveHost, sampleVariant } from '../../test/testkit/exportFixtures.ts';
import { utf8Bytes } from './utf8.ts';

const scratch = mkdtempSync(join(tmpdir(), 'vw-bundle-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function materialise(bundle: ExportBundle, name: string): string {
  const dir = join(scratch, name);
  for (const f of bundle.files) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.text);
  }
  return dir;
}

const routed = sampleVariant(SAMPLE_VARIANT_NAMES.routedSuSEfirewall2);

function build(lab = routed.lab, name = routed.name): ExportBundle {
  return buildExportBundle(lab, fixtureEffectiveHost(), { variantName: name, projectName: 'KVM lab', ...FIXED_IDS });
}

describe('buildExportBundle', () => {
  it('holds every part of the bundle for the routed SuSEfirewall2 variant', () => {
    const paths = build().files.map((f) => f.path);
    expect(paths).toEqual([
      'README.txt',
      'apply.sh',
      'networks/deb.xml',
      'firewall/iptables-legacy.rules',
      'firewall/ip6tables-legacy.rules',
      'firewall/nftables.nft',
      'sysctl.d/90-virtwall.conf',
      'routes/host-routes.sh',
      'routes/GATEWAY.txt',
      'layers/susefirewall2/etc/sysconfig/SuSEfirewall2',
      'layers/susefirewall2/SuSEfirewall2.FW-fragment',
      'MANIFEST',
      'SHA256SUMS',
    ]);
  });

  it('is deterministic for the same lab and injected ids', () => {
    expect(build()).toEqual(build());
  });

  it('writes the canonical network, the FW_* lines, the gateway return route and the sysctls', () => {
    const files = new Map(build().files.map((f) => [f.path, f.text]));
    expect(files.get('networks/deb.xml')).toContain("<forward mode='route'/>");
    expect(files.get('networks/deb.xml')).toContain('<uuid>8a344aae-20c0-436b-b2a6-daf4d1d10e90</uuid>');
    expect(files.get('layers/susefirewall2/SuSEfirewall2.FW-fragment')).toContain('FW_FORWARD="192.168.90.0/24,192.168.10.0/24 192.168.10.0/24,192.168.90.0/24"');
    expect(files.get('layers/susefirewall2/SuSEfirewall2.FW-fragment')).not.toMatch(/^## /m);
    const gateway = files.get('routes/GATEWAY.txt') ?? '';
    expect(gateway).toContain('ip route add 192.168.10.0/24 via 192.168.90.10');
    expect(gateway).toContain('ASSUMED this route exists');
    expect(files.get('sysctl.d/90-virtwall.conf')).toMatch(/# set by libvirt 9\.0 · network deb \(route\) \[boot\]\nnet\.ipv4\.ip_forward = 1\n/);
    expect(files.get('routes/host-routes.sh')).toContain('ip route replace default via 192.168.90.1 dev eth1');
    expect(files.get('README.txt')).toContain('sh apply.sh --check-only');
  });

  it('says when the simulation assumed the gateway has NO return route', () => {
    const lab = cloneJson(routed.lab);
    lab.gateway.routes = [];
    const gateway = build(lab).files.find((f) => f.path === 'routes/GATEWAY.txt')?.text ?? '';
    expect(gateway).toContain('assumed this route does NOT exist');
  });

  it('MANIFEST sizes and SHA256SUMS match the files (sha256sum -c on a copy)', () => {
    const bundle = build();
    const dir = materialise(bundle, 'sums');
    const check = spawnSync('sha256sum', ['-c', '--strict', 'SHA256SUMS'], { cwd: dir, encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
    expect(check.stdout.trim().split('\n')).toHaveLength(bundle.files.length - 1);
    const manifest = bundle.files.find((f) => f.path === 'MANIFEST')?.text ?? '';
    for (const f of bundle.files.filter((x) => x.path !== 'MANIFEST' && x.path !== 'SHA256SUMS')) {
      expect(manifest).toContain(`${f.path}\t${utf8Bytes(f.text).length}\t`);
    }
  });

  it('every generated shell script passes shellcheck', () => {
    const dir = materialise(build(), 'shellcheck');
    const scripts = ['apply.sh', 'routes/host-routes.sh'].map((p) => join(dir, p));
    const out = spawnSync('shellcheck', ['-s', 'sh', ...scripts], { encoding: 'utf8' });
    expect(out.stdout + out.stderr).toBe('');
    expect(out.status).toBe(0);
  });

  it('puts each rule\'s provenance above it as a comment that cannot break the file', () => {
    const host = fixtureEffectiveHost();
    const rule = host.state.iptables.legacy.ipv4.tables.find((t) => t.name === 'filter')?.chains.find((c) => c.rules.length)?.rules[0];
    if (!rule) throw new Error('fixture has no filter rule');
    rule.provenance = { layerLabel: 'libvirt 9.0 · network deb\n-A INPUT -j DROP', reason: 'forward mode route' };
    const bundle = buildExportBundle(routed.lab, host, { variantName: routed.name, ...FIXED_IDS });
    const text = bundle.files.find((f) => f.path === 'firewall/iptables-legacy.rules')?.text ?? '';
    expect(text).toContain('# libvirt 9.0 · network deb -A INPUT -j DROP: forward mode route');
    expect(text).not.toMatch(/^-A INPUT -j DROP$/m);
  });
});

describe('firewalld layer', () => {
  it('installs zone/policy files with a firewall-cmd script that passes shellcheck and quotes hostile paths', () => {
    const lab = cloneJson(routed.lab);
    lab.layers = [
      {
        id: 'fwd',
        kind: 'firewalld',
        label: 'firewalld',
        version: '1.3.0',
        files: {
          '/etc/firewalld/firewalld.conf': 'FirewallBackend=nftables\nDefaultZone=public\n',
          '/etc/firewalld/zones/public.xml': '<?xml version="1.0" encoding="utf-8"?>\n<zone><short>Public</short><service name="ssh"/></zone>\n',
          "/etc/firewalld/zones/it's $(x).xml": '<zone/>\n',
          '/etc/passwd': 'not firewalld\n',
        },
        settings: { 'interface:eth1': 'public' },
      },
    ];
    const bundle = buildExportBundle(lab, fixtureEffectiveHost(), { variantName: 'fw', ...FIXED_IDS });
    const script = bundle.files.find((f) => f.path === 'layers/firewalld/firewall-cmd.sh')?.text ?? '';
    expect(script).toContain("install -m 0644 \"$here\"/etc/firewalld/zones/public.xml /etc/firewalld/zones/public.xml");
    expect(script).toContain(`'/etc/firewalld/zones/it'\\''s $(x).xml'`);
    expect(script).toContain('firewall-cmd --permanent --zone=public --change-interface=eth1');
    expect(script).toMatch(/firewall-cmd --check-config\nfirewall-cmd --reload\n$/);
    expect(script).not.toContain('/etc/passwd');
    expect(bundle.warnings.join('\n')).toContain('/etc/passwd is not a firewalld.conf, zone or policy file');
    const dir = materialise(bundle, 'firewalld');
    const out = spawnSync('shellcheck', ['-s', 'sh', join(dir, 'layers/firewalld/firewall-cmd.sh')], { encoding: 'utf8' });
    expect(out.stdout).toBe('');
    expect(out.status).toBe(0);
  });
});

describe('Docker layer files', () => {
  it('writes daemon.json and the commands file under layers/docker/; the README says to run the commands once dockerd is up', () => {
    const lab = cloneJson(routed.lab);
    lab.layers = [{ id: 'dk', kind: 'docker', label: 'Docker', version: '26.1.5', files: { '/etc/docker/daemon.json': '{}\n', '/etc/docker/virtwall-commands.sh': 'docker network create web\n' }, settings: {} }];
    const bundle = buildExportBundle(lab, fixtureEffectiveHost(), { variantName: 'dk', ...FIXED_IDS });
    const files = new Map(bundle.files.map((f) => [f.path, f.text]));
    expect(files.get('layers/docker/etc/docker/virtwall-commands.sh')).toBe('docker network create web\n');
    expect(files.get('layers/docker/etc/docker/daemon.json')).toBe('{}\n');
    expect(files.get('README.txt')).toContain('Then run the Docker commands of layers/docker/etc/docker/virtwall-commands.sh once (`sh layers/docker/etc/docker/virtwall-commands.sh`');
  });
});

describe('hostile names', () => {
  const hostileNames = ['$(touch PWNED)', "de'b", 'a b;c', 'ünï-🐧', '`id`', '-net'];

  it('quotes every lab value in apply.sh and keeps shellcheck clean', () => {
    const lab = cloneJson(routed.lab);
    lab.networks = hostileNames.map((name, i) => ({
      id: `n${i}`,
      xml: `<network><name>${name.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</name><bridge name='vb${i}'/><ip address='10.9.${i}.1' prefix='24'/></network>`,
      autostart: i % 2 === 0,
    }));
    lab.layers[0].label = "SuSE'firewall2 $(reboot)\nx";
    const bundle = buildExportBundle(lab, { ...fixtureEffectiveHost(), runningNetworkIds: ['n0', 'n1'] }, { variantName: 'v$(reboot)\n;x', ...FIXED_IDS });
    for (const f of bundle.files) expect(f.path).toMatch(/^[A-Za-z0-9_.+%~/-]+$/);
    const dir = materialise(bundle, 'hostile');
    const out = spawnSync('shellcheck', ['-s', 'sh', join(dir, 'apply.sh')], { encoding: 'utf8' });
    expect(out.stdout).toBe('');
    // Parsing the script defines everything and runs nothing from a name.
    execFileSync('sh', ['-n', join(dir, 'apply.sh')]);
    const apply = bundle.files.find((f) => f.path === 'apply.sh')?.text ?? '';
    expect(apply).toContain("'$(touch PWNED)'");
    expect(apply).toContain(`'de'\\''b'`);
  });

  it('refuses routes and sysctls that are not what the kernel takes, naming each value', () => {
    const lab = cloneJson(routed.lab);
    lab.host.routes = [
      { destination: '10.0.0.0/8; reboot', via: '192.168.90.1' },
      { destination: 'default', via: '192.168.90.1', dev: 'eth 1' },
    ];
    const host = { ...fixtureEffectiveHost(), sysctls: [{ key: 'net.ipv4.conf.$(x y).rp_filter', value: '1' }, { key: 'net.ipv4.ip_forward', value: '1; reboot' }] };
    let error: unknown;
    try {
      buildExportBundle(lab, host, { variantName: 'x', ...FIXED_IDS });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ExportError);
    const problems = (error as ExportError).problems.join('\n');
    expect(problems).toContain('host route 1 (10.0.0.0/8; reboot): destination "10.0.0.0/8; reboot" is not "default" or an address/prefix');
    expect(problems).toContain('host route 2 (default): dev "eth 1" contains " "');
    expect(problems).toContain('interface name "$(x y)" contains " "');
    expect(problems).toContain('value "1; reboot" is not a number or a word');
  });

  it('refuses a variant libvirt would refuse, with line and column', () => {
    const lab = cloneJson(routed.lab);
    lab.networks[0].xml = lab.networks[0].xml.replace("end='192.168.10.254'", "end='192.168.50.254'");
    expect(() => build(lab)).toThrow(/network "deb" \(network 1 of the variant\) line \d+:\d+: .*192\.168\.50\.254/);
  });

  it('keeps case-insensitive duplicates apart for FAT sticks', () => {
    const lab = cloneJson(routed.lab);
    lab.networks = ['Lab', 'lab'].map((name, i) => ({ id: `n${i}`, xml: `<network><name>${name}</name><bridge name='vb${i}'/><ip address='10.8.${i}.1' prefix='24'/></network>`, autostart: false }));
    const paths = buildExportBundle(lab, fixtureEffectiveHost(), { variantName: 'x', ...FIXED_IDS }).files.map((f) => f.path).filter((p) => p.startsWith('networks/'));
    expect(paths).toEqual(['networks/Lab.xml', 'networks/lab~2.xml']);
  });
});
