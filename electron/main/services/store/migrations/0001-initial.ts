// Schema 1: project metadata, variants (each a whole lab as JSON) and an
// append-only history of edits, undos and redos per variant.
//
// History rows form two persistent stacks (undo and redo) without replaying the
// log: each row stores the state *after* it as (top, rest) pairs, where `top` is
// the edit row currently on top of the stack and `rest` names the row whose own
// state holds the rest of that stack (NULL = empty). Undo, redo and the Edit
// menu labels are then one or two row lookups, also after a restart; see
// ../editHistory.ts for the rules.

import type { SqliteDatabase } from '../sqliteDriver.ts';

export const version = 1;
export const name = 'initial';

export function up(db: SqliteDatabase): void {
  db.exec(`
    CREATE TABLE project (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      name TEXT NOT NULL,
      created_at TEXT NOT NULL,
      created_by TEXT NOT NULL,
      written_by TEXT NOT NULL
    ) STRICT;

    CREATE TABLE variant (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL UNIQUE,
      position INTEGER NOT NULL,
      lab TEXT NOT NULL CHECK (json_valid(lab)),
      revision INTEGER NOT NULL DEFAULT 0 CHECK (revision >= 0),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE history (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      variant_id TEXT NOT NULL REFERENCES variant(id) ON DELETE CASCADE,
      revision INTEGER NOT NULL CHECK (revision > 0),
      kind TEXT NOT NULL CHECK (kind IN ('edit', 'undo', 'redo')),
      -- undo/redo rows: the edit row they revert or re-apply
      edit_seq INTEGER REFERENCES history(seq),
      label TEXT NOT NULL,
      patch TEXT NOT NULL CHECK (json_valid(patch)),
      inverse TEXT NOT NULL CHECK (json_valid(inverse)),
      undo_top INTEGER,
      undo_rest INTEGER,
      redo_top INTEGER,
      redo_rest INTEGER,
      created_at TEXT NOT NULL,
      UNIQUE (variant_id, revision),
      CHECK ((kind = 'edit') = (edit_seq IS NULL))
    ) STRICT;
  `);
}
