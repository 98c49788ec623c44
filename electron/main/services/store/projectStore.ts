// The project store behind the AppApi project/variant/edit methods: one open
// `NAME.virtwall` file at a time (a SQLite database, see projectFileFormat.ts
// and migrations/). Every change is its own write transaction and is on disk
// when the method returns. Methods are synchronous (better-sqlite3 is); the IPC
// layer wraps them in promises.

import { randomUUID } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import type { LabEdit, ProjectInfo, VariantDoc } from '../../../../shared/api/contract.ts';
import { validateApiArguments } from '../../../../shared/api/validators.ts';
import { cloneJson } from '../../../../shared/json/cloneJson.ts';
import { defaultLab } from '../../../../shared/lab/defaultLab.ts';
import { sequentialIds } from '../../../../shared/lab/labIds.ts';
import type { Lab } from '../../../../shared/lab/labModel.ts';
import { applyLabEdit, stepLabHistory } from './labEdits.ts';
import { labShapeProblem } from './labShape.ts';
import { LATEST_SCHEMA_VERSION } from './migrations/migrationList.ts';
import { runMigrations } from './migrations/runMigrations.ts';
import { checkProjectFile, ProjectFileError } from './projectFileCheck.ts';
import { configureConnection, PROJECT_APPLICATION_ID } from './projectFileFormat.ts';
import { writeNewProjectFile, writeProjectCopy, type WriteHooks } from './projectFileWrite.ts';
import { openReadOnly } from './readOnlyConnection.ts';
import type { SqliteDatabase, SqliteDriver } from './sqliteDriver.ts';
import { StoreError } from './storeError.ts';
import { checkVariantName, insertVariant, projectInfo, readVariant, variantDoc } from './variantRecords.ts';

export interface ProjectStoreOptions {
  driver: SqliteDriver;
  /** Recorded as created_by / written_by in the file. */
  appVersion: string;
  now?: () => Date;
  /** Variant ids; default random UUIDs. */
  newId?: () => string;
}

export interface CreateProjectOptions {
  /** Initial variants; default one variant "Variant 1" with the default lab. */
  variants?: { name: string; lab: Lab }[];
  /** Replace an existing file at the path (atomically); default: refuse. */
  overwrite?: boolean;
  hooks?: WriteHooks;
}

export const FIRST_VARIANT_NAME = 'Variant 1';

export class ProjectStore {
  private db: SqliteDatabase | null = null;
  private closeDb: (() => void) | null = null;
  private path: string | null = null;
  private readOnly = false;
  private stampPending = false;
  private readonly now: () => Date;
  private readonly newId: () => string;

  constructor(private readonly options: ProjectStoreOptions) {
    this.now = options.now ?? (() => new Date());
    this.newId = options.newId ?? randomUUID;
  }

  get isOpen(): boolean {
    return this.db !== null;
  }

  get openPath(): string | null {
    return this.path;
  }

  create(path: string, name: string, options: CreateProjectOptions = {}): ProjectInfo {
    const target = resolve(path);
    const projectName = name.trim();
    if (!projectName) throw new StoreError('invalid-name', 'a project name must not be empty');
    const variants = options.variants ?? [{ name: FIRST_VARIANT_NAME, lab: defaultLab(sequentialIds()) }];
    if (variants.length === 0) throw new StoreError('invalid-lab', 'a project needs at least one variant');
    const at = this.timestamp();
    this.close();
    writeNewProjectFile(
      target,
      this.options.driver,
      (db) => {
        db.pragma('foreign_keys = ON');
        db.transaction(() => {
          db.pragma(`application_id = ${PROJECT_APPLICATION_ID}`);
          runMigrations(db);
          db.prepare('INSERT INTO project (id, name, created_at, created_by, written_by) VALUES (1, ?, ?, ?, ?)').run(projectName, at, this.options.appVersion, this.options.appVersion);
          for (const v of variants) {
            insertVariant(db, { id: this.newId(), name: checkVariantName(db, v.name), lab: this.checkedLab(v.lab, `variant ${JSON.stringify(v.name)}`), at });
          }
        }).immediate();
      },
      { overwrite: options.overwrite ?? false, hooks: options.hooks },
    );
    return this.open(target);
  }

  /** Opens a project; `readOnly` never writes (no WAL switch, no migration) — for `virtwall project info`. */
  open(path: string, { readOnly = false }: { readOnly?: boolean } = {}): ProjectInfo {
    const target = resolve(path);
    this.close();
    const facts = checkProjectFile(target, this.options.driver);
    if (readOnly && facts.schemaVersion < LATEST_SCHEMA_VERSION) {
      throw new ProjectFileError(target, `uses the older file format ${facts.schemaVersion}; open it in virtwall once to upgrade it to ${LATEST_SCHEMA_VERSION}`);
    }
    let db: SqliteDatabase;
    let closeDb: () => void;
    if (readOnly) {
      const connection = openReadOnly(this.options.driver, target);
      db = connection.db;
      closeDb = connection.close;
    } else {
      db = new this.options.driver(target, { fileMustExist: true });
      closeDb = () => db.close();
    }
    try {
      if (!readOnly) {
        configureConnection(db);
        runMigrations(db);
      }
      const info = projectInfo(db, target);
      this.db = db;
      this.closeDb = closeDb;
      this.path = target;
      this.readOnly = readOnly;
      this.stampPending = !readOnly && info.appVersion !== this.options.appVersion;
      return info;
    } catch (err) {
      closeDb();
      throw err instanceof StoreError || err instanceof ProjectFileError ? err : new ProjectFileError(target, `cannot be opened: ${(err as Error).message}`);
    }
  }

