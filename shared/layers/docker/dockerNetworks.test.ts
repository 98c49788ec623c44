import { describe, expect, it } from 'vitest';
import { defaultLab } from '../../lab/defaultLab.ts';
import { sequentialIds } from '../../lab/labIds.ts';
import type { Layer, TimelineEvent } from '../../lab/labModel.ts';
import { printIptablesSave } from '../../netfilter/iptables/printIptablesSave.ts';
import { emptyNetfilterState } from '../../netfilter/netfilterState.ts';
import type { DriverContext } from '../driverContext.ts';
import { replayLayerActions } from '../layerActionReplay.ts';
import type { LayerAction } from '../layerActions.ts';
import { layerProblems } from '../layerProblems.ts';
import { NetfilterStateTarget } from '../netfilterStateTarget.ts';
import { dockerCommandActions } from './dockerActions.ts';
import { DOCKER_COMMANDS_PATH, parseDockerCommands } from './dockerCommandsFile.ts';
import { DOCKER_DAEMON_JSON_PATH } from './dockerDaemonJson.ts';
import { dockerEventActions, dockerLayerConfig, dockerLayerWorkload } from './dockerDriver.ts';
import { dockerNetworkId, planDockerNetworks } from './dockerNetworkPlan.ts';

const FILE = [
  'docker network create n1',
  'docker network create --subnet 172.19.0.0/16 fixed',
  'docker network create n2',
  'docker run -d --name web --network n1 -p 8080:80 -p 127.0.0.1:8443:443 nginx',
  'docker run -d --name db --network fixed --ip 172.19.0.20 postgres',
  'docker run -d --name legacy -p 2222:22/tcp alpine',
].join('\n');

function host(over: Partial<{ ipForward: string }> = {}) {
  const lab = defaultLab(sequentialIds(), { iptablesBackend: 'nft' });
  const state = emptyNetfilterState();
  const target = new NetfilterStateTarget(state, 'nft');
  const sysctls = new Map([['net.ipv4.ip_forward', over.ipForward ?? '0']]);
  const ctx: DriverContext = { lab, state, sysctl: (k) => sysctls.get(k), presentInterfaces: () => ['lo', 'eth1'], libvirtdActive: () => false, target };
  const apply = (actions: LayerAction[]) => {
    const failed = replayLayerActions(actions, target).filter((r) => !r.ok);
    for (const x of target.sysctls) sysctls.set(x.key, x.value);
    return failed;
  };
  return { ctx, apply, save: () => printIptablesSave(state.iptables.nft.ipv4) };
}
const ev = (kind: TimelineEvent['kind']): TimelineEvent => ({ id: 'e', kind, phase: 'boot' });
const docker = (version: string, commands = FILE, daemonJson?: string): Layer => ({ id: 'd', kind: 'docker', label: 'Docker', version, files: { [DOCKER_COMMANDS_PATH]: commands, ...(daemonJson ? { [DOCKER_DAEMON_JSON_PATH]: daemonJson } : {}) }, settings: {} });
const ipt = (actions: LayerAction[]) => actions.flatMap((a) => (a.kind === 'iptables' ? [a] : []));

