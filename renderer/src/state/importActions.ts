// Imports into the current variant: a libvirt network XML file becomes a new
// network (kept exactly as written; the editor then shows what libvirt would
// say about it), a firewall dump becomes a raw-ruleset layer started at boot.
// Each import is one edit, so Undo takes it back. A host snapshot folder
// becomes a variant of its own.

import { formatJsonPointer } from '../../../shared/lab/jsonPatch.ts';
import { labIdSource } from '../../../shared/lab/labIds.ts';
import type { Lab, Layer, TimelineEvent } from '../../../shared/lab/labModel.ts';
import { snapshotToLab } from '../../../shared/snapshot/snapshotLab.ts';
import { parseNetworkXml } from '../../../shared/libvirt/parseNetworkXml.ts';
import { t } from '../i18n/i18n.svelte.ts';
import type { Workspace } from './workspace.svelte.ts';

function fileName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

export async function importNetworkXml(ws: Workspace): Promise<void> {
  const lab = ws.lab;
  if (!lab) return;
  await ws.flush();
  const path = await ws.call(() => ws.api.showOpenDialog({ purpose: 'import-network-xml' }));
  if (!path) return;
  const file = await ws.call(() => ws.api.readTextFile(path), t('error.import'));
  if (!file) return;
  const parsed = parseNetworkXml(file.text);
  const id = labIdSource(lab)('net');
  const name = parsed.network?.name || fileName(path);
  const ok = await ws.edit(t('edit.importNetwork', { name, file: fileName(path) }), [{ op: 'add', path: '/networks/-', value: { id, xml: file.text, autostart: true } }]);
  if (!ok) return;
  ws.selectedNetworkId = id;
  ws.view = 'network';
  ws.notices.info(t('notice.imported', { file: fileName(path) }));
}

export async function importRuleset(ws: Workspace): Promise<void> {
  const lab = ws.lab;
  if (!lab) return;
  await ws.flush();
  const path = await ws.call(() => ws.api.showOpenDialog({ purpose: 'import-ruleset' }));
  if (!path) return;
  const file = await ws.call(() => ws.api.readTextFile(path), t('error.import'));
  if (!file) return;
  const ids = labIdSource(lab);
  const layer: Layer = { id: ids('layer'), kind: 'raw-ruleset', label: t('layer.importedLabel', { file: fileName(path) }), files: { [fileName(path)]: file.text }, settings: {} };
  const event: TimelineEvent = { id: ids('event'), kind: 'layer-start', layerId: layer.id, phase: 'boot', label: t('layer.importedEvent', { file: fileName(path) }) };
  // The event goes after the last boot event: the dump is the state "as found" after booting.
  const lastBoot = lab.events.reduce((at, e, i) => (e.phase === 'boot' ? i : at), -1);
  const ok = await ws.edit(t('edit.importRuleset', { file: fileName(path) }), [
    { op: 'add', path: '/layers/-', value: layer },
    { op: 'add', path: formatJsonPointer(['events', lastBoot + 1]), value: event },
  ]);
  if (!ok) return;
  ws.selectedLayerId = layer.id;
  ws.view = 'layers';
}

/**
 * A folder written by `virtwall collect` becomes a new variant "as found": its
 * effective rules are the dumps themselves (shared/snapshot/snapshotLab.ts).
 */
export async function importSnapshot(ws: Workspace): Promise<void> {
  if (!ws.project) return;
  await ws.flush();
  const path = await ws.call(() => ws.api.showOpenDialog({ purpose: 'import-snapshot' }));
  if (!path) return;
  const folder = await ws.call(() => ws.api.readSnapshotFolder(path), t('error.import'));
  if (!folder) return;
  let lab: Lab;
  try {
    lab = snapshotToLab(folder.files);
  } catch (err) {
    ws.notices.error(t('import.snapshotFailed', { folder: fileName(path), reason: (err as Error).message }));
    return;
  }
  const taken = ws.project.variants.map((v) => v.name);
  const stem = t('import.snapshotVariant', { folder: fileName(path) });
  let name = stem;
  for (let n = 2; taken.includes(name); n++) name = `${stem} (${n})`;
  const doc = await ws.call(() => ws.api.createVariant(name, null, lab), t('error.import'));
  if (!doc) return;
  await ws.refreshProject();
  ws.setDoc(doc);
  ws.view = 'topology';
  ws.notices.info(t('notice.imported', { file: fileName(path) }));
}
