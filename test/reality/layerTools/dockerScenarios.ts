// The Docker scenarios run against real dockerd (test/reality/docker-real.test.ts,
// Debian 12's docker.io 20.10.24 and Debian 13's 26.1.5) and, for the dumps
// captured from it (test/fixtures/layers/docker-<version>/dumps), by the unit
// test test/unit/docker-real-dumps.test.ts: the lab's daemon.json, the net.ipv4.ip_forward
// value before dockerd starts, foreign rules, the dockerd starts and stops —
// and the model's iptables state (and IPv4/IPv6 forwarding) after each step.
// Pure (no root, no processes): the model side only.

import { dockerCommandActions } from '../../../shared/layers/docker/dockerActions.ts';
import { DOCKER_COMMANDS_PATH } from '../../../shared/layers/docker/dockerCommandsFile.ts';
import { DOCKER_DAEMON_JSON_PATH } from '../../../shared/layers/docker/dockerDaemonJson.ts';
import { dockerLayerConfig, dockerLayerWorkload } from '../../../shared/layers/docker/dockerDriver.ts';
import type { LayerAction } from '../../../shared/layers/layerActions.ts';
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

export type DockerStepKind = 'start' | 'stop' | 'foreign' | 'docker';

export interface DockerStepSpec {
  kind: DockerStepKind;
  /** For 'foreign': an sh script of iptables commands (in the model an own-script layer). */
  script?: string;
  /**
   * For 'docker': one command line (`docker network create …`, `docker run …`), run
   * while dockerd is up. In the model it becomes the next line of the layer's
   * commands file and its rules are what dockerCommandActions gives for that line.
   */
  command?: string;
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

const docker = (command: string): DockerStepSpec => ({ kind: 'docker', command });
const run = (options: string): DockerStepSpec => docker(`docker run -d ${options} vw-sleep /bin/sleep 3600`);

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
  {
    name: 'user-defined networks: default subnet, --subnet/--gateway with enable_icc=false, --internal, own bridge name without masquerade, --internal with enable_icc=false',
    slug: 'networks',
    ipForward: 0,
    steps: [
      START,
      docker('docker network create n1'),
      docker('docker network create --subnet 10.50.0.0/24 --gateway 10.50.0.254 -o com.docker.network.bridge.enable_icc=false noicc'),
      docker('docker network create --internal internal1'),
      docker('docker network create -o com.docker.network.bridge.name=vwbr0 -o com.docker.network.bridge.enable_ip_masquerade=false nomasq'),
      docker('docker network create --internal -o com.docker.network.bridge.enable_icc=false internal2'),
    ],
  },
  {
    // One network only: a restart restores networks in the order of their random ids.
    name: 'a user-defined network over a dockerd restart: restored before docker0, its FORWARD and MASQUERADE rules left in place',
    slug: 'network-restart',
    ipForward: 1,
    steps: [{ kind: 'foreign', script: LIBVIRT_LIKE }, START, docker('docker network create --subnet 172.30.0.0/24 web'), STOP, START],
  },
  {
    // One published port per container: the order of a container's ports is random in dockerd.
    name: 'published ports on docker0 and on user networks (host address, udp, --ip); stop takes them away',
    slug: 'ports',
    ipForward: 0,
    steps: [
      START,
      run('--name c1 -p 8080:80'),
      run('--name c2 -p 127.0.0.1:8081:81/udp'),
      docker('docker network create web'),
      run('--name c3 --network web -p 9090:90'),
      docker('docker network create --subnet 10.60.0.0/24 fixed'),
      run('--name c4 --network fixed --ip 10.60.0.10 -p 8443:443'),
      run('--name c5 --network web'),
      STOP,
    ],
  },
  {
    name: 'userland-proxy=false: published ports in hairpin mode on docker0 and a user network',
    slug: 'ports-no-proxy',
    ipForward: 0,
    daemonJson: '{\n  "userland-proxy": false\n}\n',
    steps: [START, run('--name c1 -p 8080:80'), docker('docker network create web'), run('--name c2 --network web -p 9090:90')],
  },
  { name: 'ipv6 + fixed-cidr-v6 + ip6tables (experimental in 20.10 and 26.1): IPv6 FORWARD DROP, nat MASQUERADE', slug: 'ipv6', ipForward: 0, daemonJson: '{\n  "experimental": true,\n  "ipv6": true,\n  "fixed-cidr-v6": "fd00:d0c::/64",\n  "ip6tables": true\n}\n', steps: [START, STOP, START] },
];

