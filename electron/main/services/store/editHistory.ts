// Edits, undo and redo of one variant, each in its own write transaction that
// (1) appends a history row with the patch applied and its inverse, and
// (2) stores the resulting lab and the next revision on the variant row.
// When the transaction commits the edit is on disk (WAL); the caller gets the
// new VariantDoc only after that.
//
// Undo/redo stacks are persistent linked stacks stored in the rows (schema in
// migrations/0001-initial.ts). With S(r) = the stacks after row r, S(none) empty:
//   edit E at head P:  undo = push(E, undo(P)),     redo = empty
//   undo   at head P:  X = top(undo(P)); undo = rest(undo(P)), redo = push(X, redo(P))
//   redo   at head P:  X = top(redo(P)); redo = rest(redo(P)), undo = push(X, undo(P))
// where push(X, stack of row P) is stored as (top X, rest P) and popping copies
// the (top, rest) pair of the row named by `rest`.

import { applyPatch, JsonPatchError, type JsonPatchOp } from '../../../../shared/lab/jsonPatch.ts';
import type { Lab } from '../../../../shared/lab/labModel.ts';
import { labShapeProblem } from './labShape.ts';
import type { SqliteDatabase } from './sqliteDriver.ts';
import { StoreError } from './storeError.ts';

export interface HistoryRow {
  seq: number;
  variant_id: string;
  revision: number;
  kind: 'edit' | 'undo' | 'redo';
  edit_seq: number | null;
  label: string;
  patch: string;
  inverse: string;
  undo_top: number | null;
  undo_rest: number | null;
  redo_top: number | null;
  redo_rest: number | null;
  created_at: string;
}

export interface StackState {
  undoTop: number | null;
  undoRest: number | null;
  redoTop: number | null;
  redoRest: number | null;
}

const EMPTY: StackState = { undoTop: null, undoRest: null, redoTop: null, redoRest: null };

function stateOf(row: HistoryRow | undefined): StackState {
  return row ? { undoTop: row.undo_top, undoRest: row.undo_rest, redoTop: row.redo_top, redoRest: row.redo_rest } : EMPTY;
}

export class EditHistory {
  constructor(private readonly db: SqliteDatabase) {}

  row(seq: number | null): HistoryRow | undefined {
    if (seq === null) return undefined;
    return this.db.prepare('SELECT * FROM history WHERE seq = ?').get(seq) as HistoryRow | undefined;
  }

  /** The head row of a variant at its current revision (none at revision 0). */
  head(variantId: string, revision: number): HistoryRow | undefined {
    return this.db.prepare('SELECT * FROM history WHERE variant_id = ? AND revision = ?').get(variantId, revision) as HistoryRow | undefined;
  }

  stateAt(variantId: string, revision: number): StackState {
    return stateOf(this.head(variantId, revision));
  }

  labelOf(seq: number | null): string | undefined {
    return this.row(seq)?.label;
  }

  /** Applies `patch` to `lab` or throws a StoreError naming what is wrong. Nothing is written. */
  static patchLab(lab: Lab, patch: JsonPatchOp[], what: string): { lab: Lab; inverse: JsonPatchOp[] } {
    let result: { doc: Lab; inverse: JsonPatchOp[] };
    try {
      result = applyPatch(lab, patch);
    } catch (err) {
      if (err instanceof JsonPatchError) throw new StoreError('invalid-edit', `${what}: ${err.message}`);
      throw err;
    }
    const problem = labShapeProblem(result.doc);
    if (problem) throw new StoreError('invalid-edit', `${what} would make the lab invalid: ${problem}`);
    return { lab: result.doc, inverse: result.inverse };
  }

  /** Stack state after a new edit on top of head `head`. */
  static afterEdit(editSeq: number, head: HistoryRow | undefined): StackState {
    return { undoTop: editSeq, undoRest: head?.seq ?? null, redoTop: null, redoRest: null };
  }

  afterUndo(head: HistoryRow): StackState {
    const rest = stateOf(this.row(head.undo_rest));
    return { undoTop: rest.undoTop, undoRest: rest.undoRest, redoTop: head.undo_top, redoRest: head.seq };
  }

  afterRedo(head: HistoryRow): StackState {
    const rest = stateOf(this.row(head.redo_rest));
    return { undoTop: head.redo_top, undoRest: head.seq, redoTop: rest.redoTop, redoRest: rest.redoRest };
  }

  append(entry: {
    variantId: string;
    revision: number;
    kind: HistoryRow['kind'];
    editSeq: number | null;
    label: string;
    patch: JsonPatchOp[];
    inverse: JsonPatchOp[];
    state: StackState | ((seq: number) => StackState);
    at: string;
  }): number {
    const info = this.db
      .prepare(
        `INSERT INTO history (variant_id, revision, kind, edit_seq, label, patch, inverse, undo_top, undo_rest, redo_top, redo_rest, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL, NULL, ?)`,
      )
      .run(entry.variantId, entry.revision, entry.kind, entry.editSeq, entry.label, JSON.stringify(entry.patch), JSON.stringify(entry.inverse), entry.at);
    const seq = Number(info.lastInsertRowid);
    // An edit is the top of its own undo stack, so its state names its own seq.
    const s = typeof entry.state === 'function' ? entry.state(seq) : entry.state;
    this.db.prepare('UPDATE history SET undo_top = ?, undo_rest = ?, redo_top = ?, redo_rest = ? WHERE seq = ?').run(s.undoTop, s.undoRest, s.redoTop, s.redoRest, seq);
    return seq;
  }
}
