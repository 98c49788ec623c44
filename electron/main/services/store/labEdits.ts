// The bodies of the three history-writing operations. Each runs inside the
// store's write transaction: read the variant, check, patch, append one history
// row, store the new lab with the next revision. Any error before the commit
// rolls everything back (nothing of a refused edit reaches the file).

import type { LabEdit } from '../../../../shared/api/contract.ts';
import type { JsonPatchOp } from '../../../../shared/lab/jsonPatch.ts';
import type { Lab } from '../../../../shared/lab/labModel.ts';
import { EditHistory } from './editHistory.ts';
import type { SqliteDatabase } from './sqliteDriver.ts';
import { StoreError } from './storeError.ts';
import { readVariant } from './variantRecords.ts';

export function applyLabEdit(db: SqliteDatabase, variantId: string, baseRevision: number, edit: LabEdit, at: string): void {
  const row = readVariant(db, variantId);
  if (row.revision !== baseRevision) {
    throw new StoreError(
      'stale-revision',
      `variant ${JSON.stringify(row.name)} is at revision ${row.revision}, but the edit "${edit.label}" was made on revision ${baseRevision}; reload the variant and apply it again`,
    );
  }
  const history = new EditHistory(db);
  const head = history.head(variantId, row.revision);
  const result = EditHistory.patchLab(JSON.parse(row.lab) as Lab, edit.patch, `edit "${edit.label}"`);
  const revision = row.revision + 1;
  history.append({ variantId, revision, kind: 'edit', editSeq: null, label: edit.label, patch: edit.patch, inverse: result.inverse, state: (seq) => EditHistory.afterEdit(seq, head), at });
  storeLab(db, variantId, result.lab, revision, at);
}

/** Undo applies the inverse of the edit on top of the undo stack; redo re-applies the patch on top of the redo stack. */
export function stepLabHistory(db: SqliteDatabase, variantId: string, kind: 'undo' | 'redo', at: string): void {
  const row = readVariant(db, variantId);
  const history = new EditHistory(db);
  const head = history.head(variantId, row.revision);
  const target = history.row(kind === 'undo' ? (head?.undo_top ?? null) : (head?.redo_top ?? null));
  if (!head || !target) throw new StoreError(kind === 'undo' ? 'nothing-to-undo' : 'nothing-to-redo', `variant ${JSON.stringify(row.name)} has nothing to ${kind}`);
  const patch = JSON.parse(kind === 'undo' ? target.inverse : target.patch) as JsonPatchOp[];
  const result = EditHistory.patchLab(JSON.parse(row.lab) as Lab, patch, `${kind} of "${target.label}"`);
  const revision = row.revision + 1;
  const state = kind === 'undo' ? history.afterUndo(head) : history.afterRedo(head);
  history.append({ variantId, revision, kind, editSeq: target.seq, label: target.label, patch, inverse: result.inverse, state, at });
  storeLab(db, variantId, result.lab, revision, at);
}

function storeLab(db: SqliteDatabase, variantId: string, lab: Lab, revision: number, at: string): void {
  db.prepare('UPDATE variant SET lab = ?, revision = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(lab), revision, at, variantId);
}
