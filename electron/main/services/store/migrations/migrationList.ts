// Every migration, in order. A migration file is `NNNN-description.ts` exporting
// `version` (= NNNN), `name` and `up(db)`; add new ones at the end and never
// change a released one (files in the wild carry its result).

import type { SqliteDatabase } from '../sqliteDriver.ts';
import * as m0001 from './0001-initial.ts';

export interface Migration {
  version: number;
  name: string;
  up(db: SqliteDatabase): void;
}

export const MIGRATIONS: readonly Migration[] = [m0001];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;
