import { describe, expect, it } from 'vitest';
import { driver } from '../store.testkit.ts';
import type { Migration } from './migrationList.ts';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrationList.ts';
import { runMigrations } from './runMigrations.ts';

const table = (name: string, version: number): Migration => ({ version, name, up: (db) => db.exec(`CREATE TABLE ${name} (x)`) });
const tables = (db: InstanceType<typeof driver>) => db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all();

describe('runMigrations', () => {
  it('the real list is numbered 1..N and matches the NNNN prefix of its files', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(LATEST_SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  it('applies only the pending migrations, in order, and bumps user_version', () => {
    const db = new driver(':memory:');
    expect(runMigrations(db, [table('a', 1)])).toEqual({ from: 0, to: 1, applied: ['0001-a'] });
    expect(runMigrations(db, [table('a', 1), table('b', 2), table('c', 3)])).toEqual({ from: 1, to: 3, applied: ['0002-b', '0003-c'] });
    expect(db.pragma('user_version', { simple: true })).toBe(3);
    expect(tables(db)).toEqual(['a', 'b', 'c']);
    expect(runMigrations(db, [table('a', 1), table('b', 2), table('c', 3)]).applied).toEqual([]);
  });

  it('runs all pending migrations in one transaction: a failure leaves schema and user_version as they were', () => {
    const db = new driver(':memory:');
    runMigrations(db, [table('a', 1)]);
    const failing: Migration = { version: 3, name: 'broken', up: () => { throw new Error('disk says no'); } };
    expect(() => runMigrations(db, [table('a', 1), table('b', 2), failing])).toThrow('migration 0003-broken failed: disk says no');
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(tables(db)).toEqual(['a']);
  });

  it('refuses a database newer than the list and a list with gaps', () => {
    const db = new driver(':memory:');
    db.pragma('user_version = 5');
    expect(() => runMigrations(db, [table('a', 1)])).toThrow('schema version 5 is newer than this virtwall knows (1)');
    expect(() => runMigrations(new driver(':memory:'), [table('a', 1), table('c', 3)])).toThrow('entry 1 has version 3, expected 2');
  });
});