describe('Docker networks and containers: where dockerd puts them', () => {
  const plan = planDockerNetworks(parseDockerCommands(FILE).commands, '172.17.0.0/16', DOCKER_COMMANDS_PATH);
  it('default pools skip docker0 and explicit subnets; bridge br-<id from the name>; containers .2, .3 … or --ip', () => {
    expect(plan.problems).toEqual([]);
    expect(plan.networks.map((n) => [n.name, n.subnet, n.gateway, n.bridge])).toEqual([
      ['n1', '172.18.0.0/16', '172.18.0.1', `br-${dockerNetworkId('n1').slice(0, 12)}`],
      ['fixed', '172.19.0.0/16', '172.19.0.1', `br-${dockerNetworkId('fixed').slice(0, 12)}`],
      ['n2', '172.20.0.0/16', '172.20.0.1', `br-${dockerNetworkId('n2').slice(0, 12)}`],
    ]);
    expect(dockerNetworkId('n1')).toMatch(/^[0-9a-f]{64}$/);
    expect(dockerNetworkId('n1')).toBe(dockerNetworkId('n1'));
    expect(dockerNetworkId('n1')).not.toBe(dockerNetworkId('n2'));
    expect(plan.containers.map((c) => [c.label, c.network.name, c.ip])).toEqual([['web', 'n1', '172.18.0.2'], ['db', 'fixed', '172.19.0.20'], ['legacy', 'bridge', '172.17.0.2']]);
  });
  it('refuses what dockerd refuses, at the command line', () => {
    const errs = (text: string, bip = '172.17.0.0/16') => planDockerNetworks(parseDockerCommands(text).commands, bip, 'f').problems.map((p) => `${p.line}: ${p.message}`);
    expect(errs('docker run --ip 172.17.0.9 nginx')).toEqual(['1: user specified IP address is supported only when connecting to networks with user configured subnets']);
    expect(errs('docker network create a\ndocker run --network a --ip 172.18.0.9 nginx')).toEqual(['2: user specified IP address is supported only when connecting to networks with user configured subnets']);
    expect(errs('docker run --network web nginx')).toEqual(['1: network web not found (create it on an earlier line)']);
    expect(errs('docker network create --subnet 172.17.5.0/24 a')).toEqual(['1: Pool overlaps with other one on this address space (--subnet 172.17.5.0/24)']);
    expect(errs('docker network create a\ndocker network create a')).toEqual(['2: network with name a already exists']);
    expect(errs('docker run -p 8080:80 a\ndocker run -p 127.0.0.1:8080:81 b')).toEqual(['2: Bind for 0.0.0.0:8080 failed: port is already allocated']);
    expect(errs('docker network create --subnet 10.0.0.0/24 --gateway 10.0.1.1 a')).toEqual(['1: --gateway 10.0.1.1 is not in the subnet 10.0.0.0/24']);
    // bip elsewhere: the first pool is 172.17.0.0/16 again
    expect(planDockerNetworks(parseDockerCommands('docker network create a').commands, '10.99.0.0/24', 'f').networks[0].subnet).toBe('172.17.0.0/16');
  });
});

