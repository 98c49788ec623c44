// Labs for the scenario rows of firewall-layers.md (S1–S8 SuSEfirewall2, F1–F7
// firewalld, D1–D7 Docker, U1–U6 ufw) on topology T0: host eth1
// 192.168.90.10/24, libvirt network `deb` on virbr3 192.168.10.1/24, guest V
// 192.168.10.50, gateway G 192.168.90.1, internet I 203.0.113.10. Each row is
// a lab (layers + timeline events) the test folds and evaluates.

import { defaultLab, T0 } from '../../shared/lab/defaultLab.ts';
import { sequentialIds } from '../../shared/lab/labIds.ts';
import type { Lab, Layer, TimelineEvent } from '../../shared/lab/labModel.ts';

export type Mode = 'isolated' | 'nat' | 'route';

export const GUEST = '192.168.10.50';
export const BRIDGE = 'virbr3';
export const NET = '192.168.10.0/24';

export function networkXml(mode: Mode, extraBridge = ''): string {
  const forward = mode === 'isolated' ? '' : `  <forward mode='${mode}'/>\n`;
  return `<network>\n  <name>deb</name>\n${forward}  <bridge name='${BRIDGE}' stp='on' delay='0'${extraBridge}/>\n  <ip address='192.168.10.1' netmask='255.255.255.0'>\n    <dhcp>\n      <range start='192.168.10.10' end='192.168.10.254'/>\n    </dhcp>\n  </ip>\n</network>\n`;
}

export interface ScenarioOptions {
  mode: Mode;
  libvirtVersion: string;
  libvirtBackend?: 'iptables' | 'nftables';
  iptablesBackend?: 'legacy' | 'nft';
  /** net.ipv4.ip_forward at boot (T0 default: 1). */
  ipForward?: boolean;
  bridgeExtra?: string;
  layers: Layer[];
  /** Events; `net` and `libvirtd` shorthands are expanded. */
  events: (TimelineEvent | 'libvirtd-start' | 'libvirtd-stop' | 'libvirtd-sighup' | 'net-start' | 'net-destroy')[];
}

export function scenarioLab(o: ScenarioOptions): Lab {
  const ids = sequentialIds();
  const lab = defaultLab(ids, { libvirtVersion: o.libvirtVersion, libvirtBackend: o.libvirtBackend ?? 'iptables', iptablesBackend: o.iptablesBackend ?? 'nft' });
  lab.host.sysctls.ipForward = o.ipForward ?? true;
  lab.networks = [{ id: 'net-deb', xml: networkXml(o.mode, o.bridgeExtra ?? ''), autostart: true }];
  lab.guests = [{ id: 'guest-v', name: 'V', networkId: 'net-deb', address: GUEST, listens: [] }];
  lab.layers = o.layers;
  let n = 0;
  lab.events = o.events.map((e) => {
    n++;
    if (typeof e !== 'string') return e;
    if (e === 'net-start') return { id: `ev-${n}`, kind: 'network-start', networkId: 'net-deb', phase: 'boot', label: 'network deb starts' };
    if (e === 'net-destroy') return { id: `ev-${n}`, kind: 'network-destroy', networkId: 'net-deb', phase: 'later', label: 'network deb destroyed' };
    return { id: `ev-${n}`, kind: e, phase: 'boot', label: e };
  });
  return lab;
}

export const layerEvent = (id: string, kind: 'layer-start' | 'layer-reload' | 'layer-stop', layerId: string, label: string, params?: TimelineEvent['params']): TimelineEvent => ({
  id,
  kind,
  layerId,
  phase: 'boot',
  label,
  ...(params ? { params } : {}),
});

export const SFW2_CONFIG = [
  `FW_DEV_EXT="${T0.uplink}"`,
  'FW_ROUTE="yes"',
  'FW_FORWARD="192.168.90.0/24,192.168.10.0/24 192.168.10.0/24,192.168.90.0/24"',
  '',
].join('\n');

export function sfw2Layer(config = SFW2_CONFIG, version = '3.6.378'): Layer {
  return { id: 'sfw2', kind: 'susefirewall2', label: 'SuSEfirewall2', version, files: { '/etc/sysconfig/SuSEfirewall2': config }, settings: {} };
}

export function firewalldLayer(version: string, files: Record<string, string> = {}, settings: Layer['settings'] = {}): Layer {
  return { id: 'fwd', kind: 'firewalld', label: 'firewalld', version, files, settings: { [`interface:${T0.uplink}`]: 'public', ...settings } };
}

export function dockerLayer(version: string, daemonJson?: string): Layer {
  return { id: 'docker', kind: 'docker', label: 'Docker', version, files: daemonJson ? { '/etc/docker/daemon.json': daemonJson } : {}, settings: {} };
}

export function ufwLayer(files: Record<string, string> = {}): Layer {
  return { id: 'ufw', kind: 'ufw', label: 'ufw', version: '0.36.1', files, settings: {} };
}

export function scriptLayer(id: string, text: string): Layer {
  return { id, kind: 'own-script', label: `script ${id}`, files: { [`/usr/local/sbin/${id}.sh`]: text }, settings: { format: 'sh' } };
}
