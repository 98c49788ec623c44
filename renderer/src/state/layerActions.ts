// Adding, removing and editing firewall layers. A new layer starts with the
// files its tool ships (ufw's /etc/default/ufw, an empty daemon.json and
// Docker's commands file template, a skeleton script) and a start event at boot; files and fields are edited in
// place, each change one labelled edit.

import { formatJsonPointer } from '../../../shared/lab/jsonPatch.ts';
import { labIdSource } from '../../../shared/lab/labIds.ts';
import type { JsonPatchOp } from '../../../shared/api/contract.ts';
import type { Layer, LayerKind, TimelineEvent } from '../../../shared/lab/labModel.ts';
import { SHIPPED_UFW_DEFAULTS } from '../../../shared/layers/ufw/ufwShippedFiles.ts';
import { UFW_DEFAULTS_PATH } from '../../../shared/layers/ufw/ufwShippedFiles.ts';
import { DOCKER_DAEMON_JSON_PATH } from '../../../shared/layers/docker/dockerDaemonJson.ts';
import { DOCKER_COMMANDS_PATH, DOCKER_COMMANDS_TEMPLATE } from '../../../shared/layers/docker/dockerCommandsFile.ts';
import { SFW2_SYSCONFIG_PATH } from '../../../shared/layers/susefirewall2/sfw2Config.ts';
import { t, type MessageKey } from '../i18n/i18n.svelte.ts';
import type { Workspace } from './workspace.svelte.ts';

export const LAYER_KINDS: readonly LayerKind[] = ['susefirewall2', 'firewalld', 'ufw', 'docker', 'own-script', 'raw-ruleset'];

function starterFiles(kind: LayerKind): { files: Record<string, string>; settings: Layer['settings'] } {
  switch (kind) {
    case 'ufw':
      return { files: { [UFW_DEFAULTS_PATH]: SHIPPED_UFW_DEFAULTS }, settings: {} };
    case 'docker':
      return { files: { [DOCKER_DAEMON_JSON_PATH]: '{}\n', [DOCKER_COMMANDS_PATH]: DOCKER_COMMANDS_TEMPLATE }, settings: {} };
    case 'susefirewall2':
      return { files: { [SFW2_SYSCONFIG_PATH]: 'FW_DEV_EXT="any"\nFW_ROUTE="no"\nFW_FORWARD=""\n' }, settings: {} };
    case 'own-script':
      return { files: { '/usr/local/sbin/fw.sh': '#!/bin/sh\n# Rules loaded after libvirtd (e.g. by a systemd unit).\n' }, settings: { format: 'sh' } };
    case 'firewalld':
      return { files: {}, settings: {} };
    case 'raw-ruleset':
      return { files: { 'iptables-save.txt': '' }, settings: {} };
  }
}

export async function addLayer(ws: Workspace, kind: LayerKind): Promise<void> {
  const lab = ws.lab;
  if (!lab) return;
  const ids = labIdSource(lab);
  const label = t(`layerKind.${kind}` as MessageKey);
  const layer: Layer = { id: ids('layer'), kind, label, ...starterFiles(kind) };
  const event: TimelineEvent = { id: ids('event'), kind: 'layer-start', layerId: layer.id, phase: 'boot', label: `boot: ${label}` };
  const lastBoot = lab.events.reduce((at, e, i) => (e.phase === 'boot' ? i : at), -1);
  const ok = await ws.edit(t('edit.addLayer', { name: label }), [
    { op: 'add', path: '/layers/-', value: layer },
    { op: 'add', path: formatJsonPointer(['events', lastBoot + 1]), value: event },
  ]);
  if (ok) ws.selectedLayerId = layer.id;
}

export async function removeLayer(ws: Workspace, layerId: string): Promise<void> {
  const lab = ws.lab;
  const index = lab?.layers.findIndex((l) => l.id === layerId) ?? -1;
  if (!lab || index < 0) return;
  const layer = lab.layers[index];
  const ok = await ws.prompts.ask({ title: t('layer.removeTitle'), message: t('layer.removeMessage', { name: layer.label }), confirmLabel: t('action.delete'), danger: true });
  if (ok === null) return;
  const patch: JsonPatchOp[] = [];
  lab.events.forEach((e, i) => e.layerId === layerId && patch.unshift({ op: 'remove', path: `/events/${i}` }));
  patch.push({ op: 'remove', path: `/layers/${index}` });
  await ws.edit(t('edit.removeLayer', { name: layer.label }), patch);
}

/** Replaces one config file's text (the pointer escapes the '/' of the path). */
export function editLayerFile(ws: Workspace, layerId: string, file: string, text: string): Promise<boolean> {
  const index = ws.lab?.layers.findIndex((l) => l.id === layerId) ?? -1;
  if (index < 0) return Promise.resolve(false);
  const layer = ws.lab!.layers[index];
  const op = layer.files[file] === undefined ? 'add' : 'replace';
  return ws.edit(t('edit.layerFile', { file, name: layer.label }), [{ op, path: formatJsonPointer(['layers', index, 'files', file]), value: text }]);
}

export function editLayerField(ws: Workspace, layerId: string, field: 'label' | 'version', value: string): Promise<boolean> {
  const index = ws.lab?.layers.findIndex((l) => l.id === layerId) ?? -1;
  if (index < 0) return Promise.resolve(false);
  const layer = ws.lab!.layers[index];
  const path = formatJsonPointer(['layers', index, field]);
  const v = value.trim();
  if (field === 'version' && v === '') return layer.version === undefined ? Promise.resolve(false) : ws.edit(t('edit.layerField', { field, name: layer.label, value: '—' }), [{ op: 'remove', path }]);
  return ws.edit(t('edit.layerField', { field, name: layer.label, value: v }), [{ op: layer[field] === undefined ? 'add' : 'replace', path, value: v }]);
}
