// dockerd on the timeline: `layer-start` (dockerd starts: it reads
// net.ipv4.ip_forward at that moment — the start-order question), `layer-reload`
// (a dockerd restart: chains kept, jumps re-inserted on top), `layer-stop`
// (rules stay). daemon.json from the layer (/etc/docker/daemon.json, optional).

import type { Layer, TimelineEvent } from '../../lab/labModel.ts';
import { layerFile, userChains, type DriverContext } from '../driverContext.ts';
import type { LayerAction } from '../layerActions.ts';
import { dockerStartActions, dockerStopActions } from './dockerActions.ts';
import { DOCKER_DAEMON_JSON_PATH, parseDaemonJson } from './dockerDaemonJson.ts';

export const DOCKER_DEFAULT_VERSION = '28.5.2';

export function dockerEventActions(ctx: DriverContext, event: TimelineEvent, layer: Layer): LayerAction[] {
  const version = layer.version || DOCKER_DEFAULT_VERSION;
  if (event.kind === 'layer-stop') return dockerStopActions(version);
  if (event.kind !== 'layer-start' && event.kind !== 'layer-reload') return [];
  const file = layerFile(layer, DOCKER_DAEMON_JSON_PATH);
  const { config, problems } = parseDaemonJson(file?.text ?? '', file?.path ?? DOCKER_DAEMON_JSON_PATH);
  const errors: LayerAction[] = problems.map((p) => ({ kind: 'note', severity: p.severity, text: `${p.file}:${p.line}:${p.column}: ${p.message}` }));
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
  return [...errors, ...pre, ...dockerStartActions(config, env)];
}
