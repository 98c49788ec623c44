import { describe, expect, it } from 'vitest';
import { defaultLab } from '../lab/defaultLab.ts';
import { sequentialIds } from '../lab/labIds.ts';
import type { Layer, TimelineEvent } from '../lab/labModel.ts';
import { emptyNetfilterState } from '../netfilter/netfilterState.ts';
import type { DriverContext } from './driverContext.ts';
import { NetfilterStateTarget } from './netfilterStateTarget.ts';
import { sfw2EventActions } from './susefirewall2/sfw2Driver.ts';
import { dockerEventActions } from './docker/dockerDriver.ts';
import { ownScriptEventActions } from './ownScript/ownScriptDriver.ts';
import { firewalldEventActions } from './firewalld/firewalldDriver.ts';
import { ufwEventActions } from './ufw/ufwDriver.ts';
import { rawRulesetEventActions } from './rawRuleset/rawRulesetDriver.ts';
import { layerProblems } from './layerProblems.ts';

function context(over: Partial<{ sysctls: Record<string, string>; interfaces: string[]; libvirtd: boolean }> = {}): DriverContext {
  const lab = defaultLab(sequentialIds());
  lab.networks = [{ id: 'n', autostart: true, xml: "<network><name>deb</name><bridge name='virbr3'/><ip address='192.168.10.1' prefix='24'/></network>" }];
  const state = emptyNetfilterState();
  return {
    lab,
    state,
    sysctl: (k) => over.sysctls?.[k],
    presentInterfaces: () => over.interfaces ?? ['eth1', 'lo', 'virbr3'],
    libvirtdActive: () => over.libvirtd ?? true,
    target: new NetfilterStateTarget(state, 'nft'),
  };
}
const ev = (kind: TimelineEvent['kind'], params?: TimelineEvent['params']): TimelineEvent => ({ id: 'e', kind, phase: 'boot', ...(params ? { params } : {}) });
const layer = (kind: Layer['kind'], files: Record<string, string>, settings: Layer['settings'] = {}, version?: string): Layer => ({ id: 'l', kind, label: kind, files, settings, ...(version ? { version } : {}) });

