import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleProjectVariants, SAMPLE_IDS, SAMPLE_PROJECT_NAME } from './sampleLab.ts';
import { OWN_SCRIPT_PATH, SAMPLE_OWN_SCRIPT, SAMPLE_SUSEFIREWALL2_SYSCONFIG, SUSEFIREWALL2_SYSCONFIG_PATH } from './sampleLabFiles.ts';
import { labIdsInUse } from './labIds.ts';
import type { Lab } from './labModel.ts';

const byName = (name: string): Lab => {
  const v = sampleProjectVariants().find((x) => x.name === name);
  if (!v) throw new Error(`no variant ${name}`);
  return v.lab;
};

function ipv4(text: string): number {
  return text.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

describe('sample project', () => {
  it('has the four variants named exactly as the UI and tests expect', () => {
    expect(SAMPLE_PROJECT_NAME).toBe('KVM lab — openSUSE with SuSEfirewall2');
    expect(sampleProjectVariants().map((v) => v.name)).toEqual([
      'isolated + SuSEfirewall2',
      'routed + SuSEfirewall2',
      'isolated + own iptables script',
      'NAT',
    ]);
  });

  it('is deterministic and plain JSON', () => {
    const a = sampleProjectVariants();
    expect(sampleProjectVariants()).toEqual(a);
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
  });

  it('puts network deb on virbr3 with the forward mode each variant is named after', () => {
    const xml = (name: string) => byName(name).networks[0].xml;
    expect(xml('isolated + SuSEfirewall2')).not.toContain('<forward');
    expect(xml('isolated + own iptables script')).not.toContain('<forward');
    expect(xml('routed + SuSEfirewall2')).toContain("<forward mode='route'/>");
    expect(xml('NAT')).toContain("<forward mode='nat'/>");
    for (const { lab } of sampleProjectVariants()) {
      expect(lab.networks).toHaveLength(1);
      expect(lab.networks[0]).toMatchObject({ id: SAMPLE_IDS.network, autostart: true });
      expect(lab.networks[0].xml).toContain("<bridge name='virbr3' stp='on' delay='0'/>");
      expect(lab.networks[0].xml).toContain("<ip address='192.168.10.1' netmask='255.255.255.0'>");
    }
  });

  it("fixes the story's DHCP range: the whole range lies inside 192.168.10.0/24 and kali's address is in the subnet", () => {
    for (const { lab } of sampleProjectVariants()) {
      const m = /<range start='([\d.]+)' end='([\d.]+)'\/>/.exec(lab.networks[0].xml);
      expect(m).not.toBeNull();
      const [start, end] = [ipv4(m![1]), ipv4(m![2])];
      const net = ipv4('192.168.10.0');
      expect(start).toBeGreaterThan(net + 1);
      expect(end).toBeLessThan(net + 255);
      expect(start).toBeLessThanOrEqual(end);
      expect(lab.guests).toEqual([{ id: SAMPLE_IDS.guest, name: 'kali', networkId: SAMPLE_IDS.network, address: '192.168.10.20', listens: [] }]);
    }
  });

  it('models the Leap 42.3 host: legacy iptables, libvirt 3.3, ip_forward on, the gateway routes the guest subnet back', () => {
    for (const { lab } of sampleProjectVariants()) {
      expect(lab.host.iptablesBackend).toBe('legacy');
      expect(lab.host.libvirt).toEqual({ version: '3.3', backend: 'iptables' });
      expect(lab.host.sysctls.ipForward).toBe(true);
      expect(lab.gateway.routes).toEqual([{ destination: '192.168.10.0/24', via: '192.168.90.10' }]);
    }
  });

  it('gives SuSEfirewall2 variants the sysconfig layer and the own-script variant fw.sh', () => {
    for (const name of ['isolated + SuSEfirewall2', 'routed + SuSEfirewall2', 'NAT']) {
      const [layer] = byName(name).layers;
      expect(byName(name).layers).toHaveLength(1);
      expect(layer).toMatchObject({ kind: 'susefirewall2', version: '3.6.312' });
      expect(Object.keys(layer.files)).toEqual([SUSEFIREWALL2_SYSCONFIG_PATH]);
    }
    const own = byName('isolated + own iptables script').layers;
    expect(own).toHaveLength(1);
    expect(own[0]).toMatchObject({ kind: 'own-script', settings: { format: 'sh' }, files: { [OWN_SCRIPT_PATH]: SAMPLE_OWN_SCRIPT } });
  });

  it('has the boot timelines of the story and a later libvirtd HUP where the own script breaks', () => {
    const kinds = (lab: Lab) => lab.events.map((e) => `${e.phase}:${e.kind}${e.params?.phase ? `(${e.params.phase})` : ''}`);
    expect(kinds(byName('isolated + SuSEfirewall2'))).toEqual(['boot:layer-start(init)', 'boot:libvirtd-start', 'boot:network-start', 'boot:layer-start']);
    expect(kinds(byName('isolated + own iptables script'))).toEqual(['boot:libvirtd-start', 'boot:network-start', 'boot:layer-start', 'later:libvirtd-sighup']);
    const hup = byName('isolated + own iptables script').events.at(-1);
    expect(hup?.label).toBe('logrotate / admin reloads libvirtd');
  });

  it('keeps every reference inside the lab and every id unique', () => {
    for (const { lab } of sampleProjectVariants()) {
      const layerIds = new Set(lab.layers.map((l) => l.id));
      const networkIds = new Set(lab.networks.map((n) => n.id));
      for (const e of lab.events) {
        if (e.kind.startsWith('layer-')) expect(layerIds.has(e.layerId!)).toBe(true);
        if (e.kind.startsWith('network-')) expect(networkIds.has(e.networkId!)).toBe(true);
      }
      for (const g of lab.guests) expect(networkIds.has(g.networkId)).toBe(true);
      const all = [...lab.networks, ...lab.guests, ...lab.layers, ...lab.events].map((x) => x.id);
      expect(labIdsInUse(lab).size).toBe(all.length);
    }
  });
});

describe('sample layer files are what the real tools read', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vw-sample-'));
  const sysconfig = join(dir, 'SuSEfirewall2');
  writeFileSync(sysconfig, SAMPLE_SUSEFIREWALL2_SYSCONFIG);

  it('the sysconfig is a shell fragment (SuSEfirewall2 sources it) with the story values', () => {
    // SuSEfirewall2 does `. /etc/sysconfig/SuSEfirewall2`; so do we.
    const out = execFileSync('bash', ['-c', 'set -eu; . "$1"; printf "%s|%s|%s|%s|%s" "$FW_DEV_EXT" "$FW_ROUTE" "$FW_FORWARD" "$FW_MASQ_NETS" "$FW_REJECT_INT"', 'x', sysconfig], { encoding: 'utf8' });
    expect(out).toBe('eth1|yes|192.168.90.0/24,192.168.10.0/24 192.168.10.0/24,192.168.90.0/24|0/0|yes');
  });

  it('lists every variable issue 4 §2 names, once, each preceded by its ## Type: metadata', () => {
    const lines = SAMPLE_SUSEFIREWALL2_SYSCONFIG.split('\n');
    const assigned = lines.filter((l) => /^FW_/.test(l)).map((l) => l.slice(0, l.indexOf('=')));
    expect(new Set(assigned).size).toBe(assigned.length);
    for (const name of [
      'FW_DEV_EXT', 'FW_DEV_INT', 'FW_DEV_DMZ', 'FW_ZONE_DEFAULT', 'FW_AUTODETECT_INTERFACES', 'FW_ROUTE', 'FW_FORWARD',
      'FW_FORWARD_REJECT', 'FW_FORWARD_DROP', 'FW_MASQUERADE', 'FW_MASQ_NETS', 'FW_MASQ_DEV', 'FW_NOMASQ_NETS',
      'FW_SERVICES_EXT_TCP', 'FW_SERVICES_EXT_UDP', 'FW_SERVICES_INT_TCP', 'FW_SERVICES_DMZ_UDP', 'FW_TRUSTED_NETS',
      'FW_ALLOW_PING_FW', 'FW_ALLOW_PING_EXT', 'FW_ALLOW_PING_DMZ', 'FW_REJECT', 'FW_REJECT_INT', 'FW_FORWARD_ALLOW_BRIDGING',
      'FW_PROTECT_FROM_INT', 'FW_KERNEL_SECURITY', 'FW_LOG_DROP_CRIT', 'FW_LOG_DROP_ALL', 'FW_LOG_ACCEPT_CRIT', 'FW_LOG_ACCEPT_ALL',
    ]) {
      expect(assigned, name).toContain(name);
    }
    lines.forEach((line, i) => {
      if (!/^FW_/.test(line)) return;
      const block = lines.slice(Math.max(0, i - 12), i);
      expect(block.some((l) => l.startsWith('## Type:')), `## Type: before ${line}`).toBe(true);
    });
  });

  it('fw.sh passes sh -n and shellcheck', () => {
    const script = join(dir, 'fw.sh');
    writeFileSync(script, SAMPLE_OWN_SCRIPT);
    execFileSync('sh', ['-n', script]);
    let shellcheck = true;
    try {
      execFileSync('shellcheck', ['--version'], { stdio: 'ignore' });
    } catch {
      shellcheck = false;
    }
    if (shellcheck) execFileSync('shellcheck', ['-s', 'sh', script]);
    rmSync(dir, { recursive: true, force: true });
  });
});
