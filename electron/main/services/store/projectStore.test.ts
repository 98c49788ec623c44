import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { JsonPatchOp } from '../../../../shared/api/contract.ts';
import { sampleProjectVariants } from '../../../../shared/lab/sampleLab.ts';
import { defaultLab } from '../../../../shared/lab/defaultLab.ts';
import { sequentialIds } from '../../../../shared/lab/labIds.ts';
import { StoreError } from './storeError.ts';
import { driver, tempFolder, testStore } from './store.testkit.ts';
import { FIRST_VARIANT_NAME } from './projectStore.ts';

const tmp = tempFolder('store');
afterAll(() => tmp.remove());

function storeError(fn: () => unknown): StoreError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StoreError) return err;
    throw err;
  }
  throw new Error('expected a StoreError');
}

const setName = (value: string): { label: string; patch: JsonPatchOp[] } => ({ label: `Rename host to ${value}`, patch: [{ op: 'replace', path: '/host/name', value }] });

describe('ProjectStore: projects and variants', () => {
  it('creates a project with one default variant, and reopens it with the same info', () => {
    const store = testStore();
    const path = tmp.file('new.virtwall');
    const info = store.create(path, '  My lab ');
    expect(info).toMatchObject({ path, name: 'My lab', schemaVersion: 1, appVersion: '0.1.0-test' });
    expect(info.variants.map((v) => v.name)).toEqual([FIRST_VARIANT_NAME]);
    const doc = store.getVariant(info.variants[0].id);
    expect(doc).toMatchObject({ revision: 0, canUndo: false, canRedo: false });
    expect(doc.lab).toEqual(defaultLab(sequentialIds()));
    store.close();
    const again = testStore();
    expect(again.open(path)).toEqual(info);
    again.close();
  });

  it('refuses to create over an existing file unless asked to overwrite', () => {
    const store = testStore();
    const path = tmp.file('exists.virtwall');
    store.create(path, 'one');
    store.close();
    expect(storeError(() => store.create(path, 'two')).message).toBe(`${path} already exists`);
    expect(store.create(path, 'two', { overwrite: true }).name).toBe('two');
    store.close();
    expect(tmp.list().filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('creates variants from the default lab, as a copy of another variant, or from a given lab', () => {
    const store = testStore();
    const info = store.create(tmp.file('variants.virtwall'), 'v', { variants: sampleProjectVariants() });
    const nat = info.variants.find((v) => v.name === 'NAT')!;
    const natLab = store.getVariant(nat.id).lab;
    const copy = store.createVariant('NAT copy', nat.id, null);
    expect(copy.lab).toEqual(natLab);
    expect(copy.revision).toBe(0);
    const empty = store.createVariant('empty', null, null);
    expect(empty.lab.networks).toEqual([]);
    const given = store.createVariant('given', null, { ...natLab, notes: 'from a fix' });
    expect(given.lab.notes).toBe('from a fix');
    expect(store.info().variants.map((v) => [v.name, v.position])).toEqual([
      ['isolated + SuSEfirewall2', 0],
      ['routed + SuSEfirewall2', 1],
      ['isolated + own iptables script', 2],
      ['NAT', 3],
      ['NAT copy', 4],
      ['empty', 5],
      ['given', 6],
    ]);
    // The copy is independent of its source.
    store.applyEdit(copy.id, 0, setName('copy-host'));
    expect(store.getVariant(nat.id).lab.host.name).toBe(natLab.host.name);
    store.close();
  });

  it('refuses duplicate or empty names, unknown variants, and a lab that is not a lab', () => {
    const store = testStore();
    const info = store.create(tmp.file('names.virtwall'), 'n');
    const id = info.variants[0].id;
    expect(storeError(() => store.createVariant(FIRST_VARIANT_NAME, null, null))).toMatchObject({ code: 'duplicate-name', message: `a variant named "${FIRST_VARIANT_NAME}" already exists` });
    expect(storeError(() => store.createVariant('   ', null, null)).code).toBe('invalid-name');
    expect(storeError(() => store.createVariant('x', 'nope', null))).toMatchObject({ code: 'unknown-variant', message: 'there is no variant with id "nope" in this project' });
    const broken = { ...defaultLab(sequentialIds()), networks: 'deb' } as unknown as ReturnType<typeof defaultLab>;
    expect(storeError(() => store.createVariant('x', null, broken)).message).toBe('the new variant: lab.networks must be an array');
    const other = store.createVariant('other', null, null);
    expect(storeError(() => store.renameVariant(other.id, FIRST_VARIANT_NAME)).code).toBe('duplicate-name');
    expect(store.renameVariant(id, FIRST_VARIANT_NAME).variants[0].name).toBe(FIRST_VARIANT_NAME); // same name on itself is fine
    expect(store.renameVariant(id, 'renamed').variants.map((v) => v.name)).toEqual(['renamed', 'other']);
    store.close();
  });

  it('deletes a variant with its history but never the last one', () => {
    const store = testStore();
    const info = store.create(tmp.file('delete.virtwall'), 'd');
    const first = info.variants[0].id;
    const second = store.createVariant('second', null, null);
    store.applyEdit(second.id, 0, setName('x'));
    expect(store.deleteVariant(second.id).variants.map((v) => v.id)).toEqual([first]);
    expect(storeError(() => store.getVariant(second.id)).code).toBe('unknown-variant');
    expect(storeError(() => store.deleteVariant(first))).toMatchObject({ code: 'last-variant', message: `variant "${FIRST_VARIANT_NAME}" is the project's only variant and cannot be deleted` });
    store.close();
  });

  it('opens read-only without writing, and refuses edits then', () => {
    const store = testStore();
    const path = tmp.file('ro.virtwall');
    const id = store.create(path, 'ro').variants[0].id;
    store.close();
    const reader = testStore('9.9.9');
    expect(reader.open(path, { readOnly: true }).appVersion).toBe('0.1.0-test');
    expect(storeError(() => reader.applyEdit(id, 0, setName('x'))).message).toContain('is open read-only');
    reader.close();
  });

  it('records which app version wrote the file last', () => {
    const path = tmp.file('stamp.virtwall');
    const id = testStore('1.0.0').create(path, 's').variants[0].id;
    const newer = testStore('1.1.0');
    expect(newer.open(path).appVersion).toBe('1.0.0');
    newer.applyEdit(id, 0, setName('x'));
    expect(newer.info().appVersion).toBe('1.1.0');
    newer.close();
  });

  it('answers "no project is open" instead of crashing', () => {
    expect(storeError(() => testStore().info())).toMatchObject({ code: 'no-project', message: 'no project is open' });
  });
});

describe('ProjectStore: edits, undo and redo', () => {
  it('applies an edit, bumps the revision and saves it before returning', () => {
    const store = testStore();
    const path = tmp.file('edit.virtwall');
    const id = store.create(path, 'e').variants[0].id;
    const doc = store.applyEdit(id, 0, setName('leap'));
    expect(doc).toMatchObject({ revision: 1, canUndo: true, canRedo: false, undoLabel: 'Rename host to leap' });
    // A second connection sees it at once: it is committed, not just in memory.
    const other = new driver(path, { readonly: true });
    const row = other.prepare("SELECT revision, json_extract(lab, '$.host.name') AS name FROM variant WHERE id = ?").get(id);
    other.close();
    expect(row).toEqual({ revision: 1, name: 'leap' });
    store.close();
  });

  it('refuses an edit on a stale revision with a message naming both revisions, and writes nothing', () => {
    const store = testStore();
    const id = store.create(tmp.file('stale.virtwall'), 's').variants[0].id;
    store.applyEdit(id, 0, setName('a'));
    store.applyEdit(id, 1, setName('b'));
    const err = storeError(() => store.applyEdit(id, 1, { label: 'Change forward mode', patch: [{ op: 'replace', path: '/host/name', value: 'c' }] }));
    expect(err.code).toBe('stale-revision');
    expect(err.message).toBe(`variant "${FIRST_VARIANT_NAME}" is at revision 2, but the edit "Change forward mode" was made on revision 1; reload the variant and apply it again`);
    expect(store.getVariant(id)).toMatchObject({ revision: 2, lab: { host: { name: 'b' } } });
    store.close();
  });

  it('refuses a bad pointer or a patch that breaks the lab, naming the path, and writes nothing', () => {
    const store = testStore();
    const id = store.create(tmp.file('bad.virtwall'), 'b').variants[0].id;
    const badPointer = storeError(() => store.applyEdit(id, 0, { label: 'Edit XML', patch: [{ op: 'replace', path: '/networks/3/xml', value: '<network/>' }] }));
    expect(badPointer).toMatchObject({ code: 'invalid-edit', message: 'edit "Edit XML": patch[0] "/networks/3/xml": /networks/3 does not exist: /networks has 0 items' });
    const breaking = storeError(() => store.applyEdit(id, 0, { label: 'Oops', patch: [{ op: 'replace', path: '/guests', value: {} }] }));
    expect(breaking.message).toBe('edit "Oops" would make the lab invalid: lab.guests must be an array');
    const notAnEdit = storeError(() => store.applyEdit(id, 0, { label: 'x', patch: [] }));
    expect(notAnEdit.message).toContain('edit.patch must be a non-empty array');
    expect(store.getVariant(id)).toMatchObject({ revision: 0, canUndo: false });
    store.close();
  });

  it('undoes and redoes in stack order with Edit-menu labels; a new edit clears the redo stack', () => {
    const store = testStore();
    const id = store.create(tmp.file('undo.virtwall'), 'u').variants[0].id;
    const original = store.getVariant(id).lab;
    store.applyEdit(id, 0, setName('a'));
    store.applyEdit(id, 1, setName('b'));
    let doc = store.undo(id);
    expect(doc).toMatchObject({ revision: 3, lab: { host: { name: 'a' } }, undoLabel: 'Rename host to a', redoLabel: 'Rename host to b' });
    doc = store.undo(id);
    expect(doc.lab).toEqual(original);
    expect(doc).toMatchObject({ canUndo: false, canRedo: true, redoLabel: 'Rename host to a' });
    expect(storeError(() => store.undo(id))).toMatchObject({ code: 'nothing-to-undo', message: `variant "${FIRST_VARIANT_NAME}" has nothing to undo` });
    doc = store.redo(id);
    expect(doc).toMatchObject({ lab: { host: { name: 'a' } }, redoLabel: 'Rename host to b' });
    doc = store.applyEdit(id, doc.revision, setName('c'));
    expect(doc).toMatchObject({ canRedo: false, undoLabel: 'Rename host to c' });
    expect(storeError(() => store.redo(id)).code).toBe('nothing-to-redo');
    doc = store.undo(id);
    expect(doc).toMatchObject({ lab: { host: { name: 'a' } }, undoLabel: 'Rename host to a', redoLabel: 'Rename host to c' });
    store.close();
  });

  it('keeps undo/redo across a restart, with an append-only history of edit, undo and redo rows', () => {
    const path = tmp.file('restart.virtwall');
    const first = testStore();
    const id = first.create(path, 'r').variants[0].id;
    first.applyEdit(id, 0, setName('a'));
    first.applyEdit(id, 1, { label: 'Add network', patch: [{ op: 'add', path: '/networks/-', value: { id: 'net-1', xml: '<network/>', autostart: true } }] });
    first.undo(id);
    first.close();

    const second = testStore();
    second.open(path);
    expect(second.getVariant(id)).toMatchObject({ revision: 3, undoLabel: 'Rename host to a', redoLabel: 'Add network' });
    expect(second.redo(id).lab.networks).toHaveLength(1);
    second.close();

    const db = new driver(path, { readonly: true });
    const rows = db.prepare('SELECT revision, kind, label FROM history WHERE variant_id = ? ORDER BY seq').all(id);
    db.close();
    expect(rows).toEqual([
      { revision: 1, kind: 'edit', label: 'Rename host to a' },
      { revision: 2, kind: 'edit', label: 'Add network' },
      { revision: 3, kind: 'undo', label: 'Add network' },
      { revision: 4, kind: 'redo', label: 'Add network' },
    ]);
  });

  // Against a plain in-memory model of two stacks, for random sequences of
  // edits, undos, redos and restarts.
  it('matches a reference undo/redo model for random sequences, across restarts', () => {
    const path = tmp.file('model.virtwall');
    fc.assert(
      fc.property(fc.array(fc.constantFrom('edit', 'edit', 'undo', 'redo', 'reopen'), { minLength: 1, maxLength: 30 }), (ops) => {
        const store = testStore();
        const id = store.create(path, 'm', { overwrite: true }).variants[0].id;
        const done: string[] = [];
        const undone: string[] = [];
        let revision = 0;
        let n = 0;
        for (const op of ops) {
          if (op === 'reopen') {
            store.close();
            store.open(path);
            continue;
          }
          if (op === 'edit') {
            const name = `h${++n}`;
            store.applyEdit(id, revision, setName(name));
            done.push(name);
            undone.length = 0;
          } else if (op === 'undo') {
            if (!done.length) {
              expect(() => store.undo(id)).toThrow('nothing to undo');
              continue;
            }
            store.undo(id);
            undone.push(done.pop()!);
          } else {
            if (!undone.length) {
              expect(() => store.redo(id)).toThrow('nothing to redo');
              continue;
            }
            store.redo(id);
            done.push(undone.pop()!);
          }
          revision++;
          const doc = store.getVariant(id);
          expect(doc.revision).toBe(revision);
          expect(doc.lab.host.name).toBe(done.at(-1) ?? 'kvm-host');
          expect(doc.undoLabel).toBe(done.length ? `Rename host to ${done.at(-1)}` : undefined);
          expect(doc.redoLabel).toBe(undone.length ? `Rename host to ${undone.at(-1)}` : undefined);
        }
        store.close();
      }),
      { numRuns: 40, seed: 7 },
    );
  });
});
