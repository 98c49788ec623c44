// The ufw scenarios run against real ufw 0.36.2 (test/reality/ufw-real.test.ts)
// and, for the dumps captured from it (test/fixtures/layers/ufw-0.36.2/dumps),
// by the unit test test/unit/ufw-real-dumps.test.ts: what the lab's layer holds,
// which commands the admin ran, and the model's iptables state after each step.
// Pure (no root, no processes): the model side only.

import { defaultLab } from '../../../shared/lab/defaultLab.ts';
import { sequentialIds } from '../../../shared/lab/labIds.ts';
import type { Layer, TimelineEvent } from '../../../shared/lab/labModel.ts';
import type { Family, IptRuleset } from '../../../shared/netfilter/model.ts';
import { cloneNetfilterState, emptyNetfilterState } from '../../../shared/netfilter/netfilterState.ts';
import type { DriverContext } from '../../../shared/layers/driverContext.ts';
import { replayLayerActions } from '../../../shared/layers/layerActionReplay.ts';
import { layerEventActions } from '../../../shared/layers/layerDrivers.ts';
import { NetfilterStateTarget } from '../../../shared/layers/netfilterStateTarget.ts';
import { applyUfwCommand } from '../../../shared/layers/ufw/ufwCommands.ts';
import { UFW_CONF } from '../../../shared/layers/ufw/ufwLogging.ts';
import { UFW_DEFAULTS_PATH } from '../../../shared/layers/ufw/ufwShippedFiles.ts';

export const UFW_VERSION = '0.36.2';

export type UfwEventName = 'enable' | 'reload' | 'disable';

export interface UfwScenario {
  name: string;
  /** File name part of the captured dumps. */
  slug: string;
  defaults?: string;
  commands?: string[];
  /** A foreign script (e.g. libvirt-like rules) run before ufw; in the model an own-script layer. */
  before?: string;
  /** A foreign script run after the first event (rules added while ufw runs). */
  between?: string;
  /** /etc/ufw/ufw.conf (LOGLEVEL), when not the shipped one. */
  ufwConf?: string;
  events: UfwEventName[];
}

export const UFW_EVENTS: Record<UfwEventName, { kind: TimelineEvent['kind']; command: string }> = {
  enable: { kind: 'layer-start', command: 'ufw --force enable' },
  reload: { kind: 'layer-reload', command: 'ufw reload' },
  disable: { kind: 'layer-stop', command: 'ufw disable' },
};

const COMMANDS = ['ufw allow 22/tcp', 'ufw route allow in on virbr3 out on eth1', 'ufw allow from 192.168.10.0/24 to any port 53 proto udp', 'ufw reject out 25', 'ufw route deny in on virbr3 to 10.0.0.0/8', 'ufw allow in on virbr3 to any port 67 proto udp'];
const FOREIGN = [
  'iptables -N LIBVIRT_FWO',
  'iptables -I FORWARD -j LIBVIRT_FWO',
  'iptables -A LIBVIRT_FWO -s 192.168.10.0/24 -i virbr3 -j ACCEPT',
  'iptables -t nat -A POSTROUTING -s 192.168.10.0/24 ! -d 192.168.10.0/24 -j MASQUERADE',
  'iptables -t mangle -A POSTROUTING -o virbr3 -p udp --dport 68 -j CHECKSUM --checksum-fill',
  'ip6tables -A FORWARD -i virbr3 -j ACCEPT',
].join('\n');
const defaults = (o: { ipv6?: string; input?: string; forward?: string; manage?: string }): string =>
  `IPV6=${o.ipv6 ?? 'yes'}\nDEFAULT_INPUT_POLICY="${o.input ?? 'DROP'}"\nDEFAULT_OUTPUT_POLICY="ACCEPT"\nDEFAULT_FORWARD_POLICY="${o.forward ?? 'DROP'}"\nMANAGE_BUILTINS=${o.manage ?? 'no'}\nIPT_SYSCTL=/etc/ufw/sysctl.conf\n`;

