// "Apply as new variant": a proven fix becomes a copy of the current variant
// with the fix applied as its first edit (so the copy's history shows the fix
// and Undo takes it back there); the original variant stays as it was.

import type { ProvenFix } from '../simulation/verdictView.ts';
import { t } from '../i18n/i18n.svelte.ts';
import type { Workspace } from './workspace.svelte.ts';

export function fixVariantName(base: string, fix: string, taken: readonly string[]): string {
  const stem = `${base} + ${fix}`.slice(0, 180);
  if (!taken.includes(stem)) return stem;
  for (let n = 2; ; n++) if (!taken.includes(`${stem} (${n})`)) return `${stem} (${n})`;
}

export async function applyFixAsVariant(ws: Workspace, fix: ProvenFix): Promise<void> {
  const current = ws.doc;
  if (!current || !ws.project) return;
  await ws.flush();
  const name = fixVariantName(current.name, fix.label, ws.project.variants.map((v) => v.name));
  const copy = await ws.call(() => ws.api.createVariant(name, current.id, null), t('error.createVariant'));
  if (!copy) return;
  const fixed = await ws.call(() => ws.api.applyEdit(copy.id, copy.revision, { label: fix.label, patch: fix.patch.map((op) => ({ ...op })) as never }), t('error.applyFix'));
  await ws.refreshProject();
  ws.setDoc(fixed ?? copy);
  if (fixed) ws.notices.info(t('notice.fixApplied', { name }));
}
