// virtwall layer actions KIND FILE[=HOSTPATH]... [--event start|reload|stop|init] [--version V]
//                        [--interface NAME]... [--ip-forward 0|1] [--libvirt VERSION] [--libvirtd-stopped] [--json]
// virtwall layer check KIND FILE[=HOSTPATH]... [--version V] [--json]
//
// `actions` prints what a firewall layer runs at one event on a host with the
// given interfaces, as shell lines (iptables/ip6tables/nft/sysctl) with the
// reason of each as a comment — the layer generator in isolation, before any
// timeline. `check` prints every problem of the layer's files as
// FILE:line:col: severity: message (exit 1 when there is an error).
// A file's place on the host is given after `=`; without it the kind's main
// path is assumed (SuSEfirewall2 → /etc/sysconfig/SuSEfirewall2, Docker →
// /etc/docker/daemon.json, ufw → /etc/default/ufw or /etc/ufw/NAME.rules,
// firewalld → /etc/firewalld/firewalld.conf or zones/policies by root element).

import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { defaultLab } from '../../shared/lab/defaultLab.ts';
import { sequentialIds } from '../../shared/lab/labIds.ts';
import type { Layer, LayerKind, TimelineEvent } from '../../shared/lab/labModel.ts';
import { emptyNetfilterState } from '../../shared/netfilter/netfilterState.ts';
import type { DriverContext } from '../../shared/layers/driverContext.ts';
import type { LayerAction } from '../../shared/layers/layerActions.ts';
import { layerEventActions } from '../../shared/layers/layerDrivers.ts';
import { layerProblems } from '../../shared/layers/layerProblems.ts';
import { NetfilterStateTarget } from '../../shared/layers/netfilterStateTarget.ts';
import { UsageError, type CliCommand, type CliIo } from '../io.ts';
import { parseFlags } from '../parseFlags.ts';

const KINDS: readonly LayerKind[] = ['susefirewall2', 'firewalld', 'ufw', 'docker', 'own-script', 'raw-ruleset'];

function hostPath(kind: LayerKind, local: string, text: string): string {
  const name = basename(local);
  switch (kind) {
    case 'susefirewall2':
      return '/etc/sysconfig/SuSEfirewall2';
    case 'docker':
      return '/etc/docker/daemon.json';
    case 'ufw':
      return name.endsWith('.rules') || name === 'sysctl.conf' ? `/etc/ufw/${name}` : '/etc/default/ufw';
    case 'firewalld':
      if (/<zone[\s>]/.test(text)) return `/etc/firewalld/zones/${name.endsWith('.xml') ? name : `${name}.xml`}`;
      if (/<policy[\s>]/.test(text)) return `/etc/firewalld/policies/${name.endsWith('.xml') ? name : `${name}.xml`}`;
      return '/etc/firewalld/firewalld.conf';
    default:
      return local;
  }
}

function readLayer(kind: LayerKind, specs: string[], version: string | undefined, io: CliIo): Layer {
  const files: Record<string, string> = {};
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    const local = eq === -1 ? spec : spec.slice(0, eq);
    let text: string;
    try {
      text = readFileSync(resolve(io.cwd, local), 'utf8');
    } catch (e) {
      throw new UsageError(`${local}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    files[eq === -1 ? hostPath(kind, local, text) : spec.slice(eq + 1)] = text;
  }
  return { id: 'cli', kind, label: kind, files, settings: kind === 'own-script' ? { format: 'sh' } : {}, ...(version ? { version } : {}) };
}

function kindOf(word: string | undefined): LayerKind {
  const kind = KINDS.find((k) => k === word);
  if (!kind) throw new UsageError(`KIND must be one of ${KINDS.join(', ')}`);
  return kind;
}

function shellLine(a: LayerAction): string {
  switch (a.kind) {
    case 'iptables':
      return `${a.family === 'ipv4' ? 'iptables' : 'ip6tables'}${a.backend ? `-${a.backend}` : ''} ${a.args}${a.fallback ? ` || ${a.family === 'ipv4' ? 'iptables' : 'ip6tables'} ${a.fallback}` : ''}${a.mayFail ? ' || true' : ''}`;
    case 'nft':
      return `nft '${a.command.replace(/'/g, "'\\''")}'`;
    case 'nft-script':
      return `nft -f ${a.file}`;
    case 'iptables-replace':
      return `${a.family === 'ipv4' ? 'iptables' : 'ip6tables'}-restore < ${a.provenance.file ?? 'dump'}`;
    case 'nft-replace':
      return `nft -f ${a.provenance.file ?? 'dump'}  # after nft flush ruleset`;
    case 'sysctl':
      return `sysctl -w ${a.key}=${a.value}`;
    case 'signal-libvirtd':
      return a.signal === 'sighup' ? 'killall -HUP libvirtd' : '# firewalld announces itself on D-Bus: libvirt re-adds its rules';
    case 'note':
      return `# ${a.severity}: ${a.text}`;
  }
}

