// The Docker scenarios run against real dockerd (test/reality/docker-real.test.ts,
// Debian 12's docker.io 20.10.24 and Debian 13's 26.1.5) and, for the dumps
// captured from it (test/fixtures/layers/docker-<version>/dumps), by the unit
// test test/unit/docker-real-dumps.test.ts: the lab's daemon.json, the net.ipv4.ip_forward
// value before dockerd starts, foreign rules, the dockerd starts and stops —
// and the model's iptables state (and IPv4/IPv6 forwarding) after each step.
// Pure (no root, no processes): the model side only.

import { DOCKER_DAEMON_JSON_PATH } from '../../../shared/layers/docker/dockerDaemonJson.ts';
import { defaultLab } from '../../../shared/lab/defaultLab.ts';
import { sequentialIds } from '../../../shared/lab/labIds.ts';
import type { Layer, TimelineEvent } from '../../../shared/lab/labModel.ts';
import type { Family, IptRuleset } from '../../../shared/netfilter/model.ts';
import { cloneNetfilterState, emptyNetfilterState, type NetfilterState } from '../../../shared/netfilter/netfilterState.ts';
import type { DriverContext } from '../../../shared/layers/driverContext.ts';
import { replayLayerActions } from '../../../shared/layers/layerActionReplay.ts';
import { layerEventActions } from '../../../shared/layers/layerDrivers.ts';
import { NetfilterStateTarget } from '../../../shared/layers/netfilterStateTarget.ts';

/** The docker.io package of each chroot (toolRoot.ts labels). */
export const DOCKER_VERSIONS: Record<string, string> = { 'Debian 12': '20.10.24', 'Debian 13': '26.1.5' };

export type DockerStepKind = 'start' | 'stop' | 'foreign';

export interface DockerStepSpec {
  kind: DockerStepKind;
  /** For 'foreign': an sh script of iptables commands (in the model an own-script layer). */
  script?: string;
}

export interface DockerScenario {
  name: string;
  /** File name part of the captured dumps. */
  slug: string;
  daemonJson?: string;
  /** net.ipv4.ip_forward before anything runs (the start-order question). */
  ipForward: 0 | 1;
  steps: DockerStepSpec[];
}

// Rules libvirt would have put there before dockerd starts (the iptables backend's shape).
const LIBVIRT_LIKE = [
  'iptables -N LIBVIRT_FWO',
  'iptables -N LIBVIRT_FWI',
  'iptables -A FORWARD -j LIBVIRT_FWI',
  'iptables -A FORWARD -j LIBVIRT_FWO',
  'iptables -A LIBVIRT_FWO -s 192.168.10.0/24 -i virbr3 -j ACCEPT',
  'iptables -A LIBVIRT_FWI -d 192.168.10.0/24 -o virbr3 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
  'iptables -t nat -A POSTROUTING -s 192.168.10.0/24 ! -d 192.168.10.0/24 -j MASQUERADE',
].join('\n');

const START: DockerStepSpec = { kind: 'start' };
const STOP: DockerStepSpec = { kind: 'stop' };