describe('Docker networks and published ports: rules', () => {
  it('< 28.1: a start with the whole file equals a start then each command as it is run (what the reality suite compares)', () => {
    const whole = host();
    expect(whole.apply(dockerEventActions(whole.ctx, ev('layer-start'), docker('26.1.5')))).toEqual([]);
    const stepwise = host();
    stepwise.apply(dockerEventActions(stepwise.ctx, ev('layer-start'), docker('26.1.5', '')));
    const layer = docker('26.1.5');
    const { config } = dockerLayerConfig(layer);
    const { workload } = dockerLayerWorkload(layer, config);
    if (!workload) throw new Error('no workload');
    for (let line = 1; line <= FILE.split('\n').length; line++) stepwise.apply(dockerCommandActions(config, '26.1.5', workload, line));
    expect(whole.save()).toBe(stepwise.save());
    expect(whole.save()).toContain('-A DOCKER -d 127.0.0.1/32 ! -i br-');
  });

  it('every rule of a command names the file and line; the container rules name the container', () => {
    const h = host();
    const actions = ipt(dockerEventActions(h.ctx, ev('layer-start'), docker('20.10.24')));
    const dnat = actions.find((a) => a.args.includes('--dport 8080 -j DNAT'));
    expect(dnat?.provenance).toMatchObject({ layer: 'docker', file: DOCKER_COMMANDS_PATH, line: 4 });
    expect(dnat?.provenance.reason).toContain('container web (172.18.0.2 on n1)');
    expect(actions.find((a) => a.args.startsWith('-t nat -I POSTROUTING -s 172.20.0.0/16'))?.provenance).toMatchObject({ file: DOCKER_COMMANDS_PATH, line: 3 });
    const notes = dockerEventActions(host().ctx, ev('layer-start'), docker('20.10.24')).flatMap((a) => (a.kind === 'note' ? [a.text] : []));
    expect(notes).toContain(`${DOCKER_COMMANDS_PATH}:1: Docker network n1 (172.18.0.0/16) on bridge br-${dockerNetworkId('n1').slice(0, 12)} — real dockerd names the bridge br-<12 hex digits of a random network id>; the model derives the id from the name, so the bridge is named differently on a real host`);
  });

  it('dockerd stop takes the published ports away and leaves the networks; a restart (reload) does not duplicate them', () => {
    const h = host();
    h.apply(dockerEventActions(h.ctx, ev('layer-start'), docker('20.10.24')));
    const started = h.save();
    h.apply(dockerEventActions(h.ctx, ev('layer-stop'), docker('20.10.24')));
    expect(h.save()).not.toContain('--dport');
    expect(h.save()).toContain('-A POSTROUTING -s 172.18.0.0/16');
    h.apply(dockerEventActions(h.ctx, ev('layer-reload'), docker('20.10.24')));
    h.apply(dockerEventActions(h.ctx, ev('layer-reload'), docker('20.10.24')));
    const lines = (s: string) => s.split('\n').filter((l) => l.startsWith('-A')).sort();
    expect(lines(h.save())).toEqual(lines(started));
  });

  it('≥ 28.1 (from moby source, not checked): DOCKER-FORWARD layout, port ACCEPT above the DROPs, raw PREROUTING guard, no nat RETURN', () => {
    const h = host();
    const actions = dockerEventActions(h.ctx, ev('layer-start'), docker('28.5.2'));
    expect(h.apply(actions)).toEqual([]);
    const save = h.save();
    const br = `br-${dockerNetworkId('n1').slice(0, 12)}`;
    const docker0Drop = save.indexOf('-A DOCKER ! -i docker0 -o docker0 -j DROP');
    expect(save.indexOf(`-A DOCKER -d 172.18.0.2/32 ! -i ${br} -o ${br} -p tcp -m tcp --dport 80 -j ACCEPT`)).toBeLessThan(docker0Drop);
    expect(save).toContain(`-A DOCKER-FORWARD -i ${br} -j ACCEPT`);
    expect(save).toContain(`-A PREROUTING -d 172.18.0.2/32 ! -i ${br} -j DROP`);
    expect(save).not.toContain(`-A DOCKER -i ${br} -j RETURN`);
    expect(save).not.toContain('-s 172.18.0.2/32 -d 172.18.0.2/32');
    expect(ipt(actions).filter((a) => a.provenance.line !== undefined).every((a) => a.provenance.reason?.includes('from moby source, not checked'))).toBe(true);
  });

  it('--internal and enable_icc=false in both bands', () => {
    const text = 'docker network create --internal --subnet 10.1.0.0/24 -o com.docker.network.bridge.name=int0 i\ndocker network create -o com.docker.network.bridge.name=quiet0 -o com.docker.network.bridge.enable_icc=false q';
    const old = host();
    old.apply(dockerEventActions(old.ctx, ev('layer-start'), docker('26.1.5', text)));
    const forward = old.save().split('\n').filter((l) => l.startsWith('-A FORWARD'));
    expect(forward.at(-1)).toBe('-A FORWARD -i quiet0 -o quiet0 -j DROP');
    expect(old.save()).toContain('-A DOCKER-ISOLATION-STAGE-1 ! -s 10.1.0.0/24 -o int0 -j DROP\n-A DOCKER-ISOLATION-STAGE-1 ! -d 10.1.0.0/24 -i int0 -j DROP');
    expect(old.save()).not.toContain('-s 10.1.0.0/24 ! -o int0 -j MASQUERADE');
    const band = host();
    band.apply(dockerEventActions(band.ctx, ev('layer-start'), docker('28.5.2', text)));
    expect(band.save()).toContain('-A DOCKER-INTERNAL ! -s 10.1.0.0/24 -o int0 -j DROP\n-A DOCKER-INTERNAL ! -d 10.1.0.0/24 -i int0 -j DROP');
    expect(band.save()).toContain('-A DOCKER-FORWARD -i quiet0 -o quiet0 -j DROP\n-A DOCKER-FORWARD -i quiet0 -j ACCEPT');
  });

  it('iptables=false adds nothing; the nftables backend says the file is not modelled there', () => {
    const off = host();
    expect(ipt(dockerEventActions(off.ctx, ev('layer-start'), docker('26.1.5', FILE, '{"iptables": false}')))).toEqual([]);
    const nft = host({ ipForward: '1' });
    const notes = dockerEventActions(nft.ctx, ev('layer-start'), docker('29.1.0', FILE, '{"firewall-backend": "nftables"}')).filter((a) => a.kind === 'note');
    expect(notes.some((n) => n.kind === 'note' && n.severity === 'warning' && n.text.includes('not modelled with the nftables backend'))).toBe(true);
  });

  it('problems of the commands file reach the layer check and the timeline, positioned', () => {
    const layer = docker('26.1.5', 'docker network create n1\ndocker run --network n9 -p 8080 nginx');
    expect(layerProblems(layer).map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}`)).toEqual([
      `${DOCKER_COMMANDS_PATH}:2:28: -p 8080: a host port Docker picks at random is not modelled; give HOSTPORT:CONTAINERPORT`,
    ]);
    const h = host();
    const notes = dockerEventActions(h.ctx, ev('layer-start'), docker('26.1.5', 'docker run --network n9 nginx')).filter((a) => a.kind === 'note' && a.severity === 'error');
    expect(notes).toMatchObject([{ text: `${DOCKER_COMMANDS_PATH}:1:1: network n9 not found (create it on an earlier line)` }]);
  });
});
