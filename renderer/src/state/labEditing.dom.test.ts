// Pure helpers behind the editing actions: virt-manager's defaults for a new
// network (valid for libvirt at once), DHCP defaults, shortcut mapping, layer
// form writes that keep the file, fix variant names.
import { describe, expect, it } from 'vitest';
import { formatNetworkXml } from '../../../shared/libvirt/formatNetworkXml.ts';
import { parseNetworkXml } from '../../../shared/libvirt/parseNetworkXml.ts';
import { validateNetwork } from '../../../shared/libvirt/validateNetwork.ts';
import { sampleProjectVariants } from '../../../shared/lab/sampleLab.ts';
import { SAMPLE_SUSEFIREWALL2_SYSCONFIG } from '../../../shared/lab/sampleLabFiles.ts';
import { defaultDhcpRange } from './dhcpDefaults.ts';
import { defaultNetwork, freeNetworkName, freeSubnetThirdOctet, networkStartIndex } from './networkActions.ts';
import { shortcutCommand } from './menuCommands.ts';
import { layerForm } from './layerForms.ts';
import { fixVariantName } from './fixActions.ts';

describe('new network defaults (virt-manager createnet.py)', () => {
  it('NAT, 192.168.100.1/24, DHCP .128–.254, domain = name, and libvirt accepts it', () => {
    const network = defaultNetwork('network', 100);
    const xml = formatNetworkXml(network);
    expect(xml).toContain("<forward mode='nat'/>");
    expect(xml).toContain("<range start='192.168.100.128' end='192.168.100.254'/>");
    expect(validateNetwork(parseNetworkXml(xml)).filter((p) => p.severity === 'error')).toEqual([]);
  });

  it('picks a free name and a free subnet', () => {
    expect(freeNetworkName(['default'])).toBe('network');
    expect(freeNetworkName(['network', 'network1'])).toBe('network2');
    expect(freeSubnetThirdOctet(['192.168.122.0/24'])).toBe(100);
    expect(freeSubnetThirdOctet(['192.168.100.0/24', '192.168.101.0/24'])).toBe(102);
  });

  it('starts a new network after the last boot network start', () => {
    const lab = sampleProjectVariants()[0].lab;
    expect(lab.events[networkStartIndex(lab) - 1].kind).toBe('network-start');
  });

  it('DHCP defaults: network + size/2 … network + size − 2; IPv6 network + 256 … + 511', () => {
    expect(defaultDhcpRange({ family: 'ipv4', address: '10.0.0.1', prefix: 16 })).toEqual({ start: '10.0.128.0', end: '10.0.255.254' });
    expect(defaultDhcpRange({ family: 'ipv6', address: 'fd00:100::1', prefix: 64 })).toEqual({ start: 'fd00:100::100', end: 'fd00:100::1ff' });
    expect(defaultDhcpRange({ family: 'ipv4', address: '10.0.0.1', prefix: 30 })).toBeNull();
  });
});

describe('shortcutCommand (no native menu)', () => {
  const key = (k: string, mods: Partial<KeyboardEvent> = {}) => ({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });
  it('uses Ctrl on Linux/Windows and Cmd on macOS, with the platform Redo', () => {
    expect(shortcutCommand(key('z', { ctrlKey: true }), false)).toBe('edit.undo');
    expect(shortcutCommand(key('y', { ctrlKey: true }), false)).toBe('edit.redo');
    expect(shortcutCommand(key('Z', { metaKey: true, shiftKey: true }), true)).toBe('edit.redo');
    expect(shortcutCommand(key('y', { metaKey: true }), true)).toBeNull();
    expect(shortcutCommand(key('S', { ctrlKey: true, shiftKey: true }), false)).toBe('file.saveAs');
    expect(shortcutCommand(key('3', { ctrlKey: true }), false)).toBe('view.layers');
    expect(shortcutCommand(key('z'), false)).toBeNull();
  });
});

describe('layer forms', () => {
  it('SuSEfirewall2: reads FW_ROUTE and writes one variable, every other line unchanged', () => {
    const form = layerForm({ id: 'l', kind: 'susefirewall2', label: 'x', files: {}, settings: {} })!;
    expect(form.read(SAMPLE_SUSEFIREWALL2_SYSCONFIG).FW_ROUTE).toBe('yes');
    const written = form.write(SAMPLE_SUSEFIREWALL2_SYSCONFIG, 'FW_ROUTE', 'no');
    expect(form.read(written).FW_ROUTE).toBe('no');
    const before = SAMPLE_SUSEFIREWALL2_SYSCONFIG.split('\n');
    const after = written.split('\n');
    expect(after.length).toBe(before.length);
    expect(after.filter((l, i) => l !== before[i])).toEqual(['FW_ROUTE="no"']);
  });

  it('Docker: booleans are written as JSON booleans', () => {
    const form = layerForm({ id: 'l', kind: 'docker', label: 'x', files: {}, settings: {} })!;
    expect(JSON.parse(form.write('{"bip": "10.0.0.1/24"}', 'iptables', 'false'))).toEqual({ bip: '10.0.0.1/24', iptables: false });
  });
});

describe('fixVariantName', () => {
  it('names the copy after the fix and avoids taken names', () => {
    expect(fixVariantName('isolated', 'switch to route', [])).toBe('isolated + switch to route');
    expect(fixVariantName('isolated', 'switch to route', ['isolated + switch to route'])).toBe('isolated + switch to route (2)');
  });
});

describe('parseServiceList', () => {
  it('accepts icmp, tcp/PORT and udp/PORT and names the first bad entry', async () => {
    const { parseServiceList } = await import('./labEntityActions.ts');
    expect(parseServiceList('tcp/22, ICMP udp/53')).toEqual({ services: ['tcp/22', 'icmp', 'udp/53'], error: null });
    expect(parseServiceList('tcp/22, tcp/70000').error).toContain('tcp/70000');
    expect(parseServiceList('http').error).toContain('http');
  });
});
