import { describe, expect, it } from 'vitest';
import type { Layer } from '../lab/labModel.ts';
import { DOCKER_COMMANDS_PATH } from './docker/dockerCommandsFile.ts';
import { DOCKER_DAEMON_JSON_PATH } from './docker/dockerDaemonJson.ts';
import { offeredLayerFiles } from './offeredLayerFiles.ts';
import { layerProblems } from './layerProblems.ts';

const layer = (kind: Layer['kind'], files: Record<string, string>): Layer => ({ id: 'l', kind, label: kind, files, settings: {} });

describe('files a layer panel offers', () => {
  it('Docker: the commands file (with a template that checks clean) when the layer has only daemon.json', () => {
    const offered = offeredLayerFiles(layer('docker', { [DOCKER_DAEMON_JSON_PATH]: '{}\n' }));
    expect(offered.map((f) => f.path)).toEqual([DOCKER_COMMANDS_PATH]);
    expect(offered[0].template).toContain('docker network create');
    expect(layerProblems(layer('docker', { [DOCKER_COMMANDS_PATH]: offered[0].template }))).toEqual([]);
  });
  it('nothing once both files exist, nothing for kinds without optional files', () => {
    expect(offeredLayerFiles(layer('docker', { [DOCKER_DAEMON_JSON_PATH]: '{}', [DOCKER_COMMANDS_PATH]: '' }))).toEqual([]);
    expect(offeredLayerFiles(layer('ufw', {}))).toEqual([]);
  });
});
