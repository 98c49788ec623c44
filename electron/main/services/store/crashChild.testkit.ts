// The writer that crashSafety.test.ts kills: opens the project, then applies
// edits, undos and redos as fast as it can and prints "ack REVISION DIGEST"
// after each one returned (= committed). Bundled by the test and run with plain
// Node; argv: PROJECT_PATH SEED.

import Database from 'better-sqlite3';
import { writeSync } from 'node:fs';
import type { JsonPatchOp } from '../../../../shared/api/contract.ts';
import { ProjectStore } from './projectStore.ts';
import type { SqliteDriver } from './sqliteDriver.ts';
import { jsonDigest } from './store.testkit.ts';

const [path, seedText] = process.argv.slice(2);
let state = Number(seedText) >>> 0;
// mulberry32: small, seedable, good enough to vary the work.
function random(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

const store = new ProjectStore({ driver: Database as unknown as SqliteDriver, appVersion: 'crash-test' });
store.open(path);
const variantId = store.info().variants[0].id;
let doc = store.getVariant(variantId);
writeSync(1, `ready ${doc.revision}\n`);

for (let n = 0; ; n++) {
  const r = random();
  if (r < 0.15 && doc.canUndo) doc = store.undo(variantId);
  else if (r < 0.25 && doc.canRedo) doc = store.redo(variantId);
  else {
    // Keep the lab small (remove when long) and vary the row size (notes), so
    // commits span one or several pages.
    const patch: JsonPatchOp[] =
      doc.lab.services.length > 40 ? [{ op: 'remove', path: '/services/0' }] : [{ op: 'add', path: '/services/-', value: `tcp/${1000 + (n % 60000)}` }];
    patch.push({ op: 'add', path: '/notes', value: 'n'.repeat(Math.floor(random() * 6000)) });
    doc = store.applyEdit(variantId, doc.revision, { label: `edit ${n}`, patch });
  }
  writeSync(1, `ack ${doc.revision} ${jsonDigest(doc.lab)}\n`);
}
