// The layer generators' commands do in the real tools what they do in the
// model: each scenario's actions are run one by one with iptables-legacy /
// ip6tables-legacy / nft inside a throwaway network namespace, and the
// resulting iptables-legacy-save / ip6tables-legacy-save / nft list ruleset
// equals the model's state printed by the same printers (tables compared one
// by one); a command the kernel refuses must be one the model refuses too.
// Root only: elsewhere the suite skips with a one-line reason, under CI=true
// it fails instead.

import { execFileSync, spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { defaultLab } from '../../shared/lab/defaultLab.ts';
import { sequentialIds } from '../../shared/lab/labIds.ts';
import type { Layer, TimelineEvent } from '../../shared/lab/labModel.ts';
import type { Family, IptRuleset } from '../../shared/netfilter/model.ts';
import { emptyNetfilterState, type NetfilterState } from '../../shared/netfilter/netfilterState.ts';
import { parseIptablesSave } from '../../shared/netfilter/iptables/parseIptablesSave.ts';
import { printIptablesSave } from '../../shared/netfilter/iptables/printIptablesSave.ts';
import { parseNft } from '../../shared/netfilter/nft/parseNft.ts';
import { printNftRuleset } from '../../shared/netfilter/nft/printNftRuleset.ts';
import type { DriverContext } from '../../shared/layers/driverContext.ts';
import type { LayerAction } from '../../shared/layers/layerActions.ts';
import { replayLayerActions } from '../../shared/layers/layerActionReplay.ts';
import { layerEventActions } from '../../shared/layers/layerDrivers.ts';
import { NetfilterStateTarget } from '../../shared/layers/netfilterStateTarget.ts';
import { realitySkipReason } from './netns/realityGuard.ts';

const skip = realitySkipReason(['ip', 'iptables-legacy', 'ip6tables-legacy', 'iptables-legacy-save', 'ip6tables-legacy-save', 'nft']);
const NS = `vwlyr${process.pid}x1`;

function ns(argv: string[], input?: string): { status: number; stdout: string; stderr: string } {
  const r = spawnSync('ip', ['netns', 'exec', NS, ...argv], { input, encoding: 'utf8', timeout: 30_000 });
  return { status: r.status ?? -1, stdout: r.stdout ?? '', stderr: `${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

/** Runs the actions in the namespace like the tools would; returns the commands the kernel refused. */
function runInKernel(actions: LayerAction[]): string[] {
  const refused: string[] = [];
  const ipt = (family: Family, args: string): boolean => ns(['sh', '-c', `${family === 'ipv4' ? 'iptables-legacy' : 'ip6tables-legacy'} ${args}`]).status === 0;
  for (const a of actions) {
    if (a.kind === 'iptables') {
      let ok = ipt(a.family, a.args);
      if (!ok && a.fallback) ok = ipt(a.family, a.fallback);
      if (!ok && !a.mayFail) refused.push(`${a.family} ${a.args}`);
    } else if (a.kind === 'nft') {
      const r = ns(['nft', '-f', '-'], `${a.command}\n`);
      if (r.status !== 0 && !a.mayFail) refused.push(`nft ${a.command}: ${r.stderr.trim()}`);
    } else if (a.kind === 'nft-script') {
      if (ns(['nft', '-f', '-'], a.text).status !== 0) refused.push(`nft -f ${a.file}`);
    }
  }
  return refused;
}

function tablesOf(rs: IptRuleset): Map<string, string> {
  const out = new Map<string, string>();
  for (const t of rs.tables) out.set(t.name, printIptablesSave({ ...rs, tables: [t] }));
  return out;
}

function expectSameState(model: NetfilterState): void {
  for (const family of ['ipv4', 'ipv6'] as const) {
    const save = ns([family === 'ipv4' ? 'iptables-legacy-save' : 'ip6tables-legacy-save']);
    expect(save.status).toBe(0);
    const kernel = tablesOf(parseIptablesSave(save.stdout, { family, backend: 'legacy' }).ruleset);
    const ours = tablesOf(model.iptables.legacy[family]);
    for (const [name, text] of ours) expect({ family, table: name, text: kernel.get(name) }).toEqual({ family, table: name, text });
    for (const name of kernel.keys()) if (!ours.has(name)) expect({ family, table: name, text: kernel.get(name) }).toEqual({ family, table: name, text: undefined });
  }
  const nft = ns(['nft', 'list', 'ruleset']);
  expect(nft.status).toBe(0);
  const kernelNft = { kind: 'nft' as const, tables: parseNft(nft.stdout).ruleset.tables.filter((t) => !t.managedBy) };
  expect(printNftRuleset(kernelNft)).toBe(printNftRuleset(model.nft));
}

interface Step {
  layer: Layer;
  event: TimelineEvent['kind'];
  params?: TimelineEvent['params'];
}

/** Generates each step's actions from the model state of that moment, applies them to model and kernel, compares. */
function scenario(steps: Step[], options: { interfaces?: string[]; ipForward?: boolean } = {}): void {
  const lab = defaultLab(sequentialIds(), { iptablesBackend: 'legacy' });
  lab.host.sysctls.ipForward = options.ipForward ?? true;
  const state = emptyNetfilterState();
  const target = new NetfilterStateTarget(state, 'legacy');
  const ctx: DriverContext = { lab, state, sysctl: () => undefined, presentInterfaces: () => options.interfaces ?? ['lo', 'eth1', 'virbr3'], libvirtdActive: () => false, target };
  for (const step of steps) {
    const actions = layerEventActions(ctx, { id: 'e', kind: step.event, phase: 'boot', ...(step.params ? { params: step.params } : {}) }, step.layer);
    const modelFailed = replayLayerActions(actions, target)
      .filter((s) => !s.ok)
      .map((s) => (s.action.kind === 'iptables' ? `${s.action.family} ${s.action.args}` : s.action.kind === 'nft' ? `nft ${s.action.command}` : s.action.kind));
    const kernelRefused = runInKernel(actions).map((r) => r.replace(/: .*$/s, ''));
    expect({ step: `${step.layer.kind} ${step.event}`, refused: kernelRefused }).toEqual({ step: `${step.layer.kind} ${step.event}`, refused: modelFailed });
    expectSameState(state);
  }
}

const layer = (kind: Layer['kind'], files: Record<string, string>, version?: string, settings: Layer['settings'] = {}): Layer => ({ id: kind, kind, label: kind, files, settings, ...(version ? { version } : {}) });
const SFW2 = layer('susefirewall2', { '/etc/sysconfig/SuSEfirewall2': 'FW_DEV_EXT="eth1"\nFW_ROUTE="yes"\nFW_MASQUERADE="yes"\nFW_MASQ_NETS="192.168.10.0/24"\nFW_FORWARD="192.168.90.0/24,192.168.10.0/24 192.168.10.0/24,192.168.90.0/24,tcp,443"\nFW_SERVICES_EXT_TCP="ssh 3200:3299"\nFW_TRUSTED_NETS="192.168.10.0/24,udp,53"\nFW_ALLOW_PING_EXT="yes"\n' }, '3.6.378');

describe.skipIf(skip !== null)('layer commands in the real tools (throwaway netns, iptables-legacy and nft)', () => {
  beforeEach(() => {
    execFileSync('ip', ['netns', 'add', NS]);
  });
  afterEach(() => {
    spawnSync('ip', ['netns', 'del', NS]);
  });

  test('SuSEfirewall2: init, start, restart, stop', () => {
    scenario([{ layer: SFW2, event: 'layer-start', params: { phase: 'init' } }, { layer: SFW2, event: 'layer-start' }, { layer: SFW2, event: 'layer-reload' }, { layer: SFW2, event: 'layer-stop' }]);
  });

  test('ufw: start, reload, stop; MANAGE_BUILTINS=yes and REJECT forward policy', () => {
    const ufw = layer('ufw', {}, '0.36.1');
    scenario([{ layer: ufw, event: 'layer-start' }, { layer: ufw, event: 'layer-reload' }, { layer: ufw, event: 'layer-stop' }]);
  });

  test('ufw with MANAGE_BUILTINS=yes and a REJECT forward policy', () => {
    const ufw = layer('ufw', { '/etc/default/ufw': 'IPV6=yes\nDEFAULT_FORWARD_POLICY="REJECT"\nMANAGE_BUILTINS=yes\n' }, '0.36.1');
    scenario([{ layer: ufw, event: 'layer-start' }]);
  });

  test.each(['17.03.2', '27.5.1', '28.5.2'])('Docker %s: first start (flips ip_forward), restart', (version) => {
    const docker = layer('docker', { '/etc/docker/daemon.json': '{"ipv6": true, "icc": false}' }, version);
    scenario([{ layer: docker, event: 'layer-start' }, { layer: docker, event: 'layer-reload' }], { ipForward: false });
  });

  test('Docker 29 nftables backend: start, restart', () => {
    const docker = layer('docker', { '/etc/docker/daemon.json': '{"firewall-backend": "nftables"}' }, '29.1.0');
    scenario([{ layer: docker, event: 'layer-start' }, { layer: docker, event: 'layer-reload' }]);
  });

  // firewalld ≥ 2.2 asks for `flags owner,persist` only if the host's nftables can (firewalldTableOwner.ts):
  // the layer says which nft this machine has, as an admin would, and the model leaves the flags out
  // where real firewalld's probe would fail (nft < 1.1.0 refuses `persist`).
  const hostNft = /v(\d+\.\d+(?:\.\d+)?)/.exec(spawnSync('nft', ['--version'], { encoding: 'utf8' }).stdout ?? '')?.[1] ?? '';
  test.each([
    ['2.1.0', 'nftables'],
    ['2.3.1', 'nftables'],
    ['1.3.0', 'iptables'],
    ['0.9.3', 'iptables'],
  ])('firewalld %s (%s backend): start, reload, stop', (version, backend) => {
    const fw = layer('firewalld', { '/etc/firewalld/firewalld.conf': `FirewallBackend=${backend}\n`, '/etc/firewalld/zones/external.xml': '<zone><service name="ssh"/><masquerade/><interface name="eth2"/><rule family="ipv4" priority="-5"><source address="10.0.0.0/8"/><port port="443" protocol="tcp"/><drop/></rule><forward-port port="2222" protocol="tcp" to-port="22" to-addr="192.168.10.50"/></zone>' }, version, { 'interface:eth1': 'public', nftables: hostNft });
    scenario([{ layer: fw, event: 'layer-start' }, { layer: fw, event: 'layer-reload' }, { layer: fw, event: 'layer-stop' }]);
  });

  // Every SuSEfirewall2 variable whose rules are generated beyond the basics, with LOG rules on.
  const SFW2_SERVICES_CONFIG = [
    'FW_DEV_EXT="eth1"',
    'FW_DEV_INT="virbr3"',
    'FW_PROTECT_FROM_INT="yes"',
    'FW_ROUTE="yes"',
    'FW_MASQUERADE="yes"',
    'FW_MASQ_NETS="192.168.10.0/24"',
    'FW_FORWARD_MASQ="0/0,192.168.10.50,tcp,80 203.0.113.0/24,192.168.10.50,udp,6000:6010,7000:7010,192.168.90.10"',
    'FW_REDIRECT="192.168.10.0/24,0/0,tcp,80,3128 0/0,!192.168.90.0/24,udp,53"',
    'FW_SERVICES_ACCEPT_EXT="0/0,tcp,22,,hitcount=3,blockseconds=60,recentname=ssh 2001:db8::/32,udp,500 10.1.2.3,tcp,443,1024:65535"',
    'FW_SERVICES_DROP_EXT="0/0,tcp,445 192.168.90.0/24,icmp,echo-request"',
    'FW_SERVICES_REJECT_EXT="0/0,tcp,113"',
    'FW_SERVICES_ACCEPT_RELATED_EXT="0/0,tcp,21 192.168.90.0/24,udp,53,5353"',
    'FW_CONFIGURATIONS_INT="dhcp-server sshd web"',
    'FW_IPSEC_TRUST="dmz"',
    'FW_LOG_ACCEPT_CRIT="yes"',
    'FW_LOG_DROP_ALL="yes"',
    '',
  ].join('\n');

  test('SuSEfirewall2: FW_SERVICES_ACCEPT/DROP/REJECT/ACCEPT_RELATED_*, FW_CONFIGURATIONS_*, FW_FORWARD_MASQ, FW_REDIRECT, FW_IPSEC_TRUST: start, restart', () => {
    const files = { '/etc/sysconfig/SuSEfirewall2': SFW2_SERVICES_CONFIG, '/usr/share/SuSEfirewall2/services/web': 'TCP="http https"\nRELATED="0/0,tcp,8080"\n' };
    const sfw2 = layer('susefirewall2', files, '3.6.378');
    scenario([{ layer: sfw2, event: 'layer-start' }, { layer: sfw2, event: 'layer-reload' }]);
  });

  test('SuSEfirewall2: the same with FW_REJECT=yes, FW_LEGACY_ACCEPT_FIRST=yes and every accept logged', () => {
    const config = `${SFW2_SERVICES_CONFIG}FW_REJECT="yes"\nFW_LEGACY_ACCEPT_FIRST="yes"\nFW_LOG_DROP_ALL="no"\nFW_LOG_ACCEPT_ALL="yes"\n`;
    scenario([{ layer: layer('susefirewall2', { '/etc/sysconfig/SuSEfirewall2': config }, '3.6.378'), event: 'layer-start' }]);
  });

  test('own script and SuSEfirewall2 on top of it', () => {
    const script = layer('own-script', { '/root/fw.sh': 'IPT=iptables\n$IPT -N MINE\n$IPT -A MINE -s 10.0.0.0/8,192.168.0.0/16 -j ACCEPT\n$IPT -I FORWARD -j MINE\n$IPT -D FORWARD -j NOPE || true\nip6tables -P FORWARD DROP\nnft add table inet mine\n' }, undefined, { format: 'sh' });
    scenario([{ layer: script, event: 'layer-start' }, { layer: SFW2, event: 'layer-start' }]);
  });
});