export const dockerLayer = (s: DockerScenario, version: string, commands: string[] = []): Layer => ({
  id: 'docker',
  kind: 'docker',
  label: 'Docker',
  version,
  files: { ...(s.daemonJson ? { [DOCKER_DAEMON_JSON_PATH]: s.daemonJson } : {}), ...(commands.length > 0 ? { [DOCKER_COMMANDS_PATH]: `${commands.join('\n')}\n` } : {}) },
  settings: {},
});

export const ownScript = (script: string): Layer => ({ id: 'own', kind: 'own-script', label: 'own', files: { '/root/fw.sh': script }, settings: { format: 'sh' } });

export const stepName = (step: DockerStepSpec): string => {
  if (step.kind === 'foreign') return 'foreign rules';
  if (step.kind === 'docker') {
    const words = (step.command ?? '').split(' ');
    return words[1] === 'network' ? `network ${words[words.length - 1]}` : `run ${words[words.indexOf('--name') + 1]}`;
  }
  return `dockerd ${step.kind}`;
};

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

/** The actions of one step: a layer event, or one docker command (dockerCommandActions) on what the file holds so far. */
function stepActions(ctx: DriverContext, s: DockerScenario, version: string, step: DockerStepSpec, commands: string[]): LayerAction[] {
  if (step.kind === 'foreign') return layerEventActions(ctx, { id: 'e', kind: 'layer-start', phase: 'boot' }, ownScript(step.script ?? ''));
  const layer = dockerLayer(s, version, commands);
  if (step.kind !== 'docker') return layerEventActions(ctx, { id: 'e', kind: EVENT[step.kind], phase: 'boot' }, layer);
  const { config, problems } = dockerLayerConfig(layer);
  const { workload, problems: more } = dockerLayerWorkload(layer, config);
  const notes: LayerAction[] = [...problems, ...more].map((p) => ({ kind: 'note', severity: p.severity, text: `${p.file}:${p.line}:${p.column}: ${p.message}` }));
  return [...notes, ...(workload ? dockerCommandActions(config, version, workload, commands.length) : [])];
}

/** The model's iptables-nft state and ip_forward after each step. */
export function dockerModelSteps(s: DockerScenario, version: string): DockerModelStep[] {
  const lab = defaultLab(sequentialIds(), { iptablesBackend: 'nft' });
  const state = emptyNetfilterState();
  const target = new NetfilterStateTarget(state, 'nft');
  const sysctls = new Map<string, string>([['net.ipv4.ip_forward', String(s.ipForward)], ['net.ipv6.conf.all.forwarding', '0']]);
  const ctx: DriverContext = { lab, state, sysctl: (k) => sysctls.get(k), presentInterfaces: () => ['lo', 'eth1', 'virbr3'], libvirtdActive: () => false, target };
  // The commands file as dockerd knows it: lines are added as the scenario runs them;
  // a stop removes the containers (the session's stop does `docker rm -f`), the networks stay.
  let commands: string[] = [];
  return s.steps.map((step) => {
    if (step.kind === 'docker') commands = [...commands, step.command ?? ''];
    const actions = stepActions(ctx, s, version, step, commands);
    if (step.kind === 'stop') commands = commands.filter((c) => !c.startsWith('docker run'));
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
