// dockerd on the timeline: `layer-start` (dockerd starts: it reads
// net.ipv4.ip_forward at that moment — the start-order question — then the
// commands file runs: its networks are created, its containers run),
// `layer-reload` (a dockerd restart: the containers stop and start again,
// chains kept, jumps re-inserted on top, networks restored), `layer-stop`
// (rules stay; containers stop, so their published ports' rules go).
// Files: /etc/docker/daemon.json and the commands file (both optional).

import type { Layer, TimelineEvent } from '../../lab/labModel.ts';
import { formatIptRule } from '../../netfilter/iptables/printIptablesSave.ts';
import { hostIptables, userChains, type DriverContext } from '../driverContext.ts';
import type { ConfigProblem, LayerAction } from '../layerActions.ts';
import { dockerStartActions, dockerStopActions, type DockerWorkload } from './dockerActions.ts';
import { DOCKER_COMMANDS_PATH, parseDockerCommands } from './dockerCommandsFile.ts';
import { DOCKER_DAEMON_JSON_PATH, parseDaemonJson, type DockerDaemonConfig } from './dockerDaemonJson.ts';
import { planDockerNetworks } from './dockerNetworkPlan.ts';

export const DOCKER_DEFAULT_VERSION = '28.5.2';

/** The daemon.json of the layer: the file at its path, else a lone *.json file. */
function daemonJsonFile(layer: Layer): { path: string; text: string } | null {
  if (layer.files[DOCKER_DAEMON_JSON_PATH] !== undefined) return { path: DOCKER_DAEMON_JSON_PATH, text: layer.files[DOCKER_DAEMON_JSON_PATH] };
  const json = Object.keys(layer.files).filter((p) => p.endsWith('.json'));
  return json.length === 1 ? { path: json[0], text: layer.files[json[0]] } : null;
}

export function dockerLayerConfig(layer: Layer): { config: DockerDaemonConfig; problems: ConfigProblem[] } {
  const file = daemonJsonFile(layer);
  return parseDaemonJson(file?.text ?? '', file?.path ?? DOCKER_DAEMON_JSON_PATH);
}

/** The commands file's networks and containers (problems positioned in the file). */
export function dockerLayerWorkload(layer: Layer, config: DockerDaemonConfig, exists: DockerWorkload['exists'] = () => false): { workload?: DockerWorkload; problems: ConfigProblem[] } {
  const text = layer.files[DOCKER_COMMANDS_PATH];
  if (text === undefined) return { problems: [] };
  const parsed = parseDockerCommands(text, DOCKER_COMMANDS_PATH);
  const plan = planDockerNetworks(parsed.commands, config.subnet, DOCKER_COMMANDS_PATH);
  return { workload: { plan, file: DOCKER_COMMANDS_PATH, exists }, problems: [...parsed.problems, ...plan.problems] };
}

export function dockerEventActions(ctx: DriverContext, event: TimelineEvent, layer: Layer): LayerAction[] {
  const version = layer.version || DOCKER_DEFAULT_VERSION;
  if (event.kind !== 'layer-start' && event.kind !== 'layer-reload' && event.kind !== 'layer-stop') return [];
  const { config, problems } = dockerLayerConfig(layer);
  const exists = (table: string, chain: string, spec: string): boolean => {
    const rules = hostIptables(ctx, 'ipv4').tables.find((t) => t.name === table)?.chains.find((c) => c.name === chain)?.rules ?? [];
    return rules.some((r) => formatIptRule(chain, r) === `-A ${chain} ${spec}`);
  };
  const work = dockerLayerWorkload(layer, config, exists);
  const errors: LayerAction[] = [...problems, ...work.problems].map((p) => ({ kind: 'note', severity: p.severity, text: `${p.file}:${p.line}:${p.column}: ${p.message}` }));
  if (event.kind === 'layer-stop') return [...errors, ...dockerStopActions(version, config, work.workload)];
  const on = (key: string, fallback: boolean) => {
    const v = ctx.sysctl(key);
    return v === undefined ? fallback : v.trim() === '1';
  };
  const env = {
    version,
    ipForward: on('net.ipv4.ip_forward', ctx.lab.host.sysctls.ipForward),
    ipv6Forwarding: on('net.ipv6.conf.all.forwarding', ctx.lab.host.sysctls.ipv6Forwarding),
    chains: {
      ipv4: { filter: userChains(ctx, 'ipv4', 'filter'), nat: userChains(ctx, 'ipv4', 'nat') },
      ipv6: { filter: userChains(ctx, 'ipv6', 'filter'), nat: userChains(ctx, 'ipv6', 'nat') },
    },
    nftTablesPresent: ctx.state.nft.tables.some((t) => t.name === 'docker-bridges'),
  };
  const pre: LayerAction[] = layer.version ? [] : [{ kind: 'note', severity: 'info', text: `Docker version not set; assuming ${DOCKER_DEFAULT_VERSION}` }];
  // A restart stops the containers first: their port rules go, and come back when they run again.
  const stopped = event.kind === 'layer-reload' && work.workload ? dockerStopActions(version, config, work.workload).filter((a) => a.kind !== 'note') : [];
  return [...errors, ...pre, ...stopped, ...dockerStartActions(config, env, work.workload)];
}
