import { describe, expect, it } from 'vitest';
import { driver } from '../store.testkit.ts';
import { up, version } from './0001-initial.ts';

function freshDb() {
  const db = new driver(':memory:');
  db.pragma('foreign_keys = ON');
  up(db);
  return db;
}

describe('migration 0001-initial', () => {
  it('creates the project, variant and history tables', () => {
    const db = freshDb();
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all();
    expect(version).toBe(1);
    expect(tables).toEqual(['history', 'project', 'variant']);
  });

  it('allows one project row only and refuses a lab that is not JSON', () => {
    const db = freshDb();
    db.prepare("INSERT INTO project VALUES (1, 'p', 't', 'v', 'v')").run();
    expect(() => db.prepare("INSERT INTO project VALUES (2, 'p', 't', 'v', 'v')").run()).toThrow(/CHECK constraint failed/);
    expect(() => db.prepare("INSERT INTO variant (id, name, position, lab, created_at, updated_at) VALUES ('a', 'A', 0, '{not json', 't', 't')").run()).toThrow(/CHECK constraint failed/);
  });

  it('keeps variant names unique and one history row per revision; edit rows have no edit_seq, undo rows must', () => {
    const db = freshDb();
    db.prepare("INSERT INTO variant (id, name, position, lab, created_at, updated_at) VALUES ('a', 'A', 0, '{}', 't', 't')").run();
    expect(() => db.prepare("INSERT INTO variant (id, name, position, lab, created_at, updated_at) VALUES ('b', 'A', 1, '{}', 't', 't')").run()).toThrow(/UNIQUE/);
    const insert = db.prepare("INSERT INTO history (variant_id, revision, kind, edit_seq, label, patch, inverse, created_at) VALUES ('a', ?, ?, ?, 'l', '[]', '[]', 't')");
    insert.run(1, 'edit', null);
    expect(() => insert.run(1, 'edit', null)).toThrow(/UNIQUE/);
    expect(() => insert.run(2, 'undo', null)).toThrow(/CHECK constraint failed/);
    expect(() => insert.run(2, 'edit', 1)).toThrow(/CHECK constraint failed/);
    expect(() => insert.run(2, 'undo', 999)).toThrow(/FOREIGN KEY/);
    insert.run(2, 'undo', 1);
  });

  it("deleting a variant deletes its history (and nothing else's)", () => {
    const db = freshDb();
    for (const id of ['a', 'b']) {
      db.prepare("INSERT INTO variant (id, name, position, lab, created_at, updated_at) VALUES (?, ?, 0, '{}', 't', 't')").run(id, id);
      db.prepare("INSERT INTO history (variant_id, revision, kind, label, patch, inverse, created_at) VALUES (?, 1, 'edit', 'l', '[]', '[]', 't')").run(id);
    }
    db.prepare("DELETE FROM variant WHERE id = 'a'").run();
    expect(db.prepare('SELECT variant_id FROM history').pluck().all()).toEqual(['b']);
  });
});
