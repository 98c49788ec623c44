// Reading and writing variant rows, and turning one into the VariantDoc the
// renderer sees (lab, revision, what undo/redo would do).

import type { ProjectInfo, VariantDoc, VariantSummary } from '../../../../shared/api/contract.ts';
import type { Lab } from '../../../../shared/lab/labModel.ts';
import { EditHistory } from './editHistory.ts';
import type { SqliteDatabase } from './sqliteDriver.ts';
import { StoreError } from './storeError.ts';

export interface VariantRow {
  id: string;
  name: string;
  position: number;
  lab: string;
  revision: number;
  created_at: string;
  updated_at: string;
}

export interface ProjectRow {
  name: string;
  created_at: string;
  created_by: string;
  written_by: string;
}

export function readVariant(db: SqliteDatabase, variantId: string): VariantRow {
  const row = db.prepare('SELECT * FROM variant WHERE id = ?').get(variantId) as VariantRow | undefined;
  if (!row) throw new StoreError('unknown-variant', `there is no variant with id ${JSON.stringify(variantId)} in this project`);
  return row;
}

export function variantDoc(db: SqliteDatabase, row: VariantRow): VariantDoc {
  const history = new EditHistory(db);
  const state = history.stateAt(row.id, row.revision);
  const doc: VariantDoc = {
    id: row.id,
    name: row.name,
    lab: JSON.parse(row.lab) as Lab,
    revision: row.revision,
    canUndo: state.undoTop !== null,
    canRedo: state.redoTop !== null,
  };
  const undoLabel = history.labelOf(state.undoTop);
  const redoLabel = history.labelOf(state.redoTop);
  if (undoLabel !== undefined) doc.undoLabel = undoLabel;
  if (redoLabel !== undefined) doc.redoLabel = redoLabel;
  return doc;
}

export function listVariants(db: SqliteDatabase): VariantSummary[] {
  const rows = db.prepare('SELECT id, name, position, updated_at FROM variant ORDER BY position, rowid').all() as Pick<VariantRow, 'id' | 'name' | 'position' | 'updated_at'>[];
  return rows.map((r) => ({ id: r.id, name: r.name, position: r.position, updatedAt: r.updated_at }));
}

export function projectInfo(db: SqliteDatabase, path: string): ProjectInfo {
  const project = db.prepare('SELECT * FROM project WHERE id = 1').get() as ProjectRow | undefined;
  if (!project) throw new StoreError('no-project', `${path}: the project row is missing`);
  return {
    path,
    name: project.name,
    createdAt: project.created_at,
    schemaVersion: db.pragma('user_version', { simple: true }) as number,
    appVersion: project.written_by,
    variants: listVariants(db),
  };
}

/** Trimmed, non-empty, printable, and not used by another variant. */
export function checkVariantName(db: SqliteDatabase, name: unknown, exceptId?: string): string {
  if (typeof name !== 'string') throw new StoreError('invalid-name', 'a variant name must be a string');
  const trimmed = name.trim();
  if (trimmed.length === 0) throw new StoreError('invalid-name', 'a variant name must not be empty');
  if (trimmed.length > 200) throw new StoreError('invalid-name', `the variant name is too long (${trimmed.length} characters, at most 200)`);
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) throw new StoreError('invalid-name', `the variant name ${JSON.stringify(trimmed)} contains a control character`);
  const other = db.prepare('SELECT id FROM variant WHERE name = ?').get(trimmed) as { id: string } | undefined;
  if (other && other.id !== exceptId) throw new StoreError('duplicate-name', `a variant named ${JSON.stringify(trimmed)} already exists`);
  return trimmed;
}

export function insertVariant(db: SqliteDatabase, variant: { id: string; name: string; lab: Lab; at: string }): void {
  const next = db.prepare('SELECT COALESCE(MAX(position), -1) + 1 AS p FROM variant').get() as { p: number };
  db.prepare('INSERT INTO variant (id, name, position, lab, revision, created_at, updated_at) VALUES (?, ?, ?, ?, 0, ?, ?)').run(
    variant.id,
    variant.name,
    next.p,
    JSON.stringify(variant.lab),
    variant.at,
    variant.at,
  );
}
