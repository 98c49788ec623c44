// Config files a layer kind reads that the layer does not have yet, with the
// text a new one starts from — the layer panel offers them next to the
// existing files (Docker: daemon.json and the commands file for networks and
// published ports).

import type { Layer } from '../lab/labModel.ts';
import { DOCKER_COMMANDS_PATH, DOCKER_COMMANDS_TEMPLATE } from './docker/dockerCommandsFile.ts';
import { DOCKER_DAEMON_JSON_PATH } from './docker/dockerDaemonJson.ts';

export interface OfferedLayerFile {
  path: string;
  template: string;
}

const OFFERED: Partial<Record<Layer['kind'], OfferedLayerFile[]>> = {
  docker: [
    { path: DOCKER_DAEMON_JSON_PATH, template: '{}\n' },
    { path: DOCKER_COMMANDS_PATH, template: DOCKER_COMMANDS_TEMPLATE },
  ],
};

export function offeredLayerFiles(layer: Layer): OfferedLayerFile[] {
  return (OFFERED[layer.kind] ?? []).filter((f) => layer.files[f.path] === undefined);
}
