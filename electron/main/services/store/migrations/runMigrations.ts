// Brings a project file to the latest schema: all pending migrations run in one
// transaction that also bumps PRAGMA user_version, so a crash or an error in
// any of them leaves the file exactly at its old version (user_version is part
// of the database header and therefore transactional).

import type { SqliteDatabase } from '../sqliteDriver.ts';
import { MIGRATIONS, type Migration } from './migrationList.ts';

export interface MigrationResult {
  from: number;
  to: number;
  applied: string[];
}

export function runMigrations(db: SqliteDatabase, migrations: readonly Migration[] = MIGRATIONS): MigrationResult {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration list is broken: entry ${i} has version ${m.version}, expected ${i + 1}`);
  });
  const latest = migrations.length;
  const from = db.pragma('user_version', { simple: true }) as number;
  if (from > latest) throw new Error(`schema version ${from} is newer than this virtwall knows (${latest})`);
  const pending = migrations.slice(from);
  if (pending.length === 0) return { from, to: from, applied: [] };
  db.transaction(() => {
    for (const m of pending) {
      try {
        m.up(db);
      } catch (err) {
        throw new Error(`migration ${String(m.version).padStart(4, '0')}-${m.name} failed: ${(err as Error).message}`, { cause: err });
      }
      db.pragma(`user_version = ${m.version}`);
    }
  }).immediate();
  return { from, to: latest, applied: pending.map((m) => `${String(m.version).padStart(4, '0')}-${m.name}`) };
}
