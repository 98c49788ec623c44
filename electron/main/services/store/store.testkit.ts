// Shared setup for the store's tests: a temporary folder per test file, a
// store with deterministic ids and clock, and byte-level snapshots of files.

import Database from 'better-sqlite3';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { ProjectStore } from './projectStore.ts';
import type { SqliteDriver } from './sqliteDriver.ts';

export const driver = Database as unknown as SqliteDriver;

export function tempFolder(prefix: string): { dir: string; file: (name: string) => string; list: () => string[]; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `vw-${prefix}-`));
  return {
    dir,
    file: (name) => join(dir, name),
    list: () => readdirSync(dir).sort(),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

let lastId = 0;

export function testStore(appVersion = '0.1.0-test'): ProjectStore {
  let tick = Date.UTC(2024, 0, 1);
  return new ProjectStore({
    driver,
    appVersion,
    newId: () => `variant-${++lastId}`,
    now: () => new Date((tick += 1000)),
  });
}

export function bytes(path: string): Buffer {
  return readFileSync(path);
}

/** A digest of a JSON value that does not depend on key order (sorted keys). */
export function jsonDigest(value: unknown): string {
  const canonical = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(canonical);
    if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]));
    return v;
  };
  return createHash('sha256').update(JSON.stringify(canonical(value))).digest('hex').slice(0, 16);
}