describe('layer drivers read the host at the moment of the event', () => {
  it('SuSEfirewall2: init phase closes, start builds zones from present interfaces, stop resets', () => {
    const l = layer('susefirewall2', { '/etc/sysconfig/SuSEfirewall2': 'FW_DEV_EXT="eth1"\nFW_ROUTE="yes"\n' }, {}, '3.6.378');
    const init = sfw2EventActions(context(), ev('layer-start', { phase: 'init' }), l);
    expect(init.some((a) => a.kind === 'iptables' && a.args.includes('forward_ext'))).toBe(false);
    const start = sfw2EventActions(context(), ev('layer-start'), l);
    expect(start.some((a) => a.kind === 'iptables' && a.args === '-A FORWARD -i virbr3 -j forward_ext')).toBe(true);
    expect(start.some((a) => a.kind === 'iptables' && a.args === '-A FORWARD -m physdev --physdev-is-bridged -j ACCEPT')).toBe(true);
    const noBridge = sfw2EventActions(context({ interfaces: ['eth1', 'lo'] }), ev('layer-start'), l);
    expect(noBridge.some((a) => a.kind === 'iptables' && a.args.includes('virbr3'))).toBe(false);
    expect(sfw2EventActions(context(), ev('layer-stop'), l)[0]).toMatchObject({ kind: 'sysctl', key: 'net.ipv4.ip_forward', value: '0' });
  });

  it('SuSEfirewall2: a config error becomes a note with file, line and column', () => {
    const a = sfw2EventActions(context(), ev('layer-start'), layer('susefirewall2', { '/etc/sysconfig/SuSEfirewall2': 'FW_FORWARD="10.0.0.0/99,0/0"\n' }, {}, '3.6.378'));
    expect(a[0]).toEqual({ kind: 'note', severity: 'error', text: "/etc/sysconfig/SuSEfirewall2:1:13: FW_FORWARD entry 1 (10.0.0.0/99,0/0): '10.0.0.0/99' is not a network address (SuSEfirewall2 skips this entry)" });
  });

  it('Docker reads the current ip_forward (set earlier by libvirt or a sysctl event)', () => {
    const l = layer('docker', {}, {}, '27.5.1');
    const flips = dockerEventActions(context({ sysctls: {} }), ev('layer-start'), { ...l });
    const lab = context().lab;
    lab.host.sysctls.ipForward = false;
    const ctx0 = { ...context({ sysctls: {} }), lab };
    expect(dockerEventActions(ctx0, ev('layer-start'), l).some((a) => a.kind === 'iptables' && a.family === 'ipv4' && a.args === '-P FORWARD DROP')).toBe(true);
    expect(flips.some((a) => a.kind === 'iptables' && a.family === 'ipv4' && a.args === '-P FORWARD DROP')).toBe(false);
    const ctx1 = { ...context({ sysctls: { 'net.ipv4.ip_forward': '1' } }), lab };
    expect(dockerEventActions(ctx1, ev('layer-start'), l).some((a) => a.kind === 'iptables' && a.family === 'ipv4' && a.args === '-P FORWARD DROP')).toBe(false);
  });

  it('own script: skipped lines become notes with line numbers', () => {
    const a = ownScriptEventActions(context(), ev('layer-start'), layer('own-script', { '/root/fw.sh': 'iptables -F\necho done\n' }));
    expect(a.map((x) => x.kind)).toEqual(['iptables', 'note']);
    expect(a[1]).toMatchObject({ text: '/root/fw.sh:2: skipped (not a firewall command): echo done' });
    expect(ownScriptEventActions(context(), ev('layer-stop'), layer('own-script', { '/root/fw.sh': 'iptables -F\n' }))).toEqual([]);
  });

  it('firewalld, ufw and raw ruleset drivers produce their start actions', () => {
    expect(firewalldEventActions(context(), ev('layer-start'), layer('firewalld', {}, {}, '2.1.0')).some((a) => a.kind === 'nft' && a.command.startsWith('add table inet firewalld'))).toBe(true);
    expect(ufwEventActions(context(), ev('layer-start'), layer('ufw', {})).some((a) => a.kind === 'iptables' && a.args === '-A FORWARD -j ufw-before-forward')).toBe(true);
    expect(rawRulesetEventActions(context(), ev('layer-start'), layer('raw-ruleset', { '/tmp/dump': '*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n' }))).toMatchObject([{ kind: 'iptables-replace', family: 'ipv4' }]);
  });
});

describe('layerProblems', () => {
  it('collects positioned problems of each kind of layer', () => {
    expect(layerProblems(layer('susefirewall2', { '/etc/sysconfig/SuSEfirewall2': 'FW_ROUTE="perhaps"\n' }))).toMatchObject([{ file: '/etc/sysconfig/SuSEfirewall2', line: 1, column: 1, severity: 'warning' }]);
    expect(layerProblems(layer('docker', { '/etc/docker/daemon.json': '{"iptables": "yes"}' }))).toMatchObject([{ line: 1, column: 2, message: '"iptables" must be true or false, not "yes"' }]);
    expect(layerProblems(layer('own-script', { '/root/fw.sh': 'iptables -F\nreboot\n' }))).toMatchObject([{ line: 2, message: 'skipped: not a firewall command — reboot' }]);
    expect(layerProblems(layer('raw-ruleset', { dump: '*filter\n-A FORWARD -j NOPE\nCOMMIT\n' }))[0]).toMatchObject({ file: 'dump', line: 2, severity: 'error' });
    expect(layerProblems(layer('firewalld', { '/etc/firewalld/zones/x.xml': '<zone><port port="x" protocol="tcp"/></zone>' }, {}, '2.1.0'))).toMatchObject([{ file: '/etc/firewalld/zones/x.xml', line: 1, message: 'port "x" is not a port or range' }]);
    expect(layerProblems(layer('ufw', { '/etc/default/ufw': 'DEFAULT_FORWARD_POLICY=deny\n' }))).toMatchObject([{ line: 1, column: 24 }]);
  });
});