  info(): ProjectInfo {
    return projectInfo(this.requireDb(), this.path!);
  }

  getVariant(variantId: string): VariantDoc {
    const db = this.requireDb();
    return variantDoc(db, readVariant(db, variantId));
  }

  /** A new variant from `lab` if given, else a copy of `fromVariantId`'s lab, else the default lab. History starts empty. */
  createVariant(name: string, fromVariantId: string | null, lab: Lab | null): VariantDoc {
    const db = this.requireWritable();
    const id = this.newId();
    this.write(() => {
      const source = lab ?? (fromVariantId !== null ? (JSON.parse(readVariant(db, fromVariantId).lab) as Lab) : defaultLab(sequentialIds()));
      insertVariant(db, { id, name: checkVariantName(db, name), lab: this.checkedLab(source, 'the new variant'), at: this.timestamp() });
    });
    return this.getVariant(id);
  }

  renameVariant(variantId: string, name: string): ProjectInfo {
    const db = this.requireWritable();
    this.write(() => {
      readVariant(db, variantId);
      db.prepare('UPDATE variant SET name = ?, updated_at = ? WHERE id = ?').run(checkVariantName(db, name, variantId), this.timestamp(), variantId);
    });
    return this.info();
  }

  deleteVariant(variantId: string): ProjectInfo {
    const db = this.requireWritable();
    this.write(() => {
      const row = readVariant(db, variantId);
      const count = (db.prepare('SELECT COUNT(*) AS n FROM variant').get() as { n: number }).n;
      if (count <= 1) throw new StoreError('last-variant', `variant ${JSON.stringify(row.name)} is the project's only variant and cannot be deleted`);
      db.prepare('DELETE FROM variant WHERE id = ?').run(variantId);
    });
    return this.info();
  }

  applyEdit(variantId: string, baseRevision: number, edit: LabEdit): VariantDoc {
    const db = this.requireWritable();
    try {
      validateApiArguments('applyEdit', [variantId, baseRevision, edit]);
    } catch (err) {
      throw new StoreError('invalid-edit', (err as Error).message);
    }
    this.write(() => applyLabEdit(db, variantId, baseRevision, edit, this.timestamp()));
    return this.getVariant(variantId);
  }

  undo(variantId: string): VariantDoc {
    return this.step(variantId, 'undo');
  }

  redo(variantId: string): VariantDoc {
    return this.step(variantId, 'redo');
  }

  /** Writes a copy to `path` atomically and continues working on the copy. */
  saveAs(path: string, hooks?: WriteHooks): ProjectInfo {
    const target = resolve(path);
    if (this.sameFile(target)) return this.info();
    this.copyTo(target, hooks);
    return this.open(target);
  }

  /** Writes a copy to `path` atomically; the open project stays as it is. */
  copyTo(path: string, hooks?: WriteHooks): void {
    const target = resolve(path);
    if (this.sameFile(target)) throw new StoreError('target-exists', `${target} is the open project itself`);
    writeProjectCopy(this.requireDb(), target, this.options.driver, hooks);
  }

  close(): void {
    this.closeDb?.();
    this.closeDb = null;
    this.db = null;
    this.path = null;
  }

  private step(variantId: string, kind: 'undo' | 'redo'): VariantDoc {
    const db = this.requireWritable();
    this.write(() => stepLabHistory(db, variantId, kind, this.timestamp()));
    return this.getVariant(variantId);
  }

  /** One write transaction (BEGIN IMMEDIATE: take the write lock up front, no upgrade deadlock). */
  private write(body: () => void): void {
    const db = this.db!;
    db.transaction(() => {
      body();
      if (this.stampPending) db.prepare('UPDATE project SET written_by = ? WHERE id = 1').run(this.options.appVersion);
    }).immediate();
    this.stampPending = false;
  }

  private checkedLab(lab: unknown, what: string): Lab {
    const problem = labShapeProblem(lab);
    if (problem) throw new StoreError('invalid-lab', `${what}: ${problem}`);
    return cloneJson(lab as Lab);
  }

  private sameFile(target: string): boolean {
    if (!this.path) return false;
    try {
      return realpathSync(target) === realpathSync(this.path);
    } catch {
      return false;
    }
  }

  private timestamp(): string {
    return this.now().toISOString();
  }

  private requireDb(): SqliteDatabase {
    if (!this.db) throw new StoreError('no-project', 'no project is open');
    return this.db;
  }

  private requireWritable(): SqliteDatabase {
    const db = this.requireDb();
    if (this.readOnly) throw new StoreError('no-project', `${this.path} is open read-only`);
    return db;
  }
}
