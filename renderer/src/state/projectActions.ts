// File and variant actions behind the File menu, the toolbar and the sidebar:
// each asks what it needs (dialog, name), calls the API and shows the result.
// Failures become notices that say what went wrong (from the services) and the
// current project stays open.

import { t } from '../i18n/i18n.svelte.ts';
import type { Workspace } from './workspace.svelte.ts';

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

function variantNameCheck(ws: Workspace, except?: string) {
  return (value: string): string | null => {
    const name = value.trim();
    if (!name) return t('variant.nameEmpty');
    if (ws.project?.variants.some((v) => v.name === name && v.id !== except)) return t('variant.nameTaken', { name });
    return null;
  };
}

export async function newProject(ws: Workspace): Promise<void> {
  await ws.flush();
  const path = await ws.call(() => ws.api.showSaveDialog({ purpose: 'save-project', defaultPath: 'lab.virtwall' }));
  if (!path) return;
  const name = baseName(path).replace(/\.virtwall$/i, '') || 'lab';
  const info = await ws.call(() => ws.api.newProject(path, name), t('error.newProject'));
  if (info) await ws.show(info);
}

export async function openProjectDialog(ws: Workspace): Promise<void> {
  await ws.flush();
  const path = await ws.call(() => ws.api.showOpenDialog({ purpose: 'open-project' }));
  if (path) await openProjectPath(ws, path);
}

export async function openProjectPath(ws: Workspace, path: string): Promise<void> {
  await ws.flush();
  const info = await ws.call(() => ws.api.openProject(path), t('error.openProject'));
  if (info) await ws.show(info);
  else await ws.refreshProject();
}

export async function openSample(ws: Workspace): Promise<void> {
  await ws.flush();
  const info = await ws.call(() => ws.api.openSampleProject());
  if (info) await ws.show(info);
}

export async function saveProjectAs(ws: Workspace): Promise<void> {
  if (!ws.project) return;
  await ws.flush();
  const path = await ws.call(() => ws.api.showSaveDialog({ purpose: 'save-project', defaultPath: baseName(ws.project!.path) }));
  if (!path) return;
  const info = await ws.call(() => ws.api.saveProjectAs(path), t('error.saveAs'));
  if (info) {
    await ws.show(info, ws.doc?.id);
    ws.notices.info(t('notice.savedAs', { path: info.path }));
  }
}

/** A new variant: empty (the default lab) or a copy of the current one. */
export async function createVariant(ws: Workspace, mode: 'empty' | 'duplicate'): Promise<void> {
  const current = ws.doc;
  await ws.flush();
  const initial = mode === 'duplicate' && current ? t('variant.copyOf', { name: current.name }) : t('variant.newName');
  const name = await ws.prompts.ask({
    title: mode === 'duplicate' ? t('variant.duplicateTitle') : t('variant.newTitle'),
    label: t('variant.nameLabel'),
    initial,
    confirmLabel: t('action.create'),
    check: variantNameCheck(ws),
  });
  if (name === null) return;
  const doc = await ws.call(() => ws.api.createVariant(name.trim(), mode === 'duplicate' && current ? current.id : null, null), t('error.createVariant'));
  if (!doc) return;
  await ws.refreshProject();
  ws.setDoc(doc);
}

export async function renameVariant(ws: Workspace, variantId: string): Promise<void> {
  const v = ws.project?.variants.find((x) => x.id === variantId);
  if (!v) return;
  const name = await ws.prompts.ask({ title: t('variant.renameTitle'), label: t('variant.nameLabel'), initial: v.name, confirmLabel: t('action.rename'), check: variantNameCheck(ws, variantId) });
  if (name === null || name.trim() === v.name) return;
  const info = await ws.call(() => ws.api.renameVariant(variantId, name.trim()), t('error.renameVariant'));
  if (info) {
    ws.project = info;
    if (ws.doc?.id === variantId) await ws.reloadVariant();
  }
}

export async function deleteVariant(ws: Workspace, variantId: string): Promise<void> {
  const v = ws.project?.variants.find((x) => x.id === variantId);
  if (!v) return;
  if (ws.project!.variants.length <= 1) {
    ws.notices.error(t('variant.lastOne', { name: v.name }));
    return;
  }
  const ok = await ws.prompts.ask({ title: t('variant.deleteTitle'), message: t('variant.deleteMessage', { name: v.name }), confirmLabel: t('action.delete'), danger: true });
  if (ok === null) return;
  await ws.flush();
  const info = await ws.call(() => ws.api.deleteVariant(variantId), t('error.deleteVariant'));
  if (!info) return;
  ws.project = info;
  if (ws.doc?.id === variantId) await ws.show(info);
}