export const layerActions: CliCommand = async (args, io) => {
  const flags = parseFlags(args, { values: ['event', 'version', 'ip-forward', 'libvirt'], repeatable: ['interface'], booleans: ['libvirtd-stopped', 'json'] });
  const [kindWord, ...files] = flags.positional;
  const kind = kindOf(kindWord);
  if (files.length === 0) throw new UsageError('at least one FILE expected');
  const eventName = flags.values.event ?? 'start';
  const kinds: Record<string, TimelineEvent['kind']> = { start: 'layer-start', init: 'layer-start', reload: 'layer-reload', stop: 'layer-stop' };
  if (!kinds[eventName]) throw new UsageError('--event must be start, init, reload or stop');
  const layer = readLayer(kind, files, flags.values.version, io);
  const lab = defaultLab(sequentialIds(), { libvirtVersion: flags.values.libvirt ?? '9.0' });
  const interfaces = flags.lists.interface ?? ['lo', 'eth1'];
  if (flags.values['ip-forward'] !== undefined) lab.host.sysctls.ipForward = flags.values['ip-forward'] === '1';
  const state = emptyNetfilterState();
  const ctx: DriverContext = {
    lab,
    state,
    sysctl: () => undefined,
    presentInterfaces: () => interfaces,
    libvirtdActive: () => !flags.booleans.has('libvirtd-stopped'),
    target: new NetfilterStateTarget(state, lab.host.iptablesBackend),
  };
  const event: TimelineEvent = { id: 'cli', kind: kinds[eventName], phase: 'boot', ...(eventName === 'init' ? { params: { phase: 'init' } } : {}) };
  const actions = layerEventActions(ctx, event, layer);
  if (flags.booleans.has('json')) {
    io.stdout(`${JSON.stringify({ kind, event: eventName, actions }, null, 2)}\n`);
    return 0;
  }
  for (const a of actions) {
    const reason = 'provenance' in a ? a.provenance.reason : undefined;
    io.stdout(`${shellLine(a)}${reason && a.kind !== 'note' ? `    # ${reason}` : ''}\n`);
  }
  return 0;
};

export const layerCheck: CliCommand = async (args, io) => {
  const flags = parseFlags(args, { values: ['version'], booleans: ['json'] });
  const [kindWord, ...files] = flags.positional;
  const kind = kindOf(kindWord);
  if (files.length === 0) throw new UsageError('at least one FILE expected');
  const layer = readLayer(kind, files, flags.values.version, io);
  const problems = layerProblems(layer);
  if (flags.booleans.has('json')) io.stdout(`${JSON.stringify({ kind, problems })}\n`);
  else for (const p of problems) io.stdout(`${p.file}:${p.line}:${p.column}: ${p.severity}: ${p.message}\n`);
  if (!flags.booleans.has('json') && problems.length === 0) io.stdout(`${kind}: no problems in ${Object.keys(layer.files).join(', ')}\n`);
  return problems.some((p) => p.severity === 'error') ? 1 : 0;
};