export const UFW_SCENARIOS: UfwScenario[] = [
  { name: 'shipped defaults: enable, reload, disable, enable again', slug: 'shipped', events: ['enable', 'reload', 'disable', 'enable'] },
  { name: 'user rules (allow, route allow/deny, reject out) with DEFAULT_FORWARD_POLICY=ACCEPT', slug: 'rules-forward-accept', defaults: defaults({ forward: 'ACCEPT' }), commands: COMMANDS, events: ['enable', 'reload', 'disable'] },
  { name: 'MANAGE_BUILTINS=yes and DEFAULT_FORWARD_POLICY=REJECT over libvirt-like rules', slug: 'manage-builtins-reject', defaults: defaults({ forward: 'REJECT', manage: 'yes' }), commands: COMMANDS.slice(0, 2), before: FOREIGN, events: ['enable', 'reload', 'disable'] },
  {
    name: 'rules added while ufw runs stay below its jumps across a reload; limit, default allow routed, LOGLEVEL=medium',
    slug: 'running-foreign-medium',
    ufwConf: 'ENABLED=no\nLOGLEVEL=medium\n',
    commands: ['ufw limit 22/tcp', 'ufw default allow routed', 'ufw allow out on eth1 to 192.168.90.0/24 port 443 proto tcp'],
    between: 'iptables -A FORWARD -i virbr3 -j ACCEPT\niptables -I INPUT -i virbr3 -p udp --dport 67 -j ACCEPT\nip6tables -A INPUT -j DROP',
    events: ['enable', 'reload', 'disable', 'enable'],
  },
  { name: 'IPV6=no (IPv6 closed except loopback) over libvirt-like rules, REJECT input policy', slug: 'ipv6-no', defaults: defaults({ ipv6: 'no', input: 'REJECT' }), commands: COMMANDS.slice(0, 3), before: FOREIGN, events: ['enable', 'reload', 'disable'] },
];

export const layerOf = (kind: Layer['kind'], files: Record<string, string>, version?: string, settings: Layer['settings'] = {}): Layer => ({ id: kind, kind, label: kind, files, settings, ...(version ? { version } : {}) });

/** The lab's ufw layer after the scenario's commands (what the model writes for them). */
export function scenarioUfwLayer(s: UfwScenario): Layer {
  let files: Record<string, string> = { ...(s.defaults ? { [UFW_DEFAULTS_PATH]: s.defaults } : {}), ...(s.ufwConf ? { [UFW_CONF]: s.ufwConf } : {}) };
  for (const c of s.commands ?? []) {
    const r = applyUfwCommand(files, c);
    if ('error' in r) throw new Error(`${c}: ${r.error}`);
    files = r.files;
  }
  return layerOf('ufw', files, UFW_VERSION);
}

/** The steps as the real run names them: foreign rules, ufw commands, then the events. */
export function scenarioSteps(s: UfwScenario): { name: string; command: string }[] {
  return [
    ...(s.before ? [{ name: 'foreign rules', command: s.before }] : []),
    ...(s.commands?.length ? [{ name: 'ufw commands', command: s.commands.join(' && ') }] : []),
    ...s.events.flatMap((e, i) => [{ name: e, command: UFW_EVENTS[e].command }, ...(i === 0 && s.between ? [{ name: 'foreign rules after', command: s.between }] : [])]),
  ];
}

export interface ModelStep {
  name: string;
  /** Actions the model could not apply (the real tool applied all). */
  refused: string[];
  iptables: Record<Family, IptRuleset>;
}

/** The model's iptables state after each step, the ufw driver replayed on a NetfilterState. */
export function modelSteps(s: UfwScenario, flavour: 'nft' | 'legacy'): ModelStep[] {
  const ufw = scenarioUfwLayer(s);
  const lab = defaultLab(sequentialIds(), { iptablesBackend: flavour });
  const state = emptyNetfilterState();
  const target = new NetfilterStateTarget(state, flavour);
  const ctx: DriverContext = { lab, state, sysctl: () => undefined, presentInterfaces: () => ['lo', 'eth1', 'virbr3'], libvirtdActive: () => false, target };
  const run = (layer: Layer, kind: TimelineEvent['kind']): string[] =>
    replayLayerActions(layerEventActions(ctx, { id: 'e', kind, phase: 'boot' }, layer), target)
      .filter((r) => !r.ok)
      .map((r) => (r.action.kind === 'iptables' ? `${r.action.family} ${r.action.args}: ${r.message ?? ''}` : r.action.kind));
  return scenarioSteps(s).map((step) => {
    let refused: string[] = [];
    if (step.name === 'foreign rules') refused = run(layerOf('own-script', { '/root/fw.sh': s.before ?? '' }, undefined, { format: 'sh' }), 'layer-start');
    else if (step.name === 'foreign rules after') refused = run(layerOf('own-script', { '/root/fw.sh': s.between ?? '' }, undefined, { format: 'sh' }), 'layer-start');
    else if (step.name !== 'ufw commands') refused = run(ufw, UFW_EVENTS[step.name as UfwEventName].kind);
    return { name: step.name, refused, iptables: cloneNetfilterState(state).iptables[flavour] };
  });
}