export const DOCKER_SCENARIOS: DockerScenario[] = [
  { name: 'no daemon.json, ip_forward=0: start (dockerd flips forwarding, FORWARD DROP), stop, start again', slug: 'defaults', ipForward: 0, steps: [START, STOP, START] },
  {
    name: 'libvirt-like rules first, ip_forward=1 (policy stays ACCEPT), bip; a DOCKER-USER rule survives a restart',
    slug: 'libvirt-first-bip',
    ipForward: 1,
    daemonJson: '{\n  "bip": "10.99.0.1/24"\n}\n',
    steps: [
      { kind: 'foreign', script: LIBVIRT_LIKE },
      START,
      { kind: 'foreign', script: 'iptables -I DOCKER-USER -i virbr3 -j ACCEPT\niptables -I DOCKER-USER -o virbr3 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT' },
      STOP,
      START,
    ],
  },
  { name: 'icc=false and userland-proxy=false', slug: 'icc-off-no-proxy', ipForward: 0, daemonJson: '{\n  "icc": false,\n  "userland-proxy": false\n}\n', steps: [START, STOP, START] },
  { name: 'iptables=false: no rules, no policy', slug: 'iptables-off', ipForward: 0, daemonJson: '{\n  "iptables": false\n}\n', steps: [START] },
  { name: 'ip-forward=false: forwarding stays 0, no DROP policy', slug: 'ip-forward-off', ipForward: 0, daemonJson: '{\n  "ip-forward": false\n}\n', steps: [START] },
  { name: 'ipv6 + fixed-cidr-v6 + ip6tables (experimental in 20.10 and 26.1): IPv6 FORWARD DROP, nat MASQUERADE', slug: 'ipv6', ipForward: 0, daemonJson: '{\n  "experimental": true,\n  "ipv6": true,\n  "fixed-cidr-v6": "fd00:d0c::/64",\n  "ip6tables": true\n}\n', steps: [START, STOP, START] },
];

export const dockerLayer = (s: DockerScenario, version: string): Layer => ({
  id: 'docker',
  kind: 'docker',
  label: 'Docker',
  version,
  files: s.daemonJson ? { [DOCKER_DAEMON_JSON_PATH]: s.daemonJson } : {},
  settings: {},
});

export const ownScript = (script: string): Layer => ({ id: 'own', kind: 'own-script', label: 'own', files: { '/root/fw.sh': script }, settings: { format: 'sh' } });

export const stepName = (step: DockerStepSpec): string => (step.kind === 'foreign' ? 'foreign rules' : `dockerd ${step.kind}`);

export interface DockerModelStep {
  name: string;
  /** Actions the model could not apply (the real tools applied all). */
  refused: string[];
  /** Errors the driver reported. */
  errors: string[];
  iptables: Record<Family, IptRuleset>;
  state: NetfilterState;
  ipForward: string;
  ipv6Forwarding: string;
}

const EVENT: Record<'start' | 'stop', TimelineEvent['kind']> = { start: 'layer-start', stop: 'layer-stop' };

/** The model's iptables-nft state and ip_forward after each step. */
export function dockerModelSteps(s: DockerScenario, version: string): DockerModelStep[] {
  const docker = dockerLayer(s, version);
  const lab = defaultLab(sequentialIds(), { iptablesBackend: 'nft' });
  const state = emptyNetfilterState();
  const target = new NetfilterStateTarget(state, 'nft');
  const sysctls = new Map<string, string>([['net.ipv4.ip_forward', String(s.ipForward)], ['net.ipv6.conf.all.forwarding', '0']]);
  const ctx: DriverContext = { lab, state, sysctl: (k) => sysctls.get(k), presentInterfaces: () => ['lo', 'eth1', 'virbr3'], libvirtdActive: () => false, target };
  return s.steps.map((step) => {
    const layer = step.kind === 'foreign' ? ownScript(step.script ?? '') : docker;
    const actions = layerEventActions(ctx, { id: 'e', kind: step.kind === 'foreign' ? 'layer-start' : EVENT[step.kind], phase: 'boot' }, layer);
    const seen = target.sysctls.length;
    const refused = replayLayerActions(actions, target)
      .filter((r) => !r.ok)
      .map((r) => (r.action.kind === 'iptables' ? `${r.action.family} ${r.action.args}: ${r.message ?? ''}` : r.action.kind));
    for (const x of target.sysctls.slice(seen)) sysctls.set(x.key, x.value);
    const errors = actions.flatMap((a) => (a.kind === 'note' && a.severity === 'error' ? [a.text] : []));
    const copy = cloneNetfilterState(state);
    return { name: stepName(step), refused, errors, iptables: copy.iptables.nft, state: copy, ipForward: sysctls.get('net.ipv4.ip_forward') ?? '', ipv6Forwarding: sysctls.get('net.ipv6.conf.all.forwarding') ?? '' };
  });
}
